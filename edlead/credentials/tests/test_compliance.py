"""Licence compliance: flags (expired, expiring 30/90/180, short of PDPs, a required endorsement missing),
counts by school and network, CSV/XLSX export, who sees whom, and a fixed number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.credentials import compliance, services
from edlead.credentials.tests.factories import kind, make_licence
from edlead.people.models import Person, Position
from edlead.testing import make_district, make_network, make_person, make_position, make_school, make_user

pytestmark = pytest.mark.django_db
R = Position.Role
TODAY = dt.date.today()


def _licence(person: Person, days: int, level: str = "PreK-6") -> None:
    """A Professional principal licence expiring in `days` (negative: expired), issued five years before."""
    expires = TODAY + dt.timedelta(days=days)
    issued = services._add_years(expires, -5) + dt.timedelta(days=1)
    make_licence(person, issued_on=issued, expires_on=expires, grade_level=level)


class World:
    def __init__(self) -> None:
        self.district = make_district("Delta Public Schools")
        self.north = make_network(self.district, "North")
        self.south = make_network(self.district, "South")
        self.n1 = make_school(self.north, "North One Elementary")
        self.n2 = make_school(self.north, "North Two Elementary")
        self.s1 = make_school(self.south, "South One Elementary")
        sei = kind("sei-administrator")
        self.p = {}
        for key, school, days in (
            ("due30", self.n1, 20),
            ("expired", self.n2, -10),
            ("south", self.s1, 1500),
        ):
            person = make_person("Pri", key.capitalize())
            make_position(person, school, R.PRINCIPAL)
            _licence(person, days)
            services.endorsement_add(actor=None, person=person, kind=sei)
            self.p[key] = person
        ap = make_person(
            "Ash", "Nosei"
        )  # an assistant principal without the SEI endorsement, due in 150 days
        make_position(ap, self.n1, R.ASSISTANT_PRINCIPAL)
        _licence(ap, 150)
        self.p["ap"] = ap
        teacher = make_person("Tea", "Cher")
        make_position(teacher, self.n1, R.TEACHER)
        sup = make_person("Sue", "Supervisor")
        make_position(sup, self.north, R.PRINCIPAL_SUPERVISOR)
        self.supervisor = make_user(person=sup, password=None)
        self.hr = make_user(grants=[(RoleGrant.Role.HR, self.district)], password=None)


def test_flags_and_counts_for_hr() -> None:
    w = World()
    data = compliance.compliance_for(w.hr)
    flags = {r.person.pk: r.flags for r in data.rows}
    assert flags[w.p["due30"].pk] == [compliance.DUE_30, compliance.SHORT]  # due in 20 days, no PDPs
    assert flags[w.p["expired"].pk] == [compliance.EXPIRED, compliance.SHORT]  # overdue, never renewed
    assert flags[w.p["ap"].pk] == [compliance.DUE_180, compliance.SHORT, compliance.ENDORSEMENT]
    assert flags[w.p["south"].pk] == []  # years away, within the grace of the pace
    # The supervisor has no credential on record: HR is told to record one, not that an endorsement is
    # missing (EdLead cannot know); they come after everyone with something wrong on record.
    assert flags[w.supervisor.person.pk] == [compliance.NO_RECORD]
    assert data.rows[-2].person == w.supervisor.person and data.rows[-1].person == w.p["south"]
    row = next(r for r in data.rows if r.person == w.p["ap"])
    assert row.missing_endorsements == ["SEI Administrator (required of a assistant principal)"]
    assert row.network == w.north and row.school == w.n1
    assert data.totals["people"] == 5  # four leaders and the supervisor (no licence)
    by_school = {org.pk: counts for org, counts in data.by_school}
    assert by_school[w.n1.pk]["people"] == 2 and by_school[w.n1.pk][compliance.SHORT] == 2
    by_network = {org.pk if org else None: counts for org, counts in data.by_network}
    assert by_network[w.north.pk][compliance.EXPIRED] == 1 and by_network[w.south.pk]["people"] == 1
    assert [r.person for r in data.flagged(compliance.ENDORSEMENT)] == [w.p["ap"]]


def test_supervisor_sees_their_networks_principals_only_and_a_principal_no_page(client: Any) -> None:
    w = World()
    seen = {r.person.pk for r in compliance.compliance_for(w.supervisor).rows}
    assert seen == {w.p["due30"].pk, w.p["expired"].pk, w.p["ap"].pk}
    other_hr = make_user(grants=[(RoleGrant.Role.HR, make_district())], password=None)
    assert compliance.compliance_for(other_hr).rows == []
    educator = make_user(person=make_person("Edu", "Cator"), password=None)
    client.force_login(educator)
    assert client.get(reverse("credentials:compliance")).status_code == 403


def test_page_and_exports(client: Any) -> None:
    w = World()
    client.force_login(w.hr)
    url = reverse("credentials:compliance")
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        "Pri Expired" in body and "North One Elementary" in body and "Missing a required endorsement" in body
    )
    filtered = client.get(url, {"flag": "expired"}).content.decode()
    assert "Pri Expired" in filtered and "Pri Due30" not in filtered.split("By school")[0]
    response = client.get(url, {"format": "csv", "flag": "endorsement"})
    assert response["Content-Type"].startswith("text/csv") and "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(compliance.EXPORT_HEADER)
    assert [r[0] for r in rows[1:]] == ["Nosei, Ash"] and "SEI Administrator" in rows[1][12]
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 1 + 5  # a line per licence, the supervisor's "No current licence"


def _grow(w: World, n: int) -> None:
    for i in range(n):
        person = make_person("More", f"Leader{i}")
        make_position(person, w.n2 if i % 2 else w.s1, R.ASSISTANT_PRINCIPAL)
        _licence(person, 40 + 30 * i)


@pytest.mark.parametrize("extra", [0, 10])
def test_compliance_in_a_fixed_number_of_queries(django_assert_num_queries: Any, extra: int) -> None:
    w = World()
    _grow(w, extra)
    policy.forget_grants(w.hr)
    with django_assert_num_queries(9):
        data = compliance.compliance_for(w.hr)
    assert len(data.rows) == 5 + extra


def test_a_state_administrator_sees_every_district_in_the_same_number_of_queries(
    django_assert_num_queries: Any,
) -> None:
    w = World()
    other = make_district("Omega Public Schools")
    school = make_school(other, "Omega Elementary")
    principal = make_person("Omar", "Omega")
    make_position(principal, school, R.PRINCIPAL)
    _licence(principal, 60)
    from edlead.testing import make_state

    admin = make_user(grants=[(RoleGrant.Role.STATE_ADMIN, make_state())], password=None)
    policy.forget_grants(admin)
    with django_assert_num_queries(9):
        data = compliance.compliance_for(admin)
    assert {r.person.pk for r in data.rows} >= {principal.pk, w.p["due30"].pk}
    flags = {r.person.pk: r.flags for r in data.rows}
    assert compliance.ENDORSEMENT in flags[principal.pk]  # Omega's setting: the state's default


def test_the_list_is_paged_and_the_counts_and_downloads_hold_everyone(client: Any) -> None:
    from edlead.credentials.views_compliance import PER_PAGE

    w = World()
    _grow(w, PER_PAGE)  # 5 + PER_PAGE leaders: two pages
    client.force_login(w.hr)
    url = reverse("credentials:compliance")
    first = client.get(url).content.decode()
    listed = first.split("By school")[0]
    assert f"Every leader ({5 + PER_PAGE})" in first and f"Showing 1–{PER_PAGE} of {5 + PER_PAGE}" in first
    assert listed.count('<th scope="row">') == PER_PAGE
    second = client.get(url, {"page": 2}).content.decode().split("By school")[0]
    assert second.count('<th scope="row">') == 5
    # Those with something to act on come first: the far-off South principal is on the last page.
    assert "Pri South" in second and "Pri South" not in listed
    rows = list(csv.reader(io.StringIO(client.get(url, {"format": "csv"}).content.decode("utf-8-sig"))))
    assert len({r[0] for r in rows[1:]}) == 5 + PER_PAGE


def test_a_reader_of_many_districts_chooses_one_first(client: Any) -> None:
    from edlead.testing import make_state

    w = World()
    other = make_district("Omega Public Schools")
    make_position(make_person("Omar", "Omega"), make_school(other, "Omega Elementary"), R.PRINCIPAL)
    admin = make_user(grants=[(RoleGrant.Role.STATE_ADMIN, make_state())], password=None)
    client.force_login(admin)
    url = reverse("credentials:compliance")
    chooser = client.get(url).content.decode()
    assert f"?district={other.pk}" in chooser and f"?district={w.district.pk}" in chooser
    assert "Omar Omega" not in chooser
    page = client.get(url, {"district": other.pk}).content.decode()
    assert "Licence compliance: Omega Public Schools" in page and "Omar Omega" in page
    assert "Pri Due30" not in page  # Delta's leaders are on Delta's page
    csv_file = client.get(url, {"district": other.pk, "format": "csv"})
    assert csv_file["Content-Disposition"].count("edlead-licence-compliance-") == 1
    assert [r[0] for r in csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig")))][1:] == [
        "Omega, Omar"
    ]
    assert compliance.district_choices(w.hr) is None  # HR of one district: its page at once
    client.force_login(w.hr)
    assert "Pri Due30" in client.get(url).content.decode()
