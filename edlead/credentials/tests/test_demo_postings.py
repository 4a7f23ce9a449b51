"""Demo postings: open principal postings, first-year principals, the Executive Director posting with the
right candidates and reasons on demo data, as the demo HR user sees it; idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from edlead.access import policy
from edlead.access.models import User
from edlead.credentials import eligibility
from edlead.credentials.compliance import COMPLIANCE_VIEW, compliance_for
from edlead.credentials.models_postings import Posting
from edlead.demo import services as demo
from edlead.demo.postings import DISTRICT_ADMINISTRATOR_ROLES, ED_TITLE, postings_seed
from edlead.demo.tests.test_seed_demo import digest
from edlead.people.models import Person, Position

pytestmark = pytest.mark.django_db


def test_demo_postings_first_year_principals_and_the_executive_director(client: Any) -> None:
    report = demo.demo_seed(scale="demo")
    assert any(line.startswith("Postings: ") and "added" in line for line in report.lines)
    before = digest()
    assert postings_seed() == 0 and digest() == before  # a second run writes nothing
    today = dt.date.today()
    year_start = dt.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    first_year = Position.objects.current(today).filter(role=Position.Role.PRINCIPAL, starts_on=year_start)
    assert first_year.count() == 2
    filled = Posting.objects.filter(status=Posting.Status.FILLED)
    assert {p.filled_by_id for p in filled} == set(first_year.values_list("person_id", flat=True))
    open_principal = Posting.objects.filter(status=Posting.Status.OPEN, role=Position.Role.PRINCIPAL)
    assert open_principal.count() == 2
    hr = User.objects.get(email=demo.persona("hr").email)
    ed = Posting.objects.select_related("organization__district").get(title=ED_TITLE)
    visible = policy.visible_to(hr, Person.objects.all(), COMPLIANCE_VIEW)
    result = eligibility.posting_eligibility(ed, visible=visible)
    assert result.eligible, "the demo has leaders meeting every requirement"
    for a in result.eligible:
        ev = eligibility.Evidence.load([a.person], today=today)[a.person.pk]
        assert ev.years_in(DISTRICT_ADMINISTRATOR_ROLES, today) >= 5
        assert "sei-administrator" in ev.endorsements and ev.degree_rank >= 3
        assert any(lic.field.code in ("principal", "superintendent") for lic in ev.licences)
    # The first-year principals are near: they lack the five years, said in words.
    near = {a.person.pk: a.lacking for a in result.near}
    for pid in first_year.values_list("person_id", flat=True):
        assert any("of 5 years as principal" in reason for reason in near[pid])
    # The principal without the SEI endorsement is listed with it missing.
    assert any("no SEI Administrator endorsement" in reasons for reasons in near.values())
    # Bench strength and compliance read the same demo.
    riverton = ed.organization
    bench = eligibility.bench_strength(riverton, visible=visible)
    assert bench.schools and any(s.eligible for s in bench.schools)
    data = compliance_for(hr)
    assert data.totals["people"] > 10 and data.totals["endorsement"] == 1
    client.force_login(hr)
    page = client.get(ed.get_absolute_url())
    assert page.status_code == 200 and "of 5 years as principal" in page.content.decode()
