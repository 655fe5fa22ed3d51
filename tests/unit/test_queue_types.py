"""Which customer types the queue shows."""

from __future__ import annotations


def test_the_queue_shows_a_type_only_at_the_centres_confidence_and_always_an_agents_correction() -> None:
    from complaintdesk.services.queue import shown_types

    analysis = {"customer_types": [{"type": "boss_demander", "score": 0.5}, {"type": "intimidating", "score": 1.0}]}
    assert shown_types(analysis, 0.5) == ("boss_demander", "intimidating")
    assert shown_types(analysis, 0.75) == ("intimidating",)
    corrected = {**analysis, "corrections": {"customer_types": ["friendly"]}}
    assert shown_types(corrected, 0.75) == ("friendly",)
