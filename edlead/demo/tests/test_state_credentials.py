"""State-scale credentials (issue 10's benchmark): about 2.5 licences and 40 PDP activities per leader of the
state-scale districts, written in bulk, valid rows (renewal progress reads them), once, the demo untouched."""

from __future__ import annotations

import datetime as dt

import pytest

from edlead.credentials.models import Licence, PdpActivity, PdpAllocation
from edlead.credentials.progress import progress_for
from edlead.demo.credentials_state import ACTIVITIES_PER_LEADER, state_credentials_seed
from edlead.people.models import Position
from edlead.testing import make_district, make_person, make_position, make_school

pytestmark = pytest.mark.django_db
R = Position.Role


def test_state_leaders_get_licences_and_activities_once() -> None:
    state_district = make_district("State-scale District", code="90010000")
    school = make_school(state_district, "State School", code="90010005")
    demo_district = make_district("Demo District", code="99010000")
    leaders = []
    for i, role in enumerate((R.PRINCIPAL, R.ASSISTANT_PRINCIPAL, R.ASSISTANT_PRINCIPAL, R.SUPERINTENDENT)):
        person = make_person("State", f"Leader{i}")
        make_position(person, state_district if role == R.SUPERINTENDENT else school, role)
        leaders.append(person)
    teacher = make_person("State", "Teacher")
    make_position(teacher, school, R.TEACHER)
    outsider = make_person("Demo", "Principal")
    make_position(outsider, make_school(demo_district, "Demo School", code="99010005"), R.PRINCIPAL)
    made = state_credentials_seed()
    assert made == {"licences": 10, "activities": 4 * ACTIVITIES_PER_LEADER}  # 2 each, a third for half
    assert not Licence.objects.filter(person__in=[teacher, outsider]).exists()
    assert PdpAllocation.objects.count() == PdpActivity.objects.count()
    assert state_credentials_seed() == {}  # once
    licences = list(Licence.objects.current().select_related("field"))
    assert len({lic.number for lic in licences}) == len(licences)
    progress = progress_for(licences, today=dt.date.today())
    assert any(p.renewable and p.earned > 0 for p in progress.values())
    # New rows through the ORM still get fresh ids after the bulk write.
    extra = Licence.objects.create(
        person=teacher,
        field=licences[0].field,
        stage="initial",
        issued_on=dt.date(2024, 7, 1),
        valid_employment_years=5,
    )
    assert extra.pk not in {lic.pk for lic in licences}
