"""The cycle's pages: who opens them (the educator, the evaluator, the chain, HR — not a peer principal,
not the school's assistant principal), the forms each reader gets, every action through its service
(autosave with versions and the conflict box, the refusals as messages), the PDF, the list and opening a
cycle, with the page's queries pinned."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from edlead.access.tests.conftest import World
from edlead.core.models import AuditEvent
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Assessment, Cycle, Evidence, Goal
from edlead.evaluations.tests import cycle_helpers as h
from edlead.evaluations.tests.factories import THIS_YEAR
from edlead.testing import make_user

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _url(cycle: Cycle, action: str = "") -> str:
    if action:
        return reverse("evaluations:cycle-action", args=[cycle.pk, action])
    return reverse("evaluations:cycle-detail", args=[cycle.pk])


@pytest.fixture
def walk(world: World) -> h.Walk:
    return h.open_principal_cycle(world)


def test_who_opens_the_cycle_page(world: World, walk: h.Walk) -> None:
    url = _url(walk.cycle)
    for name in ("school_leader", "principal_supervisor", "hr", "superintendent"):
        r = _client(world.users[name]).get(url)
        assert r.status_code == 200, name
        assert "no-store" in r["Cache-Control"]
    # the school's assistant principal cannot read their principal's evaluation; nor can a peer principal
    peer = make_user(person=world.people["P3"], password=None)
    for user in (world.users["assistant_principal"], peer, world.users["coach"]):
        assert _client(user).get(url).status_code == 404
    # the read is audited about the educator
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.RECORD_VIEWED, subject_person_id=world.people["P1"].pk
    ).exists()


def test_self_assessment_grid_autosave_conflict_and_submit(world: World, walk: h.Walk) -> None:
    educator = _client(walk.educator)
    page = educator.get(_url(walk.cycle)).content.decode()
    # the accessible grid: every radio labelled in full, descriptors referenced
    assert 'name="rating-I-A"' in page
    assert "Indicator I-A Curriculum: </span>Proficient</label>" in page
    assert 'aria-describedby="self-desc-I-A"' in page
    r = educator.post(
        _url(walk.cycle, "self-save"),
        {"version": "0", "rating-I-A": "proficient", "rating-II": "needs_improvement", "narrative": "Mine"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "Saved" in r.content.decode()
    sa = Assessment.objects.get(cycle=walk.cycle, stage="self")
    assert sa.narrative == "Mine" and sa.version == 1
    # a stale form (version 0 again, other text) is a conflict, not an overwrite
    r = educator.post(
        _url(walk.cycle, "self-save"), {"version": "0", "narrative": "Other"}, HTTP_HX_REQUEST="true"
    )
    assert "Keep mine" in r.content.decode()
    sa.refresh_from_db()
    assert sa.narrative == "Mine"
    # the evaluator cannot write the educator's self-assessment
    r = _client(walk.evaluator).post(_url(walk.cycle, "self-save"), {"version": "1", "narrative": "x"})
    assert r.status_code == 302
    sa.refresh_from_db()
    assert sa.narrative == "Mine"
    r = educator.post(_url(walk.cycle, "self-submit"), {"confirm": "on"}, follow=True)
    assert "sent to your evaluator" in r.content.decode()
    assert walk.fresh().step == Cycle.Step.GOALS_PLAN


def test_goals_plan_evidence_formative_summative_signatures(world: World, walk: h.Walk) -> None:
    h.self_assess(walk)
    educator, evaluator = _client(walk.educator), _client(walk.evaluator)
    kinds = ["student_learning", "professional_practice", "school_improvement", "school_improvement"]
    for n, kind in enumerate(kinds):
        r = educator.post(_url(walk.cycle, "goal-save"), {"new-kind": kind, "new-title": f"Goal {n}"})
        assert r.status_code == 302
    assert Goal.objects.filter(cycle=walk.cycle).count() == 4
    educator.post(_url(walk.cycle, "goals-propose"))
    goals = list(Goal.objects.filter(cycle=walk.cycle))
    assert {g.status for g in goals} == {"proposed"}
    page = evaluator.get(_url(walk.cycle)).content.decode()
    assert "Suggested:" in page and "Approve" in page
    r = evaluator.post(_url(walk.cycle, "goal-return"), {"goal": goals[0].pk, "comment": ""}, follow=True)
    assert "Say what to change" in r.content.decode()
    for g in goals:
        evaluator.post(_url(walk.cycle, "goal-approve"), {"goal": g.pk, "version": g.version})
    assert set(Goal.objects.filter(cycle=walk.cycle).values_list("status", flat=True)) == {"approved"}
    cyc = walk.fresh()
    evaluator.post(_url(cyc, "plan-decide"), {"plan_type": "self_directed", "version": cyc.version})
    cyc = walk.fresh()
    assert cyc.plan_type == "self_directed"
    evaluator.post(_url(cyc, "plan-approve"), {"version": cyc.version, "confirm": "on"})
    assert walk.fresh().step == Cycle.Step.IMPLEMENTATION
    # evidence: a note by the educator, a staff-feedback file by the evaluator
    r = educator.post(
        _url(cyc, "evidence-add"),
        {"ev-kind": "note", "ev-title": "MCAS growth", "ev-category": "1", "ev-text": "SGP 55"},
    )
    assert r.status_code == 302
    from django.core.files.uploadedfile import SimpleUploadedFile

    evaluator.post(
        _url(cyc, "evidence-add"),
        {
            "ev-kind": "file",
            "ev-title": "Staff survey",
            "ev-category": "3",
            "ev-staff_feedback": "on",
            "ev-file": SimpleUploadedFile("survey.txt", b"Staff survey: 42 answers\n", "text/plain"),
        },
    )
    assert Evidence.objects.filter(cycle=cyc).count() == 2
    page = educator.get(_url(cyc)).content.decode()
    assert "survey.txt" in page and "Staff feedback" in page
    # formative
    approved = list(Goal.objects.filter(cycle=cyc))
    data: dict[str, Any] = {"version": "0", "narrative": "On track"}
    data.update({f"progress-{g.pk}": "on_track" for g in approved})
    r = evaluator.post(_url(cyc, "formative-save"), data, HTTP_HX_REQUEST="true")
    assert "Saved" in r.content.decode()
    # the educator does not see the formative before it is shared
    assert "On track" not in educator.get(_url(cyc)).content.decode()
    evaluator.post(_url(cyc, "formative-submit"), {"confirm": "on"})
    assert walk.fresh().step == Cycle.Step.SUMMATIVE
    # summative: the problems are listed before signing
    page = evaluator.get(_url(cyc)).content.decode()
    assert "Before you can sign" in page
    data = {"version": "0", "narrative": "A strong year", "overall": "proficient"}
    data.update({f"rating-{code}": level for code, level in h.GOOD.items()})
    data.update({f"attainment-{g.pk}": "met" for g in approved})
    r = evaluator.post(_url(cyc, "summative-save"), data, HTTP_HX_REQUEST="true")
    assert "Saved" in r.content.decode(), r.content.decode()
    # hidden from the educator until the evaluator signs
    assert "A strong year" not in educator.get(_url(cyc)).content.decode()
    r = evaluator.post(_url(cyc, "sign-evaluator"), {"confirm": "on"}, follow=True)
    assert "You signed" in r.content.decode(), r.content.decode()
    page = educator.get(_url(cyc)).content.decode()
    assert "A strong year" in page and "Sign to acknowledge" in page
    cyc = walk.fresh()
    educator.post(_url(cyc, "sign-educator"), {"response": "Thank you", "version": cyc.version})
    cyc = walk.fresh()
    assert cyc.step == Cycle.Step.DONE
    # the PDF, audited about the educator
    r = educator.get(reverse("evaluations:cycle-pdf", args=[cyc.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    # HR reopens with a reason
    r = _client(walk.hr).post(_url(cyc, "reopen"), {"reason": "Typo in Standard II"}, follow=True)
    assert "reopened" in r.content.decode()
    assert walk.fresh().step == Cycle.Step.SUMMATIVE


def test_list_and_open_a_cycle(world: World) -> None:
    hr = _client(world.users["hr"])
    r = hr.post(
        reverse("evaluations:cycle-list"),
        {
            "educator": world.people["P1"].pk,
            "school_year": THIS_YEAR,
            "evaluator": world.people["SUP1"].pk,
            "reason": "Network supervisor",
        },
    )
    assert r.status_code == 302, r.content.decode()
    cycle = Cycle.objects.get(educator=world.people["P1"], school_year=THIS_YEAR)
    assert cycle.evaluator_id == world.people["SUP1"].pk
    # the educator and the evaluator see it; the assistant principal's list is empty of it
    for name, seen in (
        ("school_leader", True),
        ("principal_supervisor", True),
        ("assistant_principal", False),
    ):
        page = _client(world.users[name]).get(reverse("evaluations:cycle-list")).content.decode()
        assert (cycle.get_absolute_url() in page) is seen, name
    # only HR / district administrators get the form
    assert (
        "Open the cycle"
        not in _client(world.users["principal_supervisor"])
        .get(reverse("evaluations:cycle-list"))
        .content.decode()
    )
    assert (
        _client(world.users["school_leader"]).post(reverse("evaluations:cycle-list"), {}).status_code == 404
    )
    # filter by step
    r = hr.get(reverse("evaluations:cycle-list"), {"step": "summative"})
    assert cycle.get_absolute_url() not in r.content.decode()


def test_cycle_page_queries_do_not_grow(world: World, django_assert_max_num_queries: Any) -> None:
    walk = h.open_principal_cycle(world)
    h.approve_plan(walk)
    h.add_evidence(walk)
    client = _client(walk.evaluator)
    url = _url(walk.cycle)
    client.get(url)  # warm caches (content types, settings)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for n in range(5):
        sc.evidence_add(
            actor=walk.educator, cycle=walk.cycle, kind="note", title=f"Note {n}", category=2, text="x"
        )
    assert count() == small


@pytest.mark.parametrize("extra", [0, 6])
def test_caseload_on_the_supervisors_home_in_fixed_queries(
    world: World, django_assert_num_queries: Any, extra: int
) -> None:
    """The caseload: step, due, standards without evidence, visits, days since feedback — the same
    number of queries for one educator as for seven."""
    from edlead.evaluations.caseload import caseload_for
    from edlead.testing import make_person, make_position

    walk = h.open_principal_cycle(world)
    h.approve_plan(walk)
    h.add_evidence(walk)
    for n in range(extra):
        p = make_person("Extra", f"Principal{n}")
        make_position(p, world.orgs["S1"], "teacher")
        c = sc.cycle_open(actor=walk.hr, educator=p, school_year=THIS_YEAR)
        sc.cycle_set_evaluator(actor=walk.hr, cycle=c, evaluator=world.people["SUP1"], reason="test")
    user = walk.evaluator
    rows = caseload_for(user)
    assert len(rows) == 1 + extra
    mine = next(r for r in rows if r.cycle.pk == walk.cycle.pk)
    assert mine.cycle.step == Cycle.Step.IMPLEMENTATION
    assert mine.visits == 1 and mine.days_since_feedback == 0
    assert "I" in mine.standards_with_evidence and "II" in mine.missing_standards
    # cycles (visible_to), settings of the district, standards, evidence tags, visits, goal decisions
    with django_assert_num_queries(6):
        caseload_for(user)
    # The home page loads the caseload from its own page as it opens (htmx asks for the table alone).
    caseload_url = reverse("evaluations:caseload")
    client = _client(user)
    assert f'hx-get="{caseload_url}"' in client.get("/").content.decode()
    ContentType.objects.get_for_model(Cycle)  # the per-process cache a running server has warm
    # session, user, roles, the inbox count + the caseload's 6: the same for one educator as for seven
    with django_assert_num_queries(11):
        part = client.get(caseload_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in part and "My evaluations: " in part and walk.cycle.get_absolute_url() in part
    page = client.get(caseload_url).content.decode()
    assert "<h1>My evaluations caseload</h1>" in page and walk.cycle.get_absolute_url() in page
    csv = client.get(caseload_url + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Educator,School,Step,Next due") and len(lines) == 2 + extra
    assert any(walk.cycle.educator.display_name in line and "II" in line for line in lines[1:])
    # the educator evaluates nobody: no caseload on their home, and a plain sentence on the page
    educator = _client(walk.educator)
    assert caseload_url not in educator.get("/").content.decode()
    assert "You are not the evaluator of anyone" in educator.get(caseload_url).content.decode()


def test_team_goal_evidence_remove_and_evaluator_change(world: World, walk: h.Walk) -> None:
    educator, hr = _client(walk.educator), _client(walk.hr)
    r = educator.post(
        _url(walk.cycle, "goal-save"), {"new-kind": "school_improvement", "new-title": "Shared", "team": "1"}
    )
    assert r.status_code == 302
    goal = Goal.objects.get(cycle=walk.cycle)
    assert goal.team is not None
    # a plain post of a stale goal form is refused with the conflict message, nothing overwritten
    educator.post(
        _url(walk.cycle, "goal-save"),
        {
            "goal": goal.pk,
            "version": goal.version,
            f"g{goal.pk}-kind": "school_improvement",
            f"g{goal.pk}-title": "A",
        },
    )
    r = educator.post(
        _url(walk.cycle, "goal-save"),
        {
            "goal": goal.pk,
            "version": goal.version,
            f"g{goal.pk}-kind": "school_improvement",
            f"g{goal.pk}-title": "B",
        },
        follow=True,
    )
    assert "after you opened it" in r.content.decode()
    goal.refresh_from_db()
    assert goal.title == "A"
    # evidence: whoever added it removes it; the other party cannot
    educator.post(
        _url(walk.cycle, "evidence-add"),
        {"ev-kind": "link", "ev-title": "Site", "ev-category": "2", "ev-url": "https://example.org/plan"},
    )
    ev = Evidence.objects.get(cycle=walk.cycle)
    r = _client(walk.evaluator).post(_url(walk.cycle, "evidence-remove"), {"evidence": ev.pk}, follow=True)
    assert "Only whoever added" in r.content.decode()
    educator.post(_url(walk.cycle, "evidence-remove"), {"evidence": ev.pk})
    assert not Evidence.objects.filter(pk=ev.pk).exists()
    # HR changes the evaluator with a reason; the supervisor cannot
    page = hr.get(_url(walk.cycle)).content.decode()
    assert "Change the evaluator" in page
    r = _client(walk.evaluator).post(
        _url(walk.cycle, "set-evaluator"), {"evaluator": world.people["SUPT"].pk, "reason": "x"}, follow=True
    )
    assert walk.fresh().evaluator_id == world.people["SUP1"].pk
    hr.post(_url(walk.cycle, "set-evaluator"), {"evaluator": world.people["SUPT"].pk, "reason": "Leave"})
    assert walk.fresh().evaluator_id == world.people["SUPT"].pk
    # an unknown action is a 404; the summative is not the educator's to write
    assert educator.post(_url(walk.cycle, "nothing")).status_code == 404


def test_stale_autosave_as_a_plain_post_shows_the_conflict_box(walk: h.Walk) -> None:
    educator = _client(walk.educator)
    educator.post(_url(walk.cycle, "self-save"), {"version": "0", "narrative": "First"})
    r = educator.post(_url(walk.cycle, "self-save"), {"version": "0", "narrative": "Second"})
    assert r.status_code == 409
    body = r.content.decode()
    assert "Keep mine" in body and "Take theirs" in body
    # keep mine: resubmits over the saved version
    r = educator.post(_url(walk.cycle, "self-save"), {"keep_mine": "1", "narrative": "Second"})
    assert r.status_code == 302
    assert Assessment.objects.get(cycle=walk.cycle, stage="self").narrative == "Second"


def test_visit_notes_and_feedback_stay_with_the_visitor_until_released(walk: h.Walk) -> None:
    import datetime as dt

    from edlead.visits.services import visit_record

    h.approve_plan(walk)
    visit_record(
        actor=walk.evaluator,
        organization=walk.cycle.organization,
        date=dt.date.today(),
        length_minutes=45,
        cycle=walk.cycle,
        evaluative=True,
        announced=True,
        notes="Only mine for now",
        feedback="Tighten the data meeting agenda.",
    )
    mine = _client(walk.evaluator).get(_url(walk.cycle)).content.decode()
    assert "Only mine for now" in mine and "Tighten the data meeting agenda." in mine
    theirs = _client(walk.educator).get(_url(walk.cycle)).content.decode()
    assert "Only mine for now" not in theirs and "Tighten the data meeting agenda." not in theirs
    assert "Feedback not released yet." in theirs


@pytest.mark.parametrize("n_visits", [1, 5])
def test_cycle_page_queries_do_not_grow_with_visits(
    walk: h.Walk, django_assert_num_queries: Any, n_visits: int
) -> None:
    """The visits on the cycle page are read in one query and their read audited once (naming each
    visit), not one audit insert per visit: the same count for one visit as for five."""
    import datetime as dt

    from edlead.visits.services import visit_record, visit_release_feedback

    h.approve_plan(walk)
    for n in range(n_visits):
        v = visit_record(
            actor=walk.evaluator,
            organization=walk.cycle.organization,
            date=dt.date.today() - dt.timedelta(days=n),
            length_minutes=30 + n,
            cycle=walk.cycle,
            evaluative=n % 2 == 0,
            announced=n % 3 != 0,
            notes=f"Notes {n}",
            feedback=f"Feedback {n}",
        )
        if n % 2 == 0:
            visit_release_feedback(actor=walk.evaluator, visit=v)
    client = _client(walk.educator)
    url = _url(walk.cycle)
    client.get(url)  # warm caches (content types, settings)
    with django_assert_num_queries(CYCLE_PAGE_QUERIES):
        body = client.get(url).content.decode()
    assert body.count("Feedback not released yet.") == n_visits // 2
    read = AuditEvent.objects.filter(
        action=AuditEvent.Action.RECORD_VIEWED,
        detail__record="visit",
        subject_person_id=walk.cycle.educator_id,
    ).latest("pk")
    assert len(read.detail["visits"]) == n_visits


# The educator's cycle page: session and user, the cycle (policy) and its read's audit, the page's parts
# (assessments, goals, evidence, timeline…), the staff feedback link's access check, the visits and their
# read's audit.
CYCLE_PAGE_QUERIES = 29


def test_cycle_page_links_to_its_staff_feedback_page_for_those_who_may_open_it(
    world: World, walk: h.Walk
) -> None:
    """An administrator's cycle page links to its staff feedback surveys for the evaluator, the educator
    and HR (each may open that page); a teacher's cycle has no staff feedback, so no link."""
    feedback = reverse("staff_feedback:cycle", args=[walk.cycle.pk])
    for user in (walk.evaluator, walk.educator, walk.hr):
        client = _client(user)
        page = client.get(_url(walk.cycle)).content.decode()
        assert f'href="{feedback}"' in page
        assert client.get(feedback).status_code == 200
    teacher = sc.cycle_open(actor=walk.hr, educator=world.people["TEA1"], school_year=THIS_YEAR)
    page = _client(walk.hr).get(_url(teacher)).content.decode()
    assert reverse("staff_feedback:cycle", args=[teacher.pk]) not in page


