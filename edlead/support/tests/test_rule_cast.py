"""The support rules against the access tests' cast (edlead/access/tests/test_relationships.py), on
their own: the cast's viewers get exactly what each declared rule says, and a responder of the
request's department (a group relationship the cast does not hold) sees it too."""

from __future__ import annotations

import pytest

from edlead.access import policy
from edlead.access.tests.test_relationships import Cast, expected
from edlead.support import rules
from edlead.support.models import SupportRequest
from edlead.support.tests.factories import record_builders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", [rules.SUPPORT_READ, rules.SUPPORT_RESPOND])
def test_declared_support_rules_against_the_cast(action: str) -> None:
    rule = policy.declared_rules()[("support.supportrequest", action)]
    cast = Cast()
    record = record_builders()["support.supportrequest"](cast.owner)
    for key, user in cast.users.items():
        want = expected(rule, key)
        assert policy.can(user, action, record) is want, (action, key)
        listed = policy.visible_to(user, SupportRequest.objects.all(), action).filter(pk=record.pk).exists()
        assert listed is want, (action, key)
