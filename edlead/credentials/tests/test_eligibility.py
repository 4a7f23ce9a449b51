"""Eligibility: a posting's eligible and near candidates with reasons, the roles a person qualifies for,
bench strength per school, the district's endorsement setting, access, and fixed query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.config import services as config_services
from edlead.credentials import eligibility, services
from edlead.credentials import services_postings as sp
from edlead.credentials.compliance import COMPLIANCE_VIEW
from edlead.credentials.eligibility import covers_school
from edlead.credentials.models import Degree, Posting, Requirement
from edlead.credentials.tests.factories import kind, make_licence
from edlead.people.models import Person, Position
from edlead.testing import make_district, make_network, make_person, make_position, make_school, make_user

pytestmark = pytest.mark.django_db
R = Position.Role
TODAY = dt.date.today()
LEADERSHIP = ["principal", "principal_supervisor", "director", "assistant_superintendent", "superintendent"]


def _creds(
    person: Person,
    *,
    field: str = "principal",
    level: str = "",
    stage: str = "professional",
    sei: bool = True,
    degree: str = "master",
) -> None:
    make_licence(person, code=field, stage=stage, issued_on=TODAY - dt.timedelta(days=700), grade_level=level)
    if sei:
        services.endorsement_add(actor=None, person=person, kind=kind("sei-administrator"))
    if degree:
        services.degree_add(
            actor=None, person=person, level=degree, field="Leadership", institution="State U", year=2008
        )


class World:
    def __init__(self) -> None:
        self.district = make_district("Gamma Public Schools")
        self.network = make_network(self.district, "North")
        self.elem = make_school(self.network, "Oak Elementary", grades="PK,K,01,02,03,04,05,06")
        self.high = make_school(self.network, "River High", grades="09,10,11,12")
        p: dict[str, Person] = {}
        self.people = p
        p["dir"] = make_person("Dana", "Director")
        make_position(p["dir"], self.district, R.DIRECTOR, starts_on=dt.date(2015, 7, 1))
        _creds(p["dir"], field="superintendent", degree="doctorate")
        p["pe"] = make_person("Pat", "Elem")
        make_position(p["pe"], self.elem, R.PRINCIPAL, starts_on=dt.date(2019, 7, 1))
        _creds(p["pe"], level="PreK-6")
        p["ph"] = make_person("Paz", "High")
        make_position(p["ph"], self.high, R.PRINCIPAL, starts_on=dt.date(2023, 7, 1))
        _creds(p["ph"], level="9-12")
        p["aph"] = make_person("Ari", "Assistant")
        make_position(p["aph"], self.high, R.ASSISTANT_PRINCIPAL, starts_on=dt.date(2018, 7, 1))
        _creds(p["aph"], level="9-12", stage="initial")
        p["ape"] = make_person("Ali", "Nosei")
        make_position(p["ape"], self.elem, R.ASSISTANT_PRINCIPAL, starts_on=dt.date(2020, 7, 1))
        _creds(p["ape"], level="PreK-6", sei=False)
        p["t"] = make_person("Tam", "Teacher")
        make_position(p["t"], self.elem, R.TEACHER, starts_on=dt.date(2010, 7, 1))
        self.hr = make_user(grants=[(RoleGrant.Role.HR, self.district)], password=None)

    def executive_director(self) -> Any:
        posting = sp.posting_open(
            actor=self.hr,
            organization=self.district,
            title="Executive Director of Instruction and School Leadership",
            role=R.DIRECTOR,
            opens_on=TODAY,
        )
        add = sp.requirement_add
        add(
            actor=self.hr,
            posting=posting,
            kind="licence",
            fields=["principal", "superintendent"],
            min_stage="initial",
        )
        add(actor=self.hr, posting=posting, kind="endorsement", fields=["sei-administrator"])
        add(actor=self.hr, posting=posting, kind="degree", degree_level=Degree.Level.MASTER)
        add(actor=self.hr, posting=posting, kind="experience", years=5, roles=LEADERSHIP)
        add(
            actor=self.hr,
            posting=posting,
            kind="degree",
            degree_level=Degree.Level.DOCTORATE,
            importance="preferred",
        )
        return posting

    def principal_template(self) -> Any:
        template = sp.role_template_get_or_create(actor=self.hr, district=self.district, role=R.PRINCIPAL)
        sp.requirement_add(
            actor=self.hr,
            template=template,
            kind="licence",
            fields=["principal"],
            min_stage="initial",
            levels=["school"],
        )
        sp.requirement_add(actor=self.hr, template=template, kind="degree", degree_level=Degree.Level.MASTER)
        return template

    def visible(self) -> Any:
        return policy.visible_to(self.hr, Person.objects.all(), COMPLIANCE_VIEW)


def test_executive_director_posting_lists_eligible_first_by_preferred_and_near_with_reasons() -> None:
    w = World()
    result = eligibility.posting_eligibility(w.executive_director(), visible=w.visible())
    eligible = [a.person for a in result.eligible]
    assert eligible == [w.people["dir"], w.people["pe"]]  # the doctorate (preferred) first
    assert result.eligible[0].preferred_met == ["Doctorate degree or higher"]
    near = {a.person.pk: a.lacking for a in result.near}
    assert near[w.people["ph"].pk] == [
        "3.4 of 5 years as principal or principal supervisor or director or assistant superintendent or superintendent"
    ]
    assert near[w.people["aph"].pk][0].startswith("0 of 5 years")
    assert near[w.people["ape"].pk] == [
        "no SEI Administrator endorsement",
        "0 of 5 years as principal or principal supervisor or director or assistant superintendent or superintendent",
    ]
    assert w.people["t"].pk not in near  # lacks four things: not a near-candidate
    words = [text for _, text in result.described]
    assert (
        words[0]
        == "Principal/Assistant Principal or Superintendent/Assistant Superintendent licence, Initial or higher"
    )


def test_licence_stage_and_level_reasons_and_school_level_rule() -> None:
    w = World()
    posting = sp.posting_open(
        actor=w.hr, organization=w.high, title="Principal, River High", role=R.PRINCIPAL, opens_on=TODAY
    )
    sp.requirement_add(
        actor=w.hr,
        posting=posting,
        kind="licence",
        fields=["principal"],
        min_stage="professional",
        levels=["school"],
    )
    result = eligibility.posting_eligibility(posting, visible=w.visible())
    lacking = {a.person.pk: a.lacking for a in result.near}
    assert lacking[w.people["aph"].pk] == [
        "licence below Professional: holds Principal/Assistant Principal (Initial)"
    ]
    assert lacking[w.people["pe"].pk] == [
        "licence at another level: holds Principal/Assistant Principal PreK-6"
    ]
    assert w.people["ph"].pk not in lacking and all(
        a.person != w.people["ph"] for a in result.eligible
    )  # the seat's holder
    assert covers_school("9-12", "09,10,11,12") and not covers_school("PreK-6", "09,10,11,12")
    assert covers_school("PreK-6", "K,01,02,03,04,05,06,07,08") and not covers_school(
        "5-8", "K,01,02,03,04,05,06,07,08"
    )
    assert covers_school("5-8", "")


def test_endorsements_a_role_requires_come_from_the_district_setting() -> None:
    w = World()
    posting = sp.posting_open(
        actor=w.hr, organization=w.elem, title="Principal, Oak", role=R.PRINCIPAL, opens_on=TODAY
    )
    result = eligibility.posting_eligibility(posting, visible=w.visible())
    assert [(n.kind, n.fields, n.source) for n, _ in result.described] == [
        ("endorsement", ("sei-administrator",), "setting")
    ]
    assert w.people["ape"].pk in {a.person.pk for a in result.near}
    config_services.setting_set(
        actor=None,
        organization=w.district,
        key="credentials.required_endorsements",
        value="",
        expected_version=0,
    )
    from edlead.orgs.models import Organization

    fresh = type(posting).objects.select_related("organization__district").get(pk=posting.pk)
    fresh.organization = Organization.objects.select_related("district").get(pk=w.elem.pk)
    result = eligibility.posting_eligibility(fresh, visible=w.visible())
    assert result.needs == []
    assert w.people["ape"].pk in {a.person.pk for a in result.eligible}


def test_a_person_sees_which_roles_they_qualify_for_now() -> None:
    w = World()
    w.principal_template()
    w.executive_director()
    fits = {f.label: f.assessment for f in eligibility.roles_for_person(w.people["aph"])}
    assert fits["Principal"].eligible
    assert not fits["Executive Director of Instruction and School Leadership"].eligible
    assert (
        fits["Executive Director of Instruction and School Leadership"].lacking[0].startswith("0 of 5 years")
    )


def test_bench_strength_counts_candidates_per_school_and_names_schools_with_none() -> None:
    w = World()
    w.principal_template()
    bench = eligibility.bench_strength(w.district, visible=w.visible())
    by_school = {s.school.pk: s for s in bench.schools}
    high, elem = by_school[w.high.pk], by_school[w.elem.pk]
    assert high.principals == [w.people["ph"]] and high.eligible == [w.people["aph"]]
    assert high.in_school == [w.people["aph"]] and not high.none_if_left
    # Oak's assistant principal lacks the SEI endorsement; principals elsewhere are not counted.
    assert elem.eligible == [] and elem.none_if_left
    assert [s.school for s in bench.without_successor] == [w.elem]


def test_requirement_bad_input_is_refused_in_words() -> None:
    w = World()
    template = sp.role_template_get_or_create(actor=w.hr, district=w.district, role=R.PRINCIPAL)
    from edlead.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="unknown: wizard"):
        sp.requirement_add(actor=w.hr, template=template, kind="licence", fields=["wizard"])
    with pytest.raises(ApplicationError, match="years"):
        sp.requirement_add(actor=w.hr, template=template, kind="experience", roles=["principal"])
    with pytest.raises(ApplicationError, match="degree level"):
        sp.requirement_add(actor=w.hr, template=template, kind="degree", degree_level="wizardry")
    outsider = make_user(grants=[(RoleGrant.Role.HR, make_district())], password=None)
    with pytest.raises(ApplicationError, match="may not manage"):
        sp.requirement_add(actor=outsider, template=template, kind="degree", degree_level="master")
    assert Requirement.objects.count() == 0


def test_posting_pages_for_hr_not_for_a_principal_nor_another_district(client: Any) -> None:
    w = World()
    posting = w.executive_director()
    w.principal_template()
    client.force_login(w.hr)
    page = client.get(posting.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "Dana Director" in body and "3.4 of 5 years" in body
    assert page["Cache-Control"].startswith("private") or "no-store" in page["Cache-Control"]
    for name in ("credentials:bench", "credentials:role-requirements"):
        assert client.get(reverse(name, args=[w.district.pk])).status_code == 200
    assert "Oak Elementary" in client.get(reverse("credentials:bench", args=[w.district.pk])).content.decode()
    assert client.get(reverse("credentials:posting-list")).status_code == 200
    principal = make_user(person=w.people["pe"], password=None)
    client.force_login(principal)
    assert client.get(posting.get_absolute_url()).status_code == 404
    assert client.get(reverse("credentials:posting-list")).status_code == 403
    # A principal sees the roles they qualify for on their own page.
    mine = client.get(reverse("credentials:person-roles", args=[w.people["pe"].pk]))
    assert mine.status_code == 200 and "Executive Director" in mine.content.decode()
    other_hr = make_user(grants=[(RoleGrant.Role.HR, make_district())], password=None)
    client.force_login(other_hr)
    assert client.get(posting.get_absolute_url()).status_code == 404
    assert client.get(reverse("credentials:bench", args=[w.district.pk])).status_code == 404


def test_hr_edits_role_requirements_through_the_page(client: Any) -> None:
    w = World()
    client.force_login(w.hr)
    url = reverse("credentials:role-requirements", args=[w.district.pk])
    response = client.post(
        url, {"role": "principal", "kind": "degree", "importance": "required", "degree_level": "master"}
    )
    assert response.status_code == 302
    row = Requirement.objects.get()
    assert row.template is not None and row.template.role == "principal"
    assert "Master" in client.get(url).content.decode()
    bad = client.post(
        url, {"role": "principal", "kind": "licence", "importance": "required", "fields_text": "wizard"}
    )
    assert bad.status_code == 200 and "unknown: wizard" in bad.content.decode()
    client.post(url, {"remove": row.pk})
    assert Requirement.objects.count() == 0
    superintendent_user = make_user(password=None, grants=[(RoleGrant.Role.SUPERINTENDENT, w.district)])
    client.force_login(superintendent_user)
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"role": "principal", "kind": "degree", "importance": "required"}).status_code == 403
    )


def _grow(w: World, n: int) -> None:
    for i in range(n):
        person = make_person("Extra", f"Leader{i}")
        make_position(
            person, w.high if i % 2 else w.elem, R.ASSISTANT_PRINCIPAL, starts_on=dt.date(2016, 7, 1)
        )
        _creds(person, level="9-12" if i % 2 else "PreK-6", sei=bool(i % 3))
        make_position(person, w.elem, R.TEACHER, starts_on=dt.date(2010, 7, 1), ends_on=dt.date(2016, 6, 30))


@pytest.mark.parametrize("extra", [0, 12])
def test_eligibility_and_bench_in_a_fixed_number_of_queries(
    django_assert_num_queries: Any, extra: int
) -> None:
    w = World()
    posting = w.executive_director()
    w.principal_template()
    _grow(w, extra)
    from edlead.credentials.models_postings import Posting

    fresh = Posting.objects.select_related("organization__district").get(pk=posting.pk)
    visible = w.visible()
    policy.forget_grants(w.hr)
    with django_assert_num_queries(11):
        result = eligibility.posting_eligibility(fresh, visible=visible)
    assert len(result.eligible) + len(result.near) >= 3 + extra // 2
    district = type(w.district).objects.get(pk=w.district.pk)
    policy.forget_grants(w.hr)
    # 14: the district's principals and the holders of a required licence are read first, so that only
    # those holders' evidence is loaded.
    with django_assert_num_queries(14):
        bench = eligibility.bench_strength(district, visible=w.visible())
    assert len(bench.schools) == 2


def test_hr_opens_and_fills_a_posting_through_the_pages(client: Any) -> None:
    w = World()
    client.force_login(w.hr)
    url = reverse("credentials:posting-add", args=[w.district.pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "title": "Principal",
            "organization": w.high.pk,
            "role": "principal",
            "opens_on": "2026-05-01",
            "closes_on": "2026-04-01",
        },
    )
    assert bad.status_code == 200 and "cannot close before it opens" in bad.content.decode()
    response = client.post(
        url,
        {
            "title": "Principal, River High",
            "organization": w.high.pk,
            "role": "principal",
            "opens_on": "2026-05-01",
        },
    )
    posting = Posting.objects.get(title="Principal, River High")
    assert response.status_code == 302 and response["Location"] == posting.get_absolute_url()
    page = client.get(posting.get_absolute_url()).content.decode()
    assert "Ari Assistant" in page and "Fill or close" in page
    client.post(reverse("credentials:posting-fill", args=[posting.pk]), {"person": w.people["aph"].pk})
    posting.refresh_from_db()
    assert posting.status == Posting.Status.FILLED and posting.filled_by == w.people["aph"]
    # The superintendent reads postings but does not open or fill them.
    superintendent_user = make_user(password=None, grants=[(RoleGrant.Role.SUPERINTENDENT, w.district)])
    client.force_login(superintendent_user)
    assert client.get(url).status_code == 404
    assert client.get(posting.get_absolute_url()).status_code == 200
