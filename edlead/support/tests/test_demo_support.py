"""The demo's department support (edlead/demo/support.py): Riverton's responders — the `responder`
persona among them — and requests in every state, the persona principal's answered request waiting to be
resolved, one assigned to the responder persona, and a safety and crisis request escalated to the
supervisor and the superintendent by the escalation service; a second run adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from edlead.access.models import User
from edlead.core import workqueue
from edlead.demo import services as demo
from edlead.demo.demo import RIVERTON_CODE
from edlead.demo.support import support_seed
from edlead.notices.models import Notice
from edlead.orgs.models import Organization
from edlead.support import rules
from edlead.support.models import SupportEvent, SupportRequest

pytestmark = pytest.mark.django_db
S = SupportRequest.Status


def _user(key: str) -> Any:
    return User.objects.select_related("person").get(email=demo.persona(key).email)


def test_the_demo_requests_and_the_responder_login() -> None:
    report = demo.demo_seed(scale="demo")
    riverton = Organization.objects.get(code=RIVERTON_CODE)
    rows = list(SupportRequest.objects.filter(district=riverton).select_related("organization"))
    assert f"Department support: {len(rows)} requests added." in report.lines
    assert len(rows) >= 25
    assert {r.status for r in rows} == set(S.values)
    assert SupportEvent.objects.filter(action="reopened").exists()
    assert all(r.organization.path.startswith(riverton.path) for r in rows)

    # The escalated safety request: both steps on its timeline, the two personas told (never e-mailed).
    escalated = [r for r in rows if r.escalation_level == 2]
    assert len(escalated) == 1 and escalated[0].is_safety and escalated[0].status == S.NEW
    supervisor, superintendent = _user("supervisor"), _user("superintendent")
    for user in (supervisor, superintendent):
        notice = Notice.objects.get(person=user.person, kind="support.escalated")
        assert notice.delivery == "off" and notice.link == escalated[0].get_absolute_url()
    assert SupportEvent.objects.filter(record=escalated[0], action="escalated").count() == 2
    assert any(r.is_safety and r.escalation_level == 0 and r.status == S.NEW for r in rows)  # a fresh one

    # The responder persona: a Special Education coordinator (a staff grant, no request access from it),
    # reading Special Education's requests only, through the responder relationship.
    responder = _user("responder")
    assert responder.person.positions.get().title == "Special Education coordinator"
    mine = set(rules.readable(responder).values_list("department", flat=True))
    assert mine == {"Special Education"}
    queue = [e.item for e in workqueue.items_for(responder) if e.item.source == "support"]
    assert any(i.title.startswith("Answer") for i in queue) and any("Triage" in i.title for i in queue)
    principal = _user("principal")
    assert any(
        i.title.startswith("Resolve")
        for i in (e.item for e in workqueue.items_for(principal))
        if i.source == "support"
    )
    client = Client()
    client.force_login(responder)
    assert client.get("/support/").status_code == 200
    assert client.get(escalated[0].get_absolute_url()).status_code == 404  # Positive Youth Development's

    assert support_seed() == 0  # a second run adds nothing
