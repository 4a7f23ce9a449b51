"""The coaching rules against the access tests' cast (edlead/access/tests/test_relationships.py): each
viewer gets exactly what the declared rule says — the coachee, holders of a coach or mentor relationship
(in force), and for the relationship (no notes) the chain and the coordinators; nobody by a role on the
school, an ended relationship, HR or another district. (The same check runs in the access tests once
`record_builders` from tests/factories.py is added there.)"""

from __future__ import annotations

import pytest

from edlead.access import policy
from edlead.access.tests.test_relationships import Cast, expected
from edlead.coaching.rules import COACHING_NOTES, COACHING_NOTES_SHARED, COACHING_VIEW
from edlead.coaching.tests.factories import record_builders

pytestmark = pytest.mark.django_db


def test_coaching_rules_give_exactly_what_they_say() -> None:
    rules = policy.declared_rules()
    builders = record_builders()
    cast = Cast()
    seen = []
    for (label, action), rule in rules.items():
        if not label.startswith("coaching."):
            continue
        record = builders[label](cast.owner)
        for key, user in cast.users.items():
            want = expected(rule, key)
            assert policy.can(user, action, record) is want, (label, action, key)
            listed = policy.visible_to(user, type(record).objects.all(), action).filter(pk=record.pk).exists()
            assert listed is want, (label, action, key, "visible_to")
        seen.append(action)
    assert sorted(seen) == sorted([COACHING_VIEW, COACHING_NOTES, COACHING_NOTES_SHARED])
    # Spelled out for the notes: the coachee, the coach and the mentor; not the evaluator, the chain, HR,
    # the coordinator, a coach role on the school or a coach whose relationship ended.
    notes = rules[("coaching.coachingsession", COACHING_NOTES)]
    allowed = {key for key in cast.users if expected(notes, key)}
    assert allowed == {"owner", "rel_coach", "rel_mentor"}
