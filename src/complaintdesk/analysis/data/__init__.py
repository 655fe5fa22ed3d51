"""Editable cue lists and the jieba user dictionary of the analysis engine (package data)."""