def test_staff_feedback_link_follows_the_access_rule(walk: h.Walk, monkeypatch: pytest.MonkeyPatch) -> None:
    """The link is drawn only when `policy.can` allows the feedback page's action on the cycle."""
    from edlead.access import policy

    real = policy.can
    monkeypatch.setattr(
        policy,
        "can",
        lambda user, action, obj=None: False if action == sc.CYCLE_VIEW else real(user, action, obj),
    )
    page = _client(walk.evaluator).get(_url(walk.cycle)).content.decode()
    assert reverse("staff_feedback:cycle", args=[walk.cycle.pk]) not in page


def test_rubric_grid_groups_each_standards_rows_in_a_fieldset_with_a_legend(walk: h.Walk) -> None:
    """The editable grid: one <fieldset> per standard, its <legend> naming the standard, holding exactly
    the radios of that standard and its indicators (screen readers announce the group); read-only, the
    grid keeps its table captions and has no fieldsets."""
    import re

    page = _client(walk.educator).get(_url(walk.cycle)).content.decode()
    groups = re.findall(
        r'<fieldset class="usa-fieldset">\s*<legend[^>]*>([^<]+)</legend>(.*?)</fieldset>', page, re.S
    )
    standards = list(walk.cycle.framework.standards.order_by("order"))
    assert [legend for legend, _ in groups] == [f"Standard {s.code}: {s.name}" for s in standards]
    for (_legend, body), s in zip(groups, standards, strict=True):
        names = set(re.findall(r'type="radio" id="[^"]+" name="rating-([^"]+)"', body))
        assert names == {s.code, *(i.code for i in s.indicators.all())}
    h.self_assess(walk)
    shown = _client(walk.evaluator).get(_url(walk.cycle)).content.decode()
    assert "<fieldset" not in shown.split('id="step-1"')[1].split('id="step-2"')[0]
    assert f"<caption>Standard {standards[0].code}: {standards[0].name}</caption>" in shown
