"""Credential imports: licence records and PDP activities through the import framework — dry run first,
people matched by MEPID within the importer's scope (others skipped and listed), re-imports changing
nothing, and bad input refused per row and column with nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from edlead.access.models import RoleGrant
from edlead.credentials.kinds import LicenceRecords, PdpActivities
from edlead.credentials.models import Licence, PdpActivity
from edlead.credentials.tests.factories import make_licence
from edlead.imports.services import import_file
from edlead.people.models import Position
from edlead.testing import make_district, make_person, make_position, make_school, make_user

pytestmark = pytest.mark.django_db
R = Position.Role
LICENCE_HEADER = "MEPID,Licence Number,Field,Level,Stage,Issue Date,Expiry Date,State\n"
PDP_HEADER = "MEPID,Provider,Title,Start Date,End Date,Hours,Category\n"


class World:
    def __init__(self) -> None:
        self.district = make_district("Epsilon Public Schools")
        school = make_school(self.district, "Elm Elementary")
        self.a = make_person("Ann", "Able", mepid="11111111")
        make_position(self.a, school, R.PRINCIPAL)
        self.b = make_person("Ben", "Baker", mepid="22222222")
        make_position(self.b, school, R.ASSISTANT_PRINCIPAL)
        other = make_school(make_district("Zeta Public Schools"), "Far School")
        self.outsider = make_person("Oda", "Other", mepid="33333333")
        make_position(self.outsider, other, R.PRINCIPAL)
        self.hr = make_user(grants=[(RoleGrant.Role.HR, self.district)], password=None)

    def run(
        self, tmp_path: Path, name: str, text: str, *, dry_run: bool = False, kind: str | None = None
    ) -> Any:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return import_file(
            path=path, actor=self.hr, scope_paths=(self.district.path,), dry_run=dry_run, kind=kind
        )


def _errors(outcome: Any) -> list[tuple[int | None, str | None, str]]:
    return [(e.line, e.column, e.message) for e in outcome.errors]


def test_licence_records_dry_run_then_apply_then_reimport_unchanged(tmp_path: Path) -> None:
    w = World()
    text = LICENCE_HEADER + (
        "11111111,510001,Principal/Assistant Principal,PreK-6,Professional,2023-07-01,2028-06-30,MA\n"
        "22222222,510002,principal,PreK-6,Initial,2024-07-01,,MA\n"
        "33333333,510003,Principal/Assistant Principal,9-12,Professional,2023-07-01,2028-06-30,MA\n"
        "44444444,510004,Principal/Assistant Principal,9-12,Professional,2023-07-01,2028-06-30,MA\n"
    )
    preview = w.run(tmp_path, "licences.csv", text, dry_run=True)
    assert preview.kind == LicenceRecords.slug and not preview.refused
    assert Licence.objects.count() == 0
    outcome = w.run(tmp_path, "licences.csv", text)
    assert not outcome.refused and outcome.applied
    assert outcome.created == 2 or len([c for c in outcome.changes if c.action == "create"]) == 2
    # The outsider (another district) and the unknown MEPID are skipped alike, and listed.
    assert sorted((s.line, s.column) for s in outcome.skips) == [(4, "MEPID"), (5, "MEPID")]
    assert all("not among the people you may record credentials for" in s.message for s in outcome.skips)
    a = Licence.objects.get(person=w.a)
    assert (a.number, a.stage, a.expires_on, a.source) == (
        "510001",
        "professional",
        dt.date(2028, 6, 30),
        "import",
    )
    b = Licence.objects.get(person=w.b)
    assert b.expires_on is None and b.valid_employment_years == 5  # Initial: from the state's rules
    again = w.run(tmp_path, "licences.csv", text)
    assert again.unchanged == 2 and not [c for c in again.changes]
    assert Licence.objects.count() == 2


def test_licence_renewal_and_correction_keep_history(tmp_path: Path) -> None:
    w = World()
    old = make_licence(
        w.a,
        number="520001",
        issued_on=dt.date(2018, 7, 1),
        expires_on=dt.date(2023, 6, 30),
        grade_level="PreK-6",
    )
    text = (
        LICENCE_HEADER
        + "11111111,520001,Principal/Assistant Principal,PreK-6,Professional,2023-07-01,2028-06-30,MA\n"
    )
    outcome = w.run(tmp_path, "renew.csv", text)
    assert not outcome.refused
    current = Licence.objects.current().get(person=w.a)
    assert current.issued_on == dt.date(2023, 7, 1) and current.pk != old.pk
    old.refresh_from_db()
    assert old.change == Licence.Change.RENEWED and old.superseded_by_id == current.pk


def test_licence_bad_input_refused_per_row_and_column_nothing_written(tmp_path: Path) -> None:
    w = World()
    make_licence(w.b, number="530009", issued_on=dt.date(2022, 7, 1), grade_level="PreK-6")
    text = LICENCE_HEADER + (
        "11111111,530001,Principal/Assistant Principal,PreK-6,Professional,2023-07-01,2028-06-30,MA\n"
        "11111111,530002,Wizardry,PreK-6,Professional,2023-07-01,2028-06-30,MA\n"
        "11111111,530003,Principal/Assistant Principal,PreK-6,Grand Master,2023-07-01,2028-06-30,MA\n"
        "11111111,530005,Principal/Assistant Principal,K-12,Professional,2023-07-01,2028-06-30,MA\n"
        "11111111,530009,Principal/Assistant Principal,PreK-6,Professional,2023-07-01,2028-06-30,MA\n"
        "11111111,530010,Principal/Assistant Principal,PreK-6,Professional,2023-07-01,2028-06-30,MA\n"
        "22222222,530010,Principal/Assistant Principal,PreK-6,Professional,2023-07-01,2028-06-30,MA\n"
    )
    outcome = w.run(tmp_path, "bad.csv", text)
    assert outcome.refused and not outcome.applied
    errors = _errors(outcome)
    columns = {(line, column) for line, column, _ in errors}
    assert columns == {(3, "Field"), (4, "Stage"), (8, "Licence Number")}  # 8: one number, two people
    messages = " ".join(m for _, _, m in errors)
    assert (
        "“Wizardry” is not a licence field" in messages
        and "“Grand Master” is not a licence stage" in messages
    )
    assert Licence.objects.exclude(person=w.b).count() == 0
    # Rows that read well but contradict themselves: expiry before issue.
    backwards = LICENCE_HEADER + (
        "11111111,530001,Principal/Assistant Principal,PreK-6,Professional,2023-07-01,2028-06-30,MA\n"
        "11111111,530004,Principal/Assistant Principal,PreK-6,Professional,2023-07-01,2021-06-30,MA\n"
    )
    outcome = w.run(tmp_path, "backwards.csv", backwards)
    assert _errors(outcome) == [(3, "Expiry Date", "2021-06-30 is before the issue date 2023-07-01")]
    assert Licence.objects.exclude(person=w.b).count() == 0
    # Checked against the records too: a level the field lacks; a number recorded for someone else.
    text2 = LICENCE_HEADER + (
        "11111111,530005,Principal/Assistant Principal,K-12,Professional,2023-07-01,2028-06-30,MA\n"
        "11111111,530009,Principal/Assistant Principal,PreK-6,Professional,2023-07-01,2028-06-30,MA\n"
        "11111111,530011,Principal/Assistant Principal,PreK-6,Professional,2023-07-01,2028-06-30,MA\n"
    )
    outcome = w.run(tmp_path, "bad2.csv", text2)
    assert outcome.refused
    assert {(line, column) for line, column, _ in _errors(outcome)} == {(2, "Level"), (3, "Licence Number")}
    assert "recorded for another person" in _errors(outcome)[1][2]
    assert Licence.objects.exclude(person=w.b).count() == 0  # line 4 was fine, yet nothing is half-written


def test_pdp_activities_once_per_person_provider_title_start(tmp_path: Path) -> None:
    w = World()
    text = PDP_HEADER + (
        "11111111,Leadership Academy,SEI for leaders,2025-10-04,2025-10-05,15,sei\n"
        "22222222,Leadership Academy,SEI for leaders,2025-10-04,2025-10-05,15,sei\n"
        "11111111,Leadership Academy,Observation and feedback,2026-01-10,,12,Pedagogy\n"
        "99999999,Leadership Academy,SEI for leaders,2025-10-04,2025-10-05,15,sei\n"
    )
    preview = w.run(tmp_path, "attendance.csv", text, dry_run=True)
    assert preview.kind == PdpActivities.slug and PdpActivity.objects.count() == 0
    outcome = w.run(tmp_path, "attendance.csv", text)
    assert not outcome.refused and PdpActivity.objects.count() == 3
    assert [(s.line, s.column) for s in outcome.skips] == [(5, "MEPID")]
    feedback = PdpActivity.objects.get(person=w.a, title="Observation and feedback")
    assert feedback.ends_on == dt.date(2026, 1, 10) and [a.category for a in feedback.allocations.all()] == [
        "pedagogy"
    ]
    again = w.run(tmp_path, "attendance-again.csv", text)
    assert again.unchanged == 3 and PdpActivity.objects.count() == 3  # the same activity is one activity


def test_pdp_bad_input_refused_per_row_and_column(tmp_path: Path) -> None:
    w = World()
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    text = PDP_HEADER + (
        "11111111,Academy,Good one,2025-10-04,2025-10-05,15,sei\n"
        "11111111,Academy,Negative,2025-10-04,,-3,sei\n"
        "11111111,Academy,Absurd,2025-10-04,,9000,sei\n"
        "11111111,Academy,Unknown category,2025-10-04,,5,astrology\n"
    )
    outcome = w.run(tmp_path, "bad.csv", text)
    assert outcome.refused
    columns = {(line, column) for line, column, _ in _errors(outcome)}
    assert columns == {(3, "Hours"), (4, "Hours"), (5, "Category")}
    messages = " ".join(m for _, _, m in _errors(outcome))
    assert "more than zero hours" in messages and "more than one activity can be" in messages
    dates = PDP_HEADER + (
        "11111111,Academy,Good one,2025-10-04,2025-10-05,15,sei\n"
        "11111111,Academy,Backwards,2025-10-04,2025-10-01,5,sei\n"
        f"11111111,Academy,Not yet,{future},,5,sei\n"
    )
    outcome = w.run(tmp_path, "dates.csv", dates)
    assert {(line, column) for line, column, _ in _errors(outcome)} == {(3, "End Date"), (4, "Start Date")}
    assert PdpActivity.objects.count() == 0


def test_templates_download_for_hr(client: Any) -> None:
    w = World()
    client.force_login(w.hr)
    for kind in (LicenceRecords, PdpActivities):
        response = client.get(reverse("imports:kind-template", args=[kind.slug]))
        assert response.status_code == 200
        header = response.content.decode("utf-8-sig").splitlines()[0]
        assert header == ",".join(kind.template_header)
