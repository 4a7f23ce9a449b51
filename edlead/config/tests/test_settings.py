"""District settings: the resolver's precedence and cost, the pages' access matrix, audit, autosave and
two browsers saving the same setting."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead import config
from edlead.config import services
from edlead.config.registry import MonthDay, definition
from edlead.config.selectors import settings_for
from edlead.core.editing import EditConflict
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.orgs.models import Organization

DUE = "workqueue.due_soon_days"
HX = {"HX-Request": "true"}


def _fresh(org: Organization) -> Organization:
    return Organization.objects.get(pk=org.pk)


def _version(org: Organization, key: str) -> int:
    return settings_for(_fresh(org))[key].version


def _save_url(org: Organization, key: str) -> str:
    return reverse("config:setting-save", args=[org.pk, definition(key).slug])


# --- resolver ---------------------------------------------------------------------------------------
def test_district_then_state_then_code_default(world: Any) -> None:
    state, alpha, school = world.orgs["state"], world.orgs["A"], world.orgs["S1"]
    admin = world.users["state_admin"]
    assert config.setting(_fresh(school), DUE) == 14
    services.setting_set(organization=state, key=DUE, value="21", expected_version=0, actor=admin)
    assert config.setting(_fresh(school), DUE) == 21
    assert settings_for(_fresh(alpha))[DUE].source == "state"
    services.setting_set(organization=alpha, key=DUE, value=7, expected_version=0, actor=admin)
    assert config.setting(_fresh(school), DUE) == 7  # a school reads its district's
    assert config.setting(_fresh(world.orgs["T1"]), DUE) == 21  # another district still the state's
    eff = settings_for(_fresh(alpha))[DUE]
    assert (eff.source, eff.inherited, eff.inherited_source) == ("district", 21, "state")
    services.setting_reset(organization=alpha, key=DUE, expected_version=eff.version, actor=admin)
    assert config.setting(_fresh(school), DUE) == 21


def test_values_come_back_as_python(world: Any) -> None:
    alpha = world.orgs["A"]
    admin = world.users["district_admin"]
    assert config.setting(alpha, "reminders.days_before_due") == [14, 3]
    assert config.setting(alpha, "evaluation.cycle_starts") == MonthDay(9, 1)
    services.setting_set(
        organization=alpha, key="reminders.days_before_due", value="30, 7 ,1", expected_version=0, actor=admin
    )
    services.setting_set(
        organization=alpha, key="evaluation.cycle_starts", value="08-25", expected_version=0, actor=admin
    )
    fresh = _fresh(alpha)
    assert config.setting(fresh, "reminders.days_before_due") == [30, 7, 1]
    assert config.setting(fresh, "evaluation.cycle_starts").in_year(2026).isoformat() == "2026-08-25"


def test_all_settings_of_an_org_cost_one_query(world: Any, django_assert_num_queries: Any) -> None:
    admin = world.users["state_admin"]
    services.setting_set(organization=world.orgs["state"], key=DUE, value=10, expected_version=0, actor=admin)
    services.setting_set(organization=world.orgs["A"], key=DUE, value=5, expected_version=0, actor=admin)
    school = _fresh(world.orgs["S1"])
    with django_assert_num_queries(1):
        for d in config.definitions():
            config.setting(school, d.key)
        assert config.setting(school, DUE) == 5


def test_many_organizations_settings_in_one_query_and_the_same_values(
    world: Any, django_assert_num_queries: Any
) -> None:
    """`prefetch_settings` reads every district's and the state's rows at once; each object then answers
    exactly what it would have answered alone (district, then state, then code default)."""
    admin = world.users["state_admin"]
    services.setting_set(organization=world.orgs["state"], key=DUE, value=10, expected_version=0, actor=admin)
    services.setting_set(organization=world.orgs["A"], key=DUE, value=5, expected_version=0, actor=admin)
    names = ("state", "A", "T1", "S1", "N1")
    alone = {
        n: {d.key: settings_for(_fresh(world.orgs[n]))[d.key] for d in config.definitions()} for n in names
    }
    orgs = {n: _fresh(world.orgs[n]) for n in names}
    with django_assert_num_queries(1):
        config.prefetch_settings(list(orgs.values()))
        together = {n: {d.key: settings_for(orgs[n])[d.key] for d in config.definitions()} for n in names}
    assert together == alone
    assert together["S1"][DUE].value == 5 and together["T1"][DUE].value == 10
    with django_assert_num_queries(0):
        config.prefetch_settings(list(orgs.values()))  # already read: nothing more


def test_setting_for_user_reads_their_district(world: Any, django_assert_num_queries: Any) -> None:
    services.setting_set(
        organization=world.orgs["A"],
        key=DUE,
        value=9,
        expected_version=0,
        actor=world.users["district_admin"],
    )
    hr = world.users["hr"]
    from edlead.access import policy

    policy.effective_grants(hr)
    with django_assert_num_queries(1):
        assert config.setting_for_user(hr, DUE) == 9
        assert config.setting_for_user(hr, "targets.principal_retention_pct") == 85
    assert config.setting_for_user(world.users["state_admin"], DUE) == 14


def test_invalid_values_and_state_rules_are_refused(world: Any) -> None:
    alpha, admin = world.orgs["A"], world.users["district_admin"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.setting_set(organization=alpha, key=DUE, value="soon", expected_version=0, actor=admin)
    with pytest.raises(ValidationError):
        services.setting_set(
            organization=alpha,
            key="targets.principal_retention_pct",
            value=140,
            expected_version=0,
            actor=admin,
        )
    with pytest.raises(ValidationError):
        services.setting_set(
            organization=alpha, key="evaluation.cycle_starts", value="02-30", expected_version=0, actor=admin
        )
    with pytest.raises(ApplicationError, match="state's rule"):
        services.setting_set(
            organization=alpha,
            key="evaluation.rating_scale",
            value="Good\nBad",
            expected_version=0,
            actor=admin,
        )


def test_a_wrong_declaration_fails_at_start_up() -> None:
    with pytest.raises(ValueError, match="not valid"):
        config.register("test.broken", "Broken", config.INT, "many")
    with pytest.raises(ValueError, match="dotted"):
        config.register("Broken Key", "Broken", config.INT, 1)


def test_every_change_is_audited_with_old_and_new(world: Any) -> None:
    alpha, admin = world.orgs["A"], world.users["district_admin"]
    services.setting_set(organization=alpha, key=DUE, value=10, expected_version=0, actor=admin)
    services.setting_set(organization=alpha, key=DUE, value=10, expected_version=1, actor=admin)  # no change
    services.setting_reset(organization=alpha, key=DUE, expected_version=1, actor=admin)
    rows = list(AuditEvent.objects.filter(action="setting_changed").order_by("id"))
    assert [(r.detail["old"], r.detail["new"], r.detail["reset"]) for r in rows] == [
        (14, 10, False),
        (10, 14, True),
    ]
    assert rows[0].detail["old_source"] == "default" and rows[0].detail["new_source"] == "district"
    assert rows[0].actor == admin and alpha.path in rows[0].scope
    assert rows[0].get_action_display() == "Setting changed"


# --- two people, one setting --------------------------------------------------------------------------
def test_stale_version_is_refused_with_both_values(world: Any) -> None:
    alpha, admin = world.orgs["A"], world.users["district_admin"]
    services.setting_set(organization=alpha, key=DUE, value=10, expected_version=0, actor=admin)
    with pytest.raises(EditConflict) as caught:
        services.setting_set(organization=alpha, key=DUE, value=20, expected_version=0, actor=admin)
    conflict = caught.value
    assert conflict.version == 1
    assert [(r.theirs, r.yours) for r in conflict.rows] == [("10", "20")]
    assert config.setting(_fresh(alpha), DUE) == 10  # nothing overwritten
    # The same value from a stale page is no conflict: nobody loses anything.
    services.setting_set(organization=alpha, key=DUE, value=10, expected_version=0, actor=admin)


def test_two_browsers_the_second_sees_the_conflict_and_may_keep_theirs(world: Any) -> None:
    alpha = world.orgs["A"]
    from edlead.access.models import RoleGrant
    from edlead.testing import make_person, make_user

    ana = make_user(
        person=make_person("Ana", "Ruiz"), grants=[(RoleGrant.Role.DISTRICT_ADMIN, alpha)], password=None
    )
    first, second = Client(), Client()
    first.force_login(ana)
    second.force_login(world.users["district_admin"])
    page = reverse("config:district", args=[alpha.pk])
    assert 'name="version" value="0"' in second.get(page).content.decode()  # both open the page at version 0
    ok = first.post(
        _save_url(alpha, DUE), {"version": "0", "workqueue-due-soon-days-value": "10"}, headers=HX
    )
    assert ok.status_code == 200 and "Saved" in ok.content.decode()
    stale = second.post(
        _save_url(alpha, DUE), {"version": "0", "workqueue-due-soon-days-value": "30"}, headers=HX
    )
    html = stale.content.decode()
    assert "Not saved" in html and "Ana Ruiz saved this at" in html
    assert "<td>10</td><td>30</td>" in html  # theirs beside yours
    assert 'name="keep_mine" value="1"' in html
    assert 'id="workqueue-due-soon-days-version" value="0"' in html  # autosave keeps conflicting
    assert config.setting(_fresh(alpha), DUE) == 10
    kept = second.post(
        _save_url(alpha, DUE),
        {"version": "0", "keep_mine": "1", "workqueue-due-soon-days-value": "30"},
        headers=HX,
    )
    assert "Saved" in kept.content.decode() and 'value="2"' in kept.content.decode()
    assert config.setting(_fresh(alpha), DUE) == 30
    # Without htmx, the page comes back with the conflict (409) and the typed value kept.
    plain = first.post(_save_url(alpha, DUE), {"version": "1", "workqueue-due-soon-days-value": "12"})
    assert plain.status_code == 409
    assert 'value="12"' in plain.content.decode() and "saved this at" in plain.content.decode()


def test_autosave_answers_with_the_status_partial(world: Any, client: Any) -> None:
    alpha = world.orgs["A"]
    client.force_login(world.users["district_admin"])
    response = client.post(
        _save_url(alpha, "people.departments"),
        {"version": "0", "people-departments-value": "Mathematics\nScience\n\nHistory"},
        headers=HX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("Saved ")  # the status text for the aria-live region
    assert 'id="people-departments-version" value="1" hx-swap-oob="true"' in html
    assert "This district's own value" in html and "Reset to (none) (code default)" in html
    assert config.setting(_fresh(alpha), "people.departments") == ["Mathematics", "Science", "History"]
    bad = client.post(
        _save_url(alpha, DUE), {"version": "0", "workqueue-due-soon-days-value": "soon"}, headers=HX
    )
    assert bad.content.decode().startswith("Not saved: Enter a whole number.")
    reset = client.post(_save_url(alpha, "people.departments"), {"version": "1", "reset": "1"}, headers=HX)
    assert 'id="people-departments-field" hx-swap-oob="true"' in reset.content.decode()
    assert config.setting(_fresh(alpha), "people.departments") == []


def test_plain_post_saves_and_returns_to_the_page(world: Any, client: Any) -> None:
    alpha = world.orgs["A"]
    client.force_login(world.users["district_admin"])
    response = client.post(
        _save_url(alpha, "targets.principal_retention_pct"),
        {"version": "0", "targets-principal-retention-pct-value": "90"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#setting-targets-principal-retention-pct")
    assert config.setting(_fresh(alpha), "targets.principal_retention_pct") == 90


# --- who sees which page -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "district", "expected"),
    [
        ("district_admin", "A", "edit"),
        ("district_admin", "B", 404),
        ("superintendent", "A", "read"),
        ("superintendent", "B", 404),
        ("state_admin", "A", "edit"),
        ("state_admin", "B", "edit"),
        ("hr", "A", 404),
        ("school_leader", "A", 404),
        ("principal_supervisor", "A", 404),
        ("cabinet", "A", 404),
        ("no_role", "A", 404),
    ],
)
def test_district_settings_page_access(
    world: Any, client: Any, persona: str, district: str, expected: Any
) -> None:
    org = world.orgs[district]
    client.force_login(world.users[persona])
    response = client.get(reverse("config:district", args=[org.pk]))
    post = client.post(_save_url(org, DUE), {"version": "0", "workqueue-due-soon-days-value": "3"})
    if expected == 404:
        assert response.status_code == 404 and post.status_code == 404
        return
    html = response.content.decode()
    assert response.status_code == 200
    assert "Code default" in html and "“Due soon” window (days)" in html
    if expected == "read":
        assert '<form method="post" action="/settings/' not in html and "Read only" in html
        assert post.status_code == 404
    else:
        assert 'hx-post="/settings/' in html and "Read only" not in html
        assert post.status_code == 302
    # The state's rule is never editable on a district page.
    assert _save_url(org, "evaluation.rating_scale") not in html


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("state_admin", 200), ("district_admin", 404), ("superintendent", 404), ("hr", 404), ("no_role", 404)],
)
def test_state_settings_page_access(world: Any, client: Any, persona: str, expected: int) -> None:
    client.force_login(world.users[persona])
    response = client.get(reverse("config:state"))
    assert response.status_code == expected
    if expected == 200:
        assert _save_url(world.orgs["state"], "evaluation.rating_scale") in response.content.decode()
    post = client.post(
        _save_url(world.orgs["state"], "evaluation.rating_scale"),
        {"version": "0", "evaluation-rating-scale-value": "A\nB"},
    )
    assert post.status_code == (302 if expected == 200 else 404)


def test_settings_link_goes_to_ones_own_page(world: Any, client: Any) -> None:
    client.force_login(world.users["district_admin"])
    assert client.get(reverse("config:home"))["Location"] == reverse(
        "config:district", args=[world.orgs["A"].pk]
    )
    client.force_login(world.users["state_admin"])
    assert client.get(reverse("config:home"))["Location"] == reverse("config:state")
    client.force_login(world.users["superintendent"])
    assert client.get(reverse("config:home"))["Location"] == reverse(
        "config:district", args=[world.orgs["A"].pk]
    )
    client.force_login(world.users["hr"])
    assert client.get(reverse("config:home")).status_code == 404


def test_district_page_query_count_is_fixed(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.users["district_admin"])
    url = reverse("config:district", args=[world.orgs["A"].pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)


def test_every_type_reads_writes_and_draws() -> None:
    from django.core.exceptions import ValidationError

    from edlead.config.forms import SettingForm
    from edlead.config.registry import BOOL, CHOICE, LIST, Definition

    flag = Definition(key="test.flag", label="Flag", type=BOOL, default=False)
    assert (flag.parse("on"), flag.parse(""), flag.display(True)) == (True, False, "Yes")
    assert 'type="checkbox"' in str(SettingForm(definition=flag)["value"])
    pick = Definition(
        key="test.pick", label="Pick", type=CHOICE, default="a", choices=(("a", "Apple"), ("b", "Banana"))
    )
    assert (pick.parse("b"), pick.display("b")) == ("b", "Banana")
    with pytest.raises(ValidationError):
        pick.parse("c")
    assert "<select" in str(SettingForm(definition=pick)["value"])
    names = Definition(key="test.names", label="Names", type=LIST, default=[])
    assert names.parse("Science\n  Math \n\n") == ["Science", "Math"]
    with pytest.raises(ValidationError, match="repeat"):
        names.parse("Math\nmath")
    assert names.as_text(["Science", "Math"]) == "Science\nMath"
    assert MonthDay(2, 29).in_year(2027).isoformat() == "2027-02-28"
    assert str(MonthDay.parse("9/1")) == "1 September"
