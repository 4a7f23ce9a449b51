"""Demo credentials: licences relative to the day that fall due in each window, renewals short of PDPs,
one principal missing the endorsement the role requires; idempotent; the demo's people unchanged."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from edlead.credentials.alerts import window_of
from edlead.credentials.models import Licence, PdpActivity
from edlead.credentials.progress import AT_RISK, COMPLETE, progress_for
from edlead.credentials.selectors import required_endorsements
from edlead.demo import services as demo
from edlead.demo.credentials import credentials_seed
from edlead.demo.tests.test_seed_demo import digest
from edlead.people.models import Person, Position

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def test_demo_credentials_fall_due_in_each_window_and_run_once(demo_world: Any) -> None:
    report = demo_world  # seed_demo calls credentials_seed
    line = next(x for x in report.lines if x.startswith("Credentials:"))
    added = int(line.split()[1])
    assert added > 6
    before = digest()
    today = dt.date.today()
    assert credentials_seed(today=today) == 0  # a second run adds nothing
    assert digest() == before  # the demo's people and positions unchanged
    licences = list(Licence.objects.current().select_related("field", "person"))
    assert len(licences) == added
    windows = Counter(window_of(lic.expires_on, today) for lic in licences if lic.expires_on)
    assert windows[30] and windows[90] and windows[180]
    progress = progress_for(licences, today=today)
    statuses = Counter(p.status for p in progress.values() if p.renewable)
    assert statuses[AT_RISK] >= 2 and statuses[COMPLETE] >= 1
    short = [p for p in progress.values() if p.short]
    # The credentials seed leaves its short renewals short of SEI; the learning seed's completions then
    # credit PDPs (SEI among them, from "Leading for English Learners"), so some are short of the total only.
    assert any(any(c.code == "sei" and c.missing for c in p.categories) for p in short)
    assert PdpActivity.objects.count() > 5 * added
    principals = Person.objects.filter(
        pk__in=Position.objects.current(today)
        .filter(role=Position.Role.PRINCIPAL, organization__code__startswith="9901")
        .values("person_id")
    )
    missing = [p for p in principals if required_endorsements(p, today=today)]
    assert len(missing) == 1
    assert required_endorsements(missing[0], today=today) == ["SEI Administrator (required of a principal)"]


def test_the_demo_principals_plan_waits_in_their_supervisors_queue() -> None:
    from edlead.access.models import User
    from edlead.core import workqueue
    from edlead.credentials.models import DevelopmentPlan

    principal = User.objects.get(email=demo.persona("principal").email)
    supervisor = User.objects.get(email=demo.persona("supervisor").email)
    plans = {p.person_id: p for p in DevelopmentPlan.objects.all()}
    assert principal.person is not None
    mine = plans[principal.person.pk]
    assert mine.status == "submitted"
    approved = [p for p in plans.values() if p.status == "approved"]
    assert len(approved) == 1 and approved[0].approved_by == supervisor
    titles = [e.item.title for e in workqueue.items_for(supervisor) if e.item.source == "credentials"]
    assert f"{principal.person.display_name}'s development plan waits for your approval" in titles
    assert mine.activities.count() == 3
