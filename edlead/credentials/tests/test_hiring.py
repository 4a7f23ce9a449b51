"""Hiring advice: the slate is the licensure eligibility, each candidate's record follows the existing
access rules, the hiring notes are restricted (never the candidate, never educators; 404 elsewhere),
notes are edited by their author with the version check, the CSV and PDF exports, fixed query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.credentials import eligibility, hiring, services, services_hiring
from edlead.credentials import services_postings as sp
from edlead.credentials.compliance import COMPLIANCE_VIEW
from edlead.credentials.models import HiringNote, Posting
from edlead.credentials.tests.factories import kind, make_licence
from edlead.evaluations.models_cycle import Assessment
from edlead.evaluations.tests.factories import cycle_for
from edlead.people.models import Person, Position
from edlead.testing import make_district, make_network, make_person, make_position, make_school, make_user

pytestmark = pytest.mark.django_db
R = Position.Role
G = RoleGrant.Role
TODAY = dt.date.today()


def _licensed(person: Person) -> None:
    """An Initial principal licence and the SEI administrator endorsement (the district's default setting)."""
    make_licence(person, code="principal", stage="initial", issued_on=TODAY - dt.timedelta(days=900))
    services.endorsement_add(actor=None, person=person, kind=kind("sei-administrator"))


class World:
    """A district with two networks; a principal posting at a North school; candidates in both networks."""

    def __init__(self) -> None:
        self.district = make_district("Delta Public Schools")
        other = make_district("Epsilon Public Schools")
        self.north = make_network(self.district, "North")
        self.south = make_network(self.district, "South")
        self.elm = make_school(self.north, "Elm Elementary", grades="K,01,02,03,04,05")
        oak = make_school(self.north, "Oak Elementary", grades="K,01,02,03,04,05")
        pine = make_school(self.south, "Pine Middle", grades="06,07,08")
        self.people: dict[str, Person] = {}
        self.users: dict[str, Any] = {}

        def person(key: str, org: Any, role: str | None, grants: Any = None, licence: bool = False) -> Person:
            p = make_person(key.title(), "Hire")
            if role is not None:
                make_position(p, org, role, starts_on=dt.date(2018, 7, 1))
            if licence:
                _licensed(p)
            self.people[key] = p
            self.users[key] = make_user(p, password=None, grants=grants)
            return p

        person("oak_principal", oak, R.PRINCIPAL, licence=True)
        person("oak_ap", oak, R.ASSISTANT_PRINCIPAL, licence=True)  # a candidate in North
        person("pine_ap", pine, R.ASSISTANT_PRINCIPAL, licence=True)  # a candidate in South
        person("teacher", oak, R.TEACHER)  # no licence: not eligible
        person("supervisor", self.north, R.PRINCIPAL_SUPERVISOR)
        person("south_supervisor", self.south, R.PRINCIPAL_SUPERVISOR)
        person("superintendent", self.district, R.SUPERINTENDENT)
        person("hr", None, None, grants=[(G.HR, self.district)])
        person("district_admin", None, None, grants=[(G.DISTRICT_ADMIN, self.district)])
        person("other_superintendent", other, R.SUPERINTENDENT)
        self.posting = sp.posting_open(
            actor=self.users["hr"],
            organization=self.elm,
            title="Principal, Elm Elementary",
            role=R.PRINCIPAL,
            opens_on=TODAY,
        )
        sp.requirement_add(
            actor=self.users["hr"],
            posting=self.posting,
            kind="licence",
            fields=["principal"],
            min_stage="initial",
        )

    def client(self, key: str) -> Client:
        client = Client()
        client.force_login(self.users[key])
        return client

    def note(
        self, author: str = "supervisor", candidate: str = "oak_ap", text: str = "Ready now."
    ) -> HiringNote:
        return services_hiring.hiring_note_save(
            actor=self.users[author], posting=self.posting, candidate=self.people[candidate], text=text
        )


@pytest.fixture
def w() -> World:
    return World()


@pytest.mark.parametrize("key", ["superintendent", "supervisor", "south_supervisor", "hr"])
def test_the_slate_is_the_licensure_eligibility(w: World, key: str) -> None:
    """Every adviser gets the slate the posting page shows HR and the superintendent."""
    slate = hiring.hiring_slate(w.users[key], w.posting)
    hr_pool = policy.visible_to(w.users["hr"], Person.objects.all(), COMPLIANCE_VIEW)
    expected = eligibility.posting_eligibility(w.posting, visible=hr_pool)
    assert [c.person for c in slate.candidates] == [a.person for a in expected.eligible]
    names = {c.person.pk for c in slate.candidates}
    assert names == {w.people[k].pk for k in ("oak_principal", "oak_ap", "pine_ap")}
    assert w.people["teacher"].pk not in names


def test_licences_on_the_slate_follow_the_licence_rule(w: World) -> None:
    """The North supervisor reads the licences of North's people (their chain), not South's."""
    slate = {c.person.pk: c for c in hiring.hiring_slate(w.users["supervisor"], w.posting).candidates}
    assert [lic.stage for lic in slate[w.people["oak_ap"].pk].licences] == ["initial"]
    assert slate[w.people["pine_ap"].pk].licences == []
    assert slate[w.people["pine_ap"].pk].rating_hidden


@pytest.mark.parametrize(
    ("key", "reads"),
    [
        ("supervisor", True),  # the author
        ("south_supervisor", True),  # another principal supervisor of the district
        ("superintendent", True),
        ("hr", True),
        ("oak_ap", False),  # the candidate
        ("teacher", False),
        ("oak_principal", False),
        ("district_admin", False),
        ("other_superintendent", False),
    ],
)
def test_hiring_notes_are_restricted(w: World, key: str, reads: bool) -> None:
    note = w.note()
    user = w.users[key]
    assert hiring.notes_visible(user).filter(pk=note.pk).exists() is reads
    response = w.client(key).get(reverse("credentials:hiring-advice", args=[w.posting.pk]))
    assert response.status_code == (200 if reads else 404)
    if reads:
        assert "Ready now." in response.content.decode()
    csv_response = w.client(key).get(reverse("credentials:hiring-csv", args=[w.posting.pk]))
    assert csv_response.status_code == (200 if reads else 404)


def test_a_candidate_with_the_advising_role_never_reads_notes_about_themselves(w: World) -> None:
    """A principal supervisor applying for a principalship: the other notes are theirs to read, not their own."""
    candidate = w.people["south_supervisor"]
    _licensed(candidate)
    note = services_hiring.hiring_note_save(
        actor=w.users["superintendent"], posting=w.posting, candidate=candidate, text="Strong."
    )
    assert not hiring.notes_visible(w.users["south_supervisor"]).filter(pk=note.pk).exists()
    assert hiring.notes_visible(w.users["supervisor"]).filter(pk=note.pk).exists()
    with pytest.raises(ApplicationError, match="about yourself"):
        services_hiring.hiring_note_save(
            actor=w.users["south_supervisor"], posting=w.posting, candidate=candidate, text="Me!"
        )


def test_notes_are_written_about_the_slate_only_and_edited_by_their_author(w: World) -> None:
    with pytest.raises(ApplicationError, match="not on this posting's slate"):
        w.note(candidate="teacher")
    with pytest.raises(ApplicationError):
        w.note(author="oak_principal")  # not an adviser
    note = w.note()
    with pytest.raises(ApplicationError, match="edit it"):
        w.note(text="Again")
    edited = services_hiring.hiring_note_save(
        actor=w.users["supervisor"],
        posting=w.posting,
        candidate=w.people["oak_ap"],
        text="Ready now; strong with data teams.",
        expected_version=note.version,
    )
    assert edited.pk == note.pk and edited.version == note.version + 1
    with pytest.raises(editing.EditConflict):
        services_hiring.hiring_note_save(
            actor=w.users["supervisor"],
            posting=w.posting,
            candidate=w.people["oak_ap"],
            text="Stale",
            expected_version=note.version,
        )
    # Another adviser's note is their own: the author's text is untouched.
    w.note(author="south_supervisor", text="Agree.")
    assert HiringNote.objects.get(pk=note.pk).text == "Ready now; strong with data teams."
    assert HiringNote.objects.filter(posting=w.posting, candidate=w.people["oak_ap"]).count() == 2


def test_the_page_saves_a_note_and_a_stale_one_is_refused_plainly(w: World) -> None:
    url = reverse("credentials:hiring-advice", args=[w.posting.pk])
    cid = w.people["oak_ap"].pk
    client = w.client("supervisor")
    response = client.post(url, {"candidate": cid, f"c{cid}-candidate": cid, f"c{cid}-text": "Promising."})
    assert response.status_code == 302
    note = HiringNote.objects.get()
    assert note.author == w.people["supervisor"] and note.text == "Promising."
    client.post(
        url,
        {"candidate": cid, f"c{cid}-candidate": cid, f"c{cid}-version": 1, f"c{cid}-text": "Very promising."},
    )
    stale = client.post(
        url, {"candidate": cid, f"c{cid}-candidate": cid, f"c{cid}-version": 1, f"c{cid}-text": "Old tab."}
    )
    assert stale.status_code == 400
    assert HiringNote.objects.get().text == "Very promising."
    blank = client.post(url, {"candidate": cid, f"c{cid}-candidate": cid, f"c{cid}-text": ""})
    assert blank.status_code == 400 and "This field is required." in blank.content.decode()


def test_the_record_shows_the_rating_only_to_those_the_evaluation_rule_lets_see_it(w: World) -> None:
    cycle = cycle_for(w.people["pine_ap"], school_year=TODAY.year - 2)
    Assessment.objects.create(
        cycle=cycle, stage="summative", overall="proficient", evaluator_signed_at=timezone.now()
    )
    by_super = {c.person.pk: c for c in hiring.hiring_slate(w.users["superintendent"], w.posting).candidates}
    assert by_super[w.people["pine_ap"].pk].rating == "Proficient"
    by_hr = {c.person.pk: c for c in hiring.hiring_slate(w.users["hr"], w.posting).candidates}
    assert by_hr[w.people["pine_ap"].pk].rating == "Proficient"  # HR reads evaluations (DOMAIN.md §3)
    south = {c.person.pk: c for c in hiring.hiring_slate(w.users["south_supervisor"], w.posting).candidates}
    assert south[w.people["pine_ap"].pk].rating == "Proficient"  # their chain
    assert south[w.people["pine_ap"].pk].licences[0].stage == "initial"


def test_the_csv_export_holds_the_slate_and_the_notes(w: World) -> None:
    w.note(text="Ready now; =HYPERLINK is just text.")
    response = w.client("superintendent").get(reverse("credentials:hiring-csv", args=[w.posting.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == hiring.EXPORT_HEADER
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {w.people[k].display_name for k in ("oak_principal", "oak_ap", "pine_ap")}
    ap = by_name[w.people["oak_ap"].display_name]
    assert "Assistant principal, Oak Elementary" in ap[1]
    assert "Initial" in ap[3]
    assert ap[7] == f"{w.people['supervisor'].display_name}: Ready now; =HYPERLINK is just text."


def test_the_pdf_export_holds_the_slate_and_the_notes(w: World) -> None:
    from pypdf import PdfReader

    w.note(text="Ready now for an elementary seat.")
    response = w.client("superintendent").get(reverse("credentials:hiring-pdf", args=[w.posting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Hiring advice: Principal, Elm Elementary" in text
    assert w.people["pine_ap"].display_name in text and "Ready now for an elementary seat." in text


def test_the_posting_page_links_the_advice_for_the_superintendent(w: World) -> None:
    body = w.client("superintendent").get(w.posting.get_absolute_url()).content.decode()
    assert reverse("credentials:hiring-advice", args=[w.posting.pk]) in body
    listed = w.client("south_supervisor").get(reverse("credentials:hiring-list")).content.decode()
    assert "Principal, Elm Elementary" in listed


def test_a_filled_posting_takes_no_new_note(w: World) -> None:
    Posting.objects.filter(pk=w.posting.pk).update(status=Posting.Status.CLOSED)
    w.posting.refresh_from_db()
    with pytest.raises(ApplicationError, match="while the posting is open"):
        w.note()


def test_the_advice_page_issues_a_fixed_number_of_queries(w: World, django_assert_num_queries: Any) -> None:
    url = reverse("credentials:hiring-advice", args=[w.posting.pk])
    client = w.client("superintendent")
    w.note()
    client.get(url)
    with django_assert_num_queries(QUERIES) as small:
        assert client.get(url).status_code == 200
    for i in range(5):
        p = make_person("More", f"Candidate{i}")
        make_position(p, make_school(w.north, f"More School {i}"), R.ASSISTANT_PRINCIPAL)
        _licensed(p)
        services_hiring.hiring_note_save(
            actor=w.users["supervisor"], posting=w.posting, candidate=p, text="Ok"
        )
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    assert policy.can(w.users["superintendent"], policy.HIRING_ADVICE, w.posting)


QUERIES = 24  # session, user, grants, the posting, eligibility (~11), the record (5), audit


def test_the_advice_page_opens_with_the_slate_at_a_glance(w: World) -> None:
    w.note()  # the supervisor's note about the Oak assistant principal
    candidate = w.people["oak_ap"]
    body = (
        w.client("supervisor").get(reverse("credentials:hiring-advice", args=[w.posting.pk])).content.decode()
    )
    table = body[body.index("The slate at a glance") : body.index("</table>")]
    row = table[table.index(f'href="#cand-{candidate.pk}"') :].split("</tr>")[0]
    assert candidate.display_name in row and "1 (yours among them)" in row
    assert f'id="cand-{candidate.pk}"' in body  # the link's target: the record and notes below
    other = w.client("superintendent").get(reverse("credentials:hiring-advice", args=[w.posting.pk]))
    theirs = other.content.decode()
    row = theirs[theirs.index(f'href="#cand-{candidate.pk}"') :].split("</tr>")[0]
    assert "<td>1</td>" in row  # the supervisor's note, not the superintendent's
