"""Rules as data and renewal progress, exactly as DOMAIN.md §4 says for Massachusetts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from edlead.core.errors import ApplicationError
from edlead.credentials import services
from edlead.credentials.models import Licence, PdpActivity, StateRules
from edlead.credentials.progress import AT_RISK, COMPLETE, ON_TRACK, OVERDUE, progress_for
from edlead.credentials.rules import RulesError
from edlead.credentials.tests.factories import field, make_activity, make_licence
from edlead.testing import make_person

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
TODAY = dt.date(2025, 1, 15)
ISSUED = dt.date(2022, 7, 1)  # a Professional licence: 1 July 2022 – 30 June 2027


def _progress(licence: Licence, today: dt.date = TODAY) -> Any:
    licence.refresh_from_db()
    return progress_for([licence], today=today)[licence.pk]


def _fill(person: Any, *, skip: str = "", extra_elective: int = 90) -> None:
    """15 PDPs in each required category (one topic each) and the rest elective."""
    for code in ("sei", "disabilities", "content", "pedagogy"):
        if code != skip:
            make_activity(person, title=f"Course on {code}", hours=15, category=code)
    if extra_elective:
        make_activity(person, title="Elective institute", hours=extra_elective, category="elective")


def test_massachusetts_defaults_are_loaded_by_migrate_exactly_as_the_domain_says() -> None:
    ma = services.ruleset_for("MA")
    assert ma is not None
    assert ma.units == {
        "clock_hour": Decimal("1"),
        "undergraduate_credit": Decimal("15"),
        "graduate_credit": Decimal("22.5"),
        "audit": Decimal("7.5"),
        "ceu": Decimal("10"),
    }
    assert {s: (v.years, v.employment_years) for s, v in ma.stages.items()} == {
        "temporary": (1, None),
        "provisional": (None, 5),
        "initial": (None, 5),
        "professional": (5, None),
    }
    renewal = ma.renewal_for("professional", "principal", "administrator")
    assert renewal is not None
    assert renewal.requirement.total == 150
    assert renewal.requirement.category_minimums == {
        "sei": 15,
        "disabilities": 15,
        "content": 15,
        "pedagogy": 15,
    }
    assert renewal.topic_minimum == 10
    assert renewal.additional.total == 30 and renewal.additional.category_minimums == {"content": 15}
    assert ma.renewal_for("initial", "principal") is None
    assert StateRules.objects.get(state="MA").origin == StateRules.Origin.DEFAULT


def test_validity_comes_from_the_rules_when_not_given() -> None:
    person = make_person()
    pro = make_licence(person, issued_on=ISSUED)
    assert pro.expires_on == dt.date(2027, 6, 30) and pro.valid_employment_years is None
    initial = make_licence(person, code="superintendent", stage=Licence.Stage.INITIAL, issued_on=ISSUED)
    assert initial.expires_on is None and initial.valid_employment_years == 5
    p = _progress(initial)
    assert not p.renewable and "years of employment" in p.note


def test_complete_renewal_is_complete_and_a_missing_category_is_named() -> None:
    person = make_person()
    licence = make_licence(person, issued_on=ISSUED)
    _fill(person)
    p = _progress(licence)
    assert (p.required, p.earned, p.missing, p.status) == (150, 150, 0, COMPLETE)
    other = make_person()
    licence2 = make_licence(other, issued_on=ISSUED)
    _fill(other, skip="sei", extra_elective=105)  # 150 in all, none of it SEI
    p2 = _progress(licence2)
    assert p2.earned == 150 and p2.missing == 15
    assert [c.code for c in p2.categories if c.missing] == ["sei"]
    assert p2.missing_text.startswith("15 PDPs (at least 15 SEI")


def test_an_activity_counts_only_with_ten_pdps_on_its_topic() -> None:
    person = make_person()
    licence = make_licence(person, issued_on=ISSUED)
    alone = make_activity(person, title="Short workshop", hours=9, category="pedagogy")
    make_activity(person, title="Data teams, part 1", topic="Data teams", hours=5, category="content")
    make_activity(
        person,
        title="Data teams, part 2",
        topic="Data teams",
        hours=5,
        category="content",
        ends_on=dt.date(2024, 4, 1),
    )
    p = _progress(licence)
    assert p.earned == 10
    lines = {c.code: c.earned for c in p.categories}
    assert lines["content"] == 10 and lines["pedagogy"] == 0
    refused = next(c for c in p.activities if c.activity.pk == alone.pk)
    assert not refused.counted and "only 9 PDPs on this topic (at least 10 needed)" in refused.reason
    # Exactly ten counts.
    make_activity(
        person, title="Short workshop, follow-up", topic="Short workshop", hours=1, category="pedagogy"
    )
    assert _progress(licence).earned == 20


def test_each_additional_licence_adds_thirty_with_fifteen_content() -> None:
    person = make_person()
    principal = make_licence(person, issued_on=ISSUED)
    assert _progress(principal).required == 150
    make_licence(person, code="supervisor-director", issued_on=ISSUED, grade_level="All levels")
    make_licence(person, code="special-education-administrator", issued_on=ISSUED)
    p = _progress(principal)
    assert p.additional_licences == 2
    assert p.required == 210
    assert {c.code: c.required for c in p.categories}["content"] == 45
    # A licence that is not renewed with PDPs (Initial) adds nothing.
    make_licence(person, code="superintendent", stage=Licence.Stage.INITIAL, issued_on=ISSUED)
    assert _progress(principal).required == 210


def test_graduate_credits_convert_at_twenty_two_and_a_half() -> None:
    person = make_person()
    licence = make_licence(person, issued_on=ISSUED)
    make_activity(
        person, title="Graduate course", hours=3, unit=PdpActivity.Unit.GRADUATE_CREDIT, category="content"
    )
    make_activity(
        person, title="Evening course", hours=1, unit=PdpActivity.Unit.UNDERGRADUATE_CREDIT, category="sei"
    )
    make_activity(person, title="Conference", hours="1.5", unit=PdpActivity.Unit.CEU, category="elective")
    make_activity(person, title="Audited seminar", hours=2, unit=PdpActivity.Unit.AUDIT, category="pedagogy")
    p = _progress(licence)
    lines = {c.code: c.earned for c in p.categories}
    assert lines == {"sei": 15, "disabilities": 0, "content": Decimal("67.5"), "pedagogy": 15, "elective": 15}
    assert p.earned == Decimal("112.5")


def _split_institute(person: Any) -> PdpActivity:
    """Two graduate credits split across disabilities, SEI and pedagogy."""
    return services.pdp_activity_add(
        actor=None,
        person=person,
        title="Inclusive classrooms institute",
        provider="Collaborative",
        starts_on=dt.date(2023, 8, 1),
        ends_on=dt.date(2023, 8, 4),
        amount=2,
        unit=PdpActivity.Unit.GRADUATE_CREDIT,
        split={"disabilities": "1", "sei": "0.5", "pedagogy": "0.5"},
    )


def test_an_activity_spanning_categories_is_split() -> None:
    person = make_person()
    licence = make_licence(person, issued_on=ISSUED)
    _split_institute(person)
    lines = {c.code: c.earned for c in _progress(licence).categories}
    assert lines["disabilities"] == Decimal("22.5")
    assert lines["sei"] == Decimal("11.25") and lines["pedagogy"] == Decimal("11.25")
    with pytest.raises(ApplicationError, match="must add up to"):
        services.pdp_activity_add(
            actor=None,
            person=person,
            title="Bad split",
            provider="X",
            starts_on=dt.date(2023, 9, 1),
            amount=10,
            split={"sei": 4, "content": 4},
        )


def test_activities_outside_the_validity_window_do_not_count() -> None:
    person = make_person()
    licence = make_licence(person, issued_on=ISSUED)
    before = make_activity(
        person, title="Old course", hours=30, category="content", ends_on=dt.date(2022, 6, 30)
    )
    straddles = make_activity(
        person,
        title="Straddling course",
        hours=20,
        category="content",
        starts_on=dt.date(2022, 6, 1),
        ends_on=dt.date(2022, 8, 1),
    )
    make_activity(person, title="In window", hours=12, category="content", ends_on=dt.date(2022, 7, 1))
    p = _progress(licence)
    assert p.earned == 12
    reasons = {c.activity.pk: c.reason for c in p.activities if not c.counted}
    assert reasons[before.pk] == reasons[straddles.pk] == "outside the licence's validity period"


def test_rejected_activities_do_not_count_and_pending_ones_are_shown() -> None:
    person = make_person()
    licence = make_licence(person, issued_on=ISSUED)
    a = make_activity(person, title="Claimed course", hours=20, category="content")
    assert _progress(licence).pending == 20
    services.pdp_activity_decide(actor=None, activity=a, approve=False, note="No certificate")
    assert _progress(licence).earned == 0


def test_status_on_track_at_risk_overdue() -> None:
    person = make_person()
    licence = make_licence(person, issued_on=ISSUED)  # due 30 June 2027
    make_activity(person, title="Early start", hours=60, category="elective")
    assert _progress(licence, dt.date(2024, 1, 1)).status == ON_TRACK  # 60 ≥ 150 × (30 % − 25 %)
    assert _progress(licence, dt.date(2026, 1, 1)).status == AT_RISK  # 60 < 150 × (70 % − 25 %)
    assert _progress(licence, dt.date(2027, 3, 1)).status == AT_RISK  # within 180 days, short
    assert _progress(licence, dt.date(2027, 7, 1)).status == OVERDUE


def test_a_second_states_rules_load_from_a_file_with_no_code_change() -> None:
    row = services.rules_load_file(path=DATA / "zz_rules.json")
    assert row.state == "ZZ" and row.origin == StateRules.Origin.FILE
    person = make_person()
    licence = make_licence(person, issued_on=ISSUED, issuing_state="ZZ")
    assert licence.expires_on == dt.date(2025, 6, 30)  # Zedland: three years
    make_activity(person, title="Hours A", hours=60, category="content")
    make_activity(person, title="Hours B", hours=3, unit=PdpActivity.Unit.CEU, category="elective")
    make_activity(person, title="Credits", hours=1, unit=PdpActivity.Unit.GRADUATE_CREDIT, category="content")
    p = _progress(licence)
    assert p.renewable and p.required == 100 and p.earned == 90 and p.categories == []
    not_counted = [c.reason for c in p.activities if not c.counted]
    assert not_counted == ["Zedland (a made-up state for tests) rules do not convert Graduate credits"]
    # The MA licence of the same person is unaffected (its own rules, no additional licence from ZZ).
    ma = make_licence(person, issued_on=ISSUED, code="superintendent")
    assert _progress(ma).required == 150


def test_a_rules_file_with_mistakes_is_refused_whole_naming_each_place(tmp_path: Path) -> None:
    services.rules_load_file(path=DATA / "zz_rules.json")
    before = StateRules.objects.get(state="ZZ").document
    with pytest.raises(RulesError) as exc:
        services.rules_load_file(path=DATA / "bad_rules.json")
    message = exc.value.message
    assert message.startswith("The rules in bad_rules.json were not loaded:")
    assert "units › graduate_credit: must be between 0.01 and 100, not -15" in message
    assert "renewals[1] › category_minimums › sei: is not one of the file's categories (content)" in message
    assert StateRules.objects.get(state="ZZ").document == before  # nothing half-loaded
    broken = json.loads((DATA / "zz_rules.json").read_text())
    del broken["renewals"][0]["total"]
    with pytest.raises(RulesError, match=r"renewals\[1\] › total: must be a number, not null"):
        services.rules_load(document=broken, where="zz.json")
    (bad := tmp_path / "not_json.json").write_text("{ nope")
    with pytest.raises(RulesError, match="line 1, column 3: not JSON"):
        services.rules_load_file(path=bad)


def test_the_default_loader_leaves_an_administrators_rules_alone_and_refreshes_its_own() -> None:
    row = StateRules.objects.get(state="MA")
    row.document = {**row.document, "name": "Old shipped copy"}
    row.save()
    services.load_default_rules()
    assert StateRules.objects.get(state="MA").document["name"] == "Massachusetts"
    StateRules.objects.filter(state="MA").update(origin=StateRules.Origin.FILE, name="Local")
    assert services.load_default_rules() == []
    assert StateRules.objects.get(state="MA").name == "Local"


def test_field_level_list_comes_from_the_catalog() -> None:
    principal = field("principal")
    assert principal.name == "Principal/Assistant Principal" and principal.levels == ["PreK-6", "5-8", "9-12"]
    for code in (
        "superintendent",
        "supervisor-director",
        "special-education-administrator",
        "school-business-administrator",
    ):
        assert field(code).group == "administrator"


@pytest.mark.parametrize("splits_by_id", [True, False])
def test_activities_read_as_values_give_the_same_progress_as_model_instances(
    splits_by_id: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compliance list and the nightly alerts read activities as values (`activity_facts`); the pages
    read model instances. Both must give the same renewal progress, split, refused, unconverted,
    outside the window and below the topic minimum alike."""
    from edlead.credentials import progress as progress_mod

    if not splits_by_id:  # the state-scale path: splits joined back by person
        monkeypatch.setattr(progress_mod, "SPLITS_BY_ID_MAX", 0)
    person, other = make_person(), make_person()
    licence = make_licence(person, issued_on=ISSUED)
    make_licence(person, code="supervisor-director", issued_on=ISSUED)
    make_licence(other, issued_on=ISSUED)
    make_activity(person, title="Data teams", hours=30, category="content")
    make_activity(person, title="Short talk", hours=4, category="elective")
    make_activity(person, title="Old course", hours=30, category="content", ends_on=dt.date(2022, 6, 30))
    refused = make_activity(person, title="Claimed", hours=20, category="pedagogy")
    services.pdp_activity_decide(actor=None, activity=refused, approve=False, note="No certificate")
    _split_institute(person)
    make_activity(other, title="Other's course", hours=50, category="content")
    licences = list(Licence.objects.current().select_related("field"))
    as_models = progress_for(licences, today=TODAY)
    as_values = progress_for(
        licences, today=TODAY, activities=progress_mod.activity_facts([person.pk, other.pk])
    )

    def seen(p: Any) -> tuple[Any, ...]:
        return (
            p.earned,
            p.pending,
            p.required,
            p.status,
            p.missing_text,
            [(c.code, c.earned, c.required) for c in p.categories],
            [(c.activity.pk, c.pdps, c.by_category, c.counted, c.reason) for c in p.activities],
        )

    assert {k: seen(v) for k, v in as_values.items()} == {k: seen(v) for k, v in as_models.items()}
    assert as_values[licence.pk].earned > 0 and any(not c.counted for c in as_values[licence.pk].activities)
