"""Editable data of the quality engine: the rubric (rules, phrases, cues, weights)."""
