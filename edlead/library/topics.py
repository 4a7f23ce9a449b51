"""The library's controlled list of topics, as districts and the state name them. Loaded after every
migrate (and after a test database is flushed), like the learning catalog's competencies; a topic the
state adds in the admin stays."""

from __future__ import annotations

from typing import Any

TOPICS: list[tuple[str, str]] = [
    ("instructional-leadership", "Instructional leadership"),
    ("equity", "Equity and cultural proficiency"),
    ("family-engagement", "Family and community engagement"),
    ("school-culture", "School culture and climate"),
    ("data-use", "Data use and assessment"),
    ("operations", "Operations, budget and scheduling"),
    ("talent", "Hiring, evaluation and staff development"),
    ("english-learners", "English learners"),
    ("special-education", "Students with disabilities and inclusion"),
    ("improvement-planning", "School improvement planning"),
]


def load_topics(**kwargs: Any) -> int:
    """Adds the topics that are missing; returns how many."""
    from edlead.library.models import Topic

    have = set(Topic.objects.values_list("code", flat=True))
    missing = [
        Topic(code=code, name=name, order=order)
        for order, (code, name) in enumerate(TOPICS, start=1)
        if code not in have
    ]
    Topic.objects.bulk_create(missing)
    return len(missing)
