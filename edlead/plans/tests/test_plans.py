"""School improvement plans: the workflow (draft → submitted → returned with comments → resubmitted →
endorsed → approved, versions kept, people told), the rules on what a plan holds (measurable goals,
dates inside the plan, owners from the school or its district's offices), who may read, write, endorse
and approve, the version check, actual values read from the school's metrics, the pages.

The access tests' world: Pat Principal-One (P1) and Ash Assistant-One (AP1) lead Oak Elementary (S1) in
the North Quadrant, supervised by Sam Supervisor-North (SUP1); Dana Superintendent (SUPT) heads Alpha."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from edlead.access.tests.conftest import World
from edlead.core.editing import EditConflict, TransitionRefused
from edlead.core.errors import ApplicationError
from edlead.metrics.facts import FactRow, facts_upsert
from edlead.metrics.models import Metric, StudentGroup
from edlead.notices.models import Notice
from edlead.people.models import Position
from edlead.plans import selectors, services
from edlead.plans.models import Benchmark, Goal, Plan, PlanVersion, ProgressUpdate
from edlead.testing import make_person, make_position, make_user

pytestmark = pytest.mark.django_db
S = Plan.Status
YEAR = services.quarter_of(dt.date.today())[0]


def _metric(code: str = "monitor_chronic_absence") -> Metric:
    return Metric.objects.get(code=code)


def _all() -> StudentGroup:
    return StudentGroup.objects.get(code="all")


def _plan(world: World, *, years: int = 2) -> Plan:
    return services.plan_create(
        actor=world.users["school_leader"],
        school=world.orgs["S1"],
        first_year=YEAR,
        last_year=YEAR + years - 1,
    )


def _goal(world: World, plan: Plan, **extra: Any) -> Goal:
    data = {
        "statement": "Fewer students miss school",
        "metric": _metric(),
        "group": _all(),
        "school_year": YEAR,
        "baseline": "18",
        "target": "12",
        **extra,
    }
    return services.goal_add(actor=world.users["school_leader"], plan=plan, data=data)


def _ready(world: World) -> Plan:
    plan = _plan(world)
    goal = _goal(world, plan)
    strategy = services.strategy_add(
        actor=world.users["school_leader"], goal=goal, text="Call home on day one"
    )
    services.step_add(
        actor=world.users["school_leader"],
        strategy=strategy,
        description="Train the attendance team",
        owner=world.people["AP1"],
        due_on=dt.date(YEAR, 10, 15),
    )
    return Plan.objects.get(pk=plan.pk)


def test_the_plan_goes_from_draft_to_approval_with_comments_versions_and_notices(world: World) -> None:
    principal, supervisor, superintendent = (
        world.users["school_leader"],
        world.users["principal_supervisor"],
        world.users["superintendent"],
    )
    plan = _ready(world)
    plan = services.plan_submit(actor=principal, plan=plan)
    assert plan.status == S.SUBMITTED
    assert Notice.objects.filter(person=world.people["SUP1"], kind=services.NOTICE_PLAN).count() == 1
    with pytest.raises(ApplicationError, match="Write the comments"):
        services.plan_return(actor=supervisor, plan=plan, comments="  ")
    plan = services.plan_return(actor=supervisor, plan=plan, comments="Name a target for the spring.")
    assert plan.status == S.RETURNED
    assert Notice.objects.filter(person__in=[world.people["P1"], world.people["AP1"]]).count() == 2
    services.plan_save(
        actor=principal, plan=plan, expected_version=plan.version, changes={"summary": "Revised."}
    )
    plan = services.plan_submit(actor=principal, plan=Plan.objects.get(pk=plan.pk))
    plan = services.plan_endorse(actor=supervisor, plan=plan)
    assert Notice.objects.filter(person=world.people["SUPT"], kind=services.NOTICE_PLAN).count() == 1
    plan = services.plan_approve(actor=superintendent, plan=plan, note="Good work.")
    assert plan.status == S.APPROVED and plan.approved_at is not None
    steps = [(e.action, e.from_status, e.to_status) for e in plan.events.all()]
    assert steps == [
        ("created", "", "draft"),
        ("submitted", "draft", "submitted"),
        ("returned", "submitted", "returned"),
        ("submitted", "returned", "submitted"),
        ("endorsed", "submitted", "endorsed"),
        ("approved", "endorsed", "approved"),
    ]
    assert plan.events.get(action="returned").note == "Name a target for the spring."
    kept = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [v.status for v in kept] == ["submitted", "submitted", "approved"]
    assert kept[0].snapshot["summary"] == "" and kept[1].snapshot["summary"] == "Revised."
    assert kept[-1].snapshot["goals"][0]["strategies"][0]["steps"][0]["owner"] == "Ash Assistant-One"
    # Approved: content is closed; progress is reported once a quarter (a second report replaces it).
    goal = plan.goals.get()
    with pytest.raises(ApplicationError, match="only as a draft or when returned"):
        services.strategy_add(actor=principal, goal=goal, text="Another")
    services.progress_report(
        actor=principal,
        goal=goal,
        school_year=YEAR,
        quarter=1,
        status="at_risk",
        evidence="Absences up in Oct.",
    )
    services.progress_report(
        actor=principal, goal=goal, school_year=YEAR, quarter=1, status="on_track", evidence="Back down."
    )
    assert list(ProgressUpdate.objects.values_list("status", flat=True)) == ["on_track"]


def test_steps_out_of_order_are_refused_with_who_moved_it(world: World) -> None:
    plan = _ready(world)
    with pytest.raises(TransitionRefused, match="Draft"):
        services.plan_endorse(actor=world.users["principal_supervisor"], plan=plan)
    plan = services.plan_submit(actor=world.users["school_leader"], plan=plan)
    with pytest.raises(TransitionRefused, match="Submitted to the supervisor"):
        services.plan_approve(actor=world.users["superintendent"], plan=plan)
    with pytest.raises(TransitionRefused):
        services.plan_submit(actor=world.users["school_leader"], plan=plan)


def test_a_plan_must_be_complete_and_its_parts_inside_its_period_and_school(world: World) -> None:
    leader = world.users["school_leader"]
    plan = _plan(world)
    with pytest.raises(ApplicationError, match="at least one goal"):
        services.plan_submit(actor=leader, plan=plan)
    with pytest.raises(ApplicationError, match="The target is needed"):
        _goal(world, plan, target="")
    with pytest.raises(ApplicationError, match="not a number"):
        _goal(world, plan, target="twelve")
    with pytest.raises(ApplicationError, match="outside the plan"):
        _goal(world, plan, school_year=YEAR + 3)
    goal = _goal(world, plan)
    with pytest.raises(ApplicationError, match="Give every goal a strategy"):
        services.plan_submit(actor=leader, plan=plan)
    strategy = services.strategy_add(actor=leader, goal=goal, text="Mentors for chronically absent students")
    with pytest.raises(ApplicationError, match="outside the plan's period"):
        services.step_add(
            actor=leader,
            strategy=strategy,
            description="Late",
            owner=world.people["AP1"],
            due_on=dt.date(YEAR + 5, 1, 1),
        )
    # Someone at another district's school owns nothing here; the district's own offices may.
    with pytest.raises(ApplicationError, match="does not work at the school or its district's offices"):
        services.step_add(
            actor=leader,
            strategy=strategy,
            description="x",
            owner=world.people["PT1"],
            due_on=dt.date(YEAR, 9, 1),
        )
    with pytest.raises(ApplicationError, match="does not work at the school or its district's offices"):
        services.step_add(
            actor=leader,
            strategy=strategy,
            description="x",
            owner=world.people["P3"],
            due_on=dt.date(YEAR, 9, 1),
        )
    services.step_add(
        actor=leader,
        strategy=strategy,
        description="Data review",
        owner=world.people["SUP1"],
        due_on=dt.date(YEAR, 9, 1),
    )
    with pytest.raises(ApplicationError, match="does not work at the school"):
        services.team_add(actor=leader, plan=plan, person=world.people["SUP1"], role="Member")
    services.team_add(actor=leader, plan=plan, person=world.people["TEA1"], role="Teacher representative")
    with pytest.raises(ApplicationError, match="already on the team"):
        services.team_add(actor=leader, plan=plan, person=world.people["TEA1"])
    with pytest.raises(ApplicationError, match="outside the plan's period"):
        services.benchmark_add(
            actor=leader, goal=goal, kind="process", description="x", due_on=dt.date(YEAR - 1, 1, 1)
        )
    with pytest.raises(ApplicationError, match="needed"):
        services.benchmark_add(
            actor=leader, goal=goal, kind="outcome", description="x", due_on=dt.date(YEAR, 11, 30)
        )
    with pytest.raises(ApplicationError, match="already has a plan starting"):
        _plan(world)
    assert Plan.objects.count() == 1 and Benchmark.objects.count() == 0


def test_two_editors_never_overwrite_each_other(world: World) -> None:
    plan = _plan(world)
    opened = plan.version
    services.plan_save(
        actor=world.users["school_leader"], plan=plan, expected_version=opened, changes={"summary": "Mine"}
    )
    with pytest.raises(EditConflict) as conflict:
        services.plan_save(
            actor=world.users["assistant_principal"],
            plan=plan,
            expected_version=opened,
            changes={"summary": "Theirs"},
        )
    assert conflict.value.saved == {"summary": "Mine"} and conflict.value.submitted == {"summary": "Theirs"}
    assert Plan.objects.get(pk=plan.pk).summary == "Mine"
    goal = _goal(world, plan)
    stale = Plan.objects.get(pk=plan.pk).version
    data = {"statement": "Fewer absences", "metric": _metric(), "school_year": YEAR, "target": "10"}
    services.goal_update(actor=world.users["school_leader"], goal=goal, expected_version=stale, data=data)
    with pytest.raises(EditConflict):
        services.goal_update(
            actor=world.users["assistant_principal"],
            goal=goal,
            expected_version=stale,
            data={**data, "target": "9"},
        )
    assert Goal.objects.get(pk=goal.pk).target == Decimal("10")


@pytest.mark.parametrize(
    ("role", "view", "edit", "endorse", "approve"),
    [
        ("school_leader", True, True, False, False),
        ("assistant_principal", True, True, False, False),
        ("principal_supervisor", True, False, True, False),
        ("superintendent", True, False, False, True),
        ("district_admin", True, True, False, False),
        ("cabinet", True, False, False, False),
        ("hr", False, False, False, False),
        ("educator", False, False, False, False),
        ("coach", False, False, False, False),
        ("program_coordinator", False, False, False, False),
        ("no_role", False, False, False, False),
    ],
)
def test_who_may_read_write_endorse_and_approve(
    world: World, role: str, view: bool, edit: bool, endorse: bool, approve: bool
) -> None:
    from edlead.access import policy

    plan = _plan(world)
    user = world.users[role]
    assert policy.can(user, policy.PLAN_VIEW, plan) is view
    assert policy.can(user, policy.PLAN_EDIT, plan) is edit
    assert policy.can(user, policy.PLAN_ENDORSE, plan) is endorse
    assert services.may_approve(user, plan) is approve
    seen = set(policy.visible_to(user, Plan.objects.all(), policy.PLAN_VIEW).values_list("pk", flat=True))
    assert seen == ({plan.pk} if view else set())
    assert set(selectors.readable(user).values_list("pk", flat=True)) == seen  # a draft: no wider reading


def test_staff_read_their_schools_approved_plan_and_the_team_reads_it_all_along(
    world: World, client: Client
) -> None:
    plan = _ready(world)
    url = reverse("plans:plan-detail", args=[plan.pk])
    client.force_login(world.users["educator"])
    assert client.get(url).status_code == 404  # a draft: the school's leaders and its team only
    services.team_add(
        actor=world.users["school_leader"], plan=plan, person=world.people["TEA1"], role="Teacher"
    )
    page = client.get(url).content.decode()
    assert "Fewer students miss school" in page and "Add a goal" not in page and "Submit the plan" not in page
    services.team_remove(actor=world.users["school_leader"], member=plan.team.get())
    assert client.get(url).status_code == 404
    plan = services.plan_endorse(
        actor=world.users["principal_supervisor"],
        plan=services.plan_submit(actor=world.users["school_leader"], plan=Plan.objects.get(pk=plan.pk)),
    )
    services.plan_approve(actor=world.users["superintendent"], plan=plan)
    assert client.get(url).status_code == 200  # approved: public to the school's staff
    assert plan.title in client.get(reverse("plans:plan-list")).content.decode()
    assert client.get(reverse("plans:plan-pdf", args=[plan.pk])).status_code == 200
    # Not to another district's staff, nor to someone with no role.
    for user in (make_user(person=world.people["PT1"], password=None), world.users["no_role"]):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_other_quadrants_supervisor_and_another_district_see_nothing(
    world: World, client: Client
) -> None:
    plan = _plan(world)
    for person in ("SUP2", "PT1", "P3"):
        client.force_login(make_user(person=world.people[person], password=None))
        assert client.get(reverse("plans:plan-detail", args=[plan.pk])).status_code == 404, person
        assert client.post(reverse("plans:plan-act", args=[plan.pk, "endorse"])).status_code == 404, person


def test_an_assistant_superintendent_approves_only_where_the_district_says_so(world: World) -> None:
    from edlead.config.services import setting_set

    deputy = make_person("Alex", "Deputy")
    make_position(deputy, world.orgs["A"], Position.Role.ASSISTANT_SUPERINTENDENT)
    user = make_user(person=deputy, password=None)
    plan = services.plan_endorse(
        actor=world.users["principal_supervisor"],
        plan=services.plan_submit(actor=world.users["school_leader"], plan=_ready(world)),
    )
    assert not services.may_approve(user, plan)
    with pytest.raises(ApplicationError, match="Only the superintendent"):
        services.plan_approve(actor=user, plan=plan)
    setting_set(
        actor=world.users["district_admin"],
        organization=world.orgs["A"],
        key=services.ASSISTANT_APPROVES,
        value=True,
        expected_version=0,
    )
    assert services.may_approve(user, Plan.objects.get(pk=plan.pk))
    assert services.plan_approve(actor=user, plan=Plan.objects.get(pk=plan.pk)).status == S.APPROVED


def test_outcome_benchmarks_read_the_schools_figures(world: World) -> None:
    plan = _plan(world)
    goal = _goal(world, plan)
    month = dt.date(YEAR, 10, 31)
    bench = services.benchmark_add(
        actor=world.users["school_leader"],
        goal=goal,
        kind="outcome",
        description="October",
        due_on=month,
        target="15",
    )
    assert bench.period == f"{YEAR}-10" and bench.school_year == YEAR
    views = selectors.plan_goals(plan, today=dt.date(YEAR, 11, 15))
    assert views[0].benchmarks[0][1:] == (None, "overdue")
    metric = _metric()
    facts_upsert(
        [
            FactRow(world.orgs["S1"].pk, YEAR, f"{YEAR}-10", metric.pk, _all().pk, Decimal("14.2"), 400),
            FactRow(world.orgs["S1"].pk, YEAR, "", metric.pk, _all().pk, Decimal("13"), 400),
        ]
    )
    view = selectors.plan_goals(plan, today=dt.date(YEAR, 11, 15))[0]
    assert view.benchmarks[0][1:] == (Decimal("14.2"), "met")  # lower is better: 14.2 ≤ 15
    assert view.actual == Decimal("13") and view.met is False  # the year's 13 against a target of 12
    # A goal on a whole-year figure checks it at the end of the year, not in a month.
    yearly = _goal(world, plan, statement="Attendance", metric=_metric("attendance_rate"), target="95")
    checkpoint = services.benchmark_add(
        actor=world.users["school_leader"],
        goal=yearly,
        kind="outcome",
        description="June",
        due_on=dt.date(YEAR + 1, 6, 30),
        target="94",
    )
    assert (checkpoint.school_year, checkpoint.period) == (YEAR, "")
    # A figure about too few students is not shown.
    facts_upsert([FactRow(world.orgs["S1"].pk, YEAR, f"{YEAR}-10", metric.pk, _all().pk, Decimal("14.2"), 4)])
    assert selectors.plan_goals(plan, today=dt.date(YEAR, 11, 15))[0].benchmarks[0][1] is None


def test_the_pages_for_each_reader(world: World, client: Client) -> None:
    plan = _ready(world)
    url = reverse("plans:plan-detail", args=[plan.pk])
    client.force_login(world.users["school_leader"])
    page = client.get(url).content.decode()
    assert "Submit the plan" in page and "Add a goal" in page and "Fewer students miss school" in page
    assert client.get(reverse("plans:plan-list")).status_code == 200
    client.post(reverse("plans:plan-act", args=[plan.pk, "submit"]))
    client.force_login(world.users["principal_supervisor"])
    page = client.get(url).content.decode()
    assert "Endorse the plan" in page and "Submit the plan" not in page and "Add a goal" not in page
    bad = client.post(reverse("plans:plan-act", args=[plan.pk, "return"]), {"comments": ""})
    assert bad.status_code == 400 and "Write the comments" in bad.content.decode()
    back = client.post(
        reverse("plans:plan-act", args=[plan.pk, "return"]), {"comments": "More detail, please."}
    )
    assert back.status_code == 302
    client.force_login(world.users["school_leader"])
    page = client.get(url).content.decode()
    assert "Returned with comments" in page and "More detail, please." in page
    step = plan.goals.get().strategies.get().steps.get()
    assert client.post(reverse("plans:part-remove", args=["step", step.pk])).status_code == 302
    assert not plan.goals.get().strategies.get().steps.exists()
    assert client.post(reverse("plans:part-remove", args=["nonsense", step.pk])).status_code == 404
    for role in ("educator", "program_coordinator", "hr"):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 404, role
    client.force_login(world.users["cabinet"])
    page = client.get(url).content.decode()
    assert (
        "Fewer students miss school" in page
        and "Endorse the plan" not in page
        and "Submit the plan" not in page
    )


def test_a_goal_form_keeps_what_was_typed_when_refused(world: World, client: Client) -> None:
    plan = _plan(world)
    client.force_login(world.users["school_leader"])
    answer = client.post(
        reverse("plans:goal-add", args=[plan.pk]),
        {
            "statement": "Every reader at grade level",
            "metric": _metric().pk,
            "group": _all().pk,
            "school_year": YEAR,
            "target": "lots",
        },
    )
    body = answer.content.decode()
    assert (
        answer.status_code == 400
        and "“lots” is not a number" in body
        and "Every reader at grade level" in body
    )
    assert not Goal.objects.exists()


def test_the_plan_page_reads_in_a_fixed_number_of_queries(
    world: World, client: Client, django_assert_num_queries: Any
) -> None:
    plan = _ready(world)
    client.force_login(world.users["school_leader"])
    url = reverse("plans:plan-detail", args=[plan.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        goal = _goal(world, Plan.objects.get(pk=plan.pk), statement=f"Goal {n}")
        strategy = services.strategy_add(actor=world.users["school_leader"], goal=goal, text=f"Strategy {n}")
        services.step_add(
            actor=world.users["school_leader"],
            strategy=strategy,
            description=f"Step {n}",
            owner=world.people["TEA1"],
            due_on=dt.date(YEAR, 12, 1),
        )
        services.benchmark_add(
            actor=world.users["school_leader"],
            goal=goal,
            kind="process",
            description=f"B {n}",
            due_on=dt.date(YEAR, 12, 1),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_pdf_holds_the_plan(world: World, client: Client) -> None:
    import io

    from pypdf import PdfReader

    plan = _ready(world)
    client.force_login(world.users["principal_supervisor"])
    response = client.get(reverse("plans:plan-pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Oak Elementary improvement plan" in text and "Fewer students miss school" in text
    assert "Train the attendance team" in text and "Ash Assistant-One" in text


def test_the_work_queue_shows_each_his_step(world: World) -> None:
    from edlead.plans import queue

    today = timezone.localdate()
    plan = _ready(world)
    assert [i.title for i in queue.items(world.users["school_leader"], today)] == [
        "Finish and submit Oak Elementary's improvement plan"
    ]
    assert queue.items(world.users["principal_supervisor"], today) == []
    services.plan_submit(actor=world.users["school_leader"], plan=plan)
    assert [i.title for i in queue.items(world.users["principal_supervisor"], today)] == [
        "Review Oak Elementary's improvement plan"
    ]
    assert queue.items(world.users["superintendent"], today) == []
    services.plan_endorse(actor=world.users["principal_supervisor"], plan=Plan.objects.get(pk=plan.pk))
    assert [i.title for i in queue.items(world.users["superintendent"], today)] == [
        "Approve Oak Elementary's improvement plan"
    ]
    services.plan_approve(actor=world.users["superintendent"], plan=Plan.objects.get(pk=plan.pk))
    quarter = services.quarter_of(today)[1]
    assert [i.title for i in queue.items(world.users["school_leader"], today)] == [
        f"Report Q{quarter} progress on Oak Elementary's improvement plan"
    ]


def test_the_district_writes_its_strategy_and_template_and_school_plans_start_from_them(
    world: World, client: Client
) -> None:
    admin = world.users["district_admin"]
    url = reverse("plans:district-strategy", args=[world.orgs["A"].pk])
    client.force_login(admin)
    made = client.post(
        url,
        {
            "title": "Alpha 2030",
            "theory_of_action": "If every school leader coaches teachers weekly, then instruction improves.",
            "first_year": YEAR - 1,
            "last_year": YEAR + 2,
            "objectives": "1. Every student reads at grade level\n2. Every student attends",
        },
    )
    assert made.status_code == 302
    strategy = world.orgs["A"]
    objectives = list(services.strategy_for(world.orgs["S1"], YEAR).objectives.values_list("code", "title"))
    assert objectives == [("1", "Every student reads at grade level"), ("2", "Every student attends")]
    template_page = client.post(reverse("plans:district-template", args=[strategy.pk]))
    template = Plan.objects.get(is_template=True)
    assert template_page["Location"] == template.get_absolute_url()
    attend = services.strategy_for(world.orgs["S1"], YEAR).objectives.get(code="2")
    goal = services.goal_add(
        actor=admin,
        plan=template,
        data={
            "statement": "Fewer chronic absences",
            "metric": _metric(),
            "school_year": YEAR,
            "target": "10",
            "objective": attend,
        },
    )
    services.strategy_add(actor=admin, goal=goal, text="Attendance teams meet weekly")
    with pytest.raises(ApplicationError, match="A template is not submitted"):
        services.plan_submit(actor=admin, plan=template)
    page = client.get(template.get_absolute_url()).content.decode()
    assert "The district's template" in page and "Submit the plan" not in page
    # A principal's new plan starts from it, aligned to the same objective; they read the strategy.
    plan = _plan(world)
    (copied,) = plan.goals.all()
    assert (copied.statement, copied.objective.code, copied.strategies.get().text) == (
        "Fewer chronic absences",
        "2",
        "Attendance teams meet weekly",
    )
    client.force_login(world.users["school_leader"])
    assert "If every school leader coaches teachers weekly" in client.get(url).content.decode()
    assert client.post(url, {"title": "Mine"}).status_code == 404
    client.force_login(world.users["educator"])  # the district's staff read it; nobody outside it does
    assert client.get(url).status_code == 200
    for user in (make_user(person=world.people["PT1"], password=None), world.users["no_role"]):
        client.force_login(user)
        assert client.get(url).status_code == 404


def _approved_plans(world: World, n: int, district: str = "A", start: int = 0) -> None:
    from edlead.testing import make_school

    for i in range(n):
        code = f"{97 if district == 'A' else 98}{start + i:06d}"
        school = make_school(world.orgs[district], f"{district} School {start + i:03d}", code=code)
        Plan.objects.create(
            organization=school, title=f"Plan {i:03d}", first_year=YEAR, last_year=YEAR + 1, status="approved"
        )


def test_the_plan_list_pages_by_fifty_exports_every_plan_and_reads_in_fixed_queries(
    world: World, client: Client
) -> None:
    _approved_plans(world, 3)
    _approved_plans(world, 1, district="B")  # another district's plan: never listed here
    client.force_login(world.users["superintendent"])
    url = reverse("plans:plan-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    Plan.objects.filter(organization__parent=world.orgs["A"]).delete()
    _approved_plans(world, 60, start=100)
    with CaptureQueriesContext(connection) as many:
        first = client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "60 plans, 1–50 shown" in first and "Page 1 of 2" in first
    assert "A School 149" in first and "A School 150" not in first and "B School" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "A School 150" in second and "A School 159" in second and "51–60 shown" in second
    assert "Export all 60 plans (CSV)" in first
    csv = client.get(url, {"format": "csv", "page": "2"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("School,District,Network,Plan,Years,Status,Goals")
    assert lines[1].startswith("A School 100,Alpha Public Schools,,Plan 000,")
    assert len(lines) == 61 and "A School 100" in lines[1] and not any("B School" in x for x in lines)
    assert ",Approved,0,0,0,0" in lines[1]
    filtered = client.get(url, {"format": "csv", "q": "School 15"}).content.decode("utf-8-sig").strip()
    assert len(filtered.splitlines()) == 11  # the header and A School 150–159
    client.force_login(world.users["no_role"])
    assert client.get(url, {"format": "csv"}).status_code == 404
