"""Due dates per step (district settings), overdue flags, the work-queue items of educator and
evaluator, and the daily reminders (once per item per day)."""

from __future__ import annotations

import datetime as dt

from edlead import schedules
from edlead.access.tests.conftest import World
from edlead.config.services import setting_set
from edlead.core import workqueue
from edlead.evaluations import deadlines
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.tasks import cycle_reminders_task
from edlead.evaluations.tests import cycle_helpers as h
from edlead.evaluations.tests.factories import THIS_YEAR
from edlead.notices.models import Notice

Y = THIS_YEAR


def _items(user: object, today: dt.date | None = None) -> list[tuple[str, dt.date | None, str]]:
    return [
        (e.item.title, e.item.due, e.state)
        for e in workqueue.items_for(user, today=today or dt.date(Y, 9, 1))
        if e.item.source == "evaluations"
    ]


def test_queue_follows_the_cycle_for_educator_and_evaluator(world: World) -> None:
    w = h.open_principal_cycle(world)
    assert _items(w.educator) == [("Complete your self-assessment", dt.date(Y, 10, 15), workqueue.WAITING)]
    assert _items(w.evaluator) == []
    assert deadlines.cycle_due_date(w.cycle) == dt.date(Y, 10, 15)

    h.self_assess(w)
    assert _items(w.educator) == [("Propose your goals", dt.date(Y, 10, 15), workqueue.WAITING)]
    goals = h.write_goals(w)
    sc.goals_propose(actor=w.educator, cycle=w.cycle)
    assert _items(w.educator) == []
    assert _items(w.evaluator) == [
        ("Approve goals for Pat Principal-One", dt.date(Y, 11, 1), workqueue.WAITING)
    ]
    for g in goals:
        sc.goal_approve(actor=w.evaluator, goal=g)
    assert _items(w.evaluator)[0][0] == "Decide and approve the plan for Pat Principal-One"
    sc.cycle_decide_plan(
        actor=w.evaluator, cycle=w.cycle, plan_type="developing", starts_on=dt.date(Y, 9, 15)
    )
    sc.cycle_approve_plan(actor=w.evaluator, cycle=w.cycle)

    # Step 3: the formative is coming up for the evaluator; evidence for the educator.
    assert _items(w.evaluator) == [
        ("Write the formative assessment for Pat Principal-One", dt.date(Y + 1, 2, 1), workqueue.LATER)
    ]
    assert _items(w.educator) == [
        ("Add evidence for your evaluation", dt.date(Y + 1, 4, 15), workqueue.LATER)
    ]
    h.add_evidence(w)
    h.formative(w)
    # Step 5: the evaluator signs by the summative date, then the educator within 7 days.
    assert _items(w.evaluator) == [
        ("Sign the summative evaluation for Pat Principal-One", dt.date(Y + 1, 6, 1), workqueue.WAITING)
    ]
    h.write_summative(w)
    signed = sc.summative_sign_evaluator(actor=w.evaluator, cycle=w.cycle)
    assert signed.evaluator_signed_at is not None
    due = signed.evaluator_signed_at.date() + dt.timedelta(days=7)
    assert _items(w.evaluator) == []
    assert _items(w.educator, today=due + dt.timedelta(days=1)) == [
        ("Sign your summative evaluation", due, workqueue.OVERDUE)
    ]
    sc.summative_sign_educator(actor=w.educator, cycle=w.cycle)
    assert _items(w.educator) == [] and deadlines.cycle_due_date(w.fresh()) is None


def test_due_dates_come_from_the_district_settings_and_overdue_is_flagged(world: World) -> None:
    w = h.open_principal_cycle(world)
    setting_set(
        actor=world.users["district_admin"],
        organization=world.orgs["A"],
        key="evaluation.self_assessment_due",
        value="10-01",
        expected_version=0,
    )
    assert deadlines.cycle_due_date(w.fresh()) == dt.date(Y, 10, 1)
    assert deadlines.cycle_overdue(w.cycle, today=dt.date(Y, 10, 1)) == []
    late = deadlines.cycle_overdue(w.cycle, today=dt.date(Y, 10, 2))
    assert [(p.who, p.key) for p in late] == [("educator", "self_assessment")]
    assert _items(w.educator, today=dt.date(Y, 10, 2))[0][2] == workqueue.OVERDUE


def test_a_short_plan_brings_the_summative_forward(world: World) -> None:
    w = h.open_principal_cycle(world)
    dates = deadlines.step_dates(world.orgs["S1"], Y, dt.date(Y + 1, 1, 31))
    assert dates["evaluation.summative_due"] == dt.date(Y + 1, 1, 31)
    two_years = deadlines.step_dates(world.orgs["S1"], Y, dt.date(Y + 2, 6, 30))
    assert two_years["evaluation.summative_due"] == dt.date(Y + 2, 6, 1)
    assert w.cycle.pk


def test_reminders_are_sent_on_reminder_days_and_when_overdue_once_a_day(world: World) -> None:
    h.open_principal_cycle(world)
    due = dt.date(Y, 10, 15)
    p1 = world.people["P1"]

    def reminders() -> int:
        return Notice.objects.filter(person=p1, kind=sc.NOTICE_DUE).count()

    assert deadlines.cycle_reminders_send(today=due - dt.timedelta(days=5)) == 0  # not a reminder day
    assert deadlines.cycle_reminders_send(today=due - dt.timedelta(days=3)) == 1  # 3 days before
    assert deadlines.cycle_reminders_send(today=due - dt.timedelta(days=3)) == 0  # the same day again
    assert reminders() == 1
    notice = Notice.objects.get(person=p1, kind=sc.NOTICE_DUE)
    assert notice.subject == "Complete your self-assessment — due in 3 days"
    assert deadlines.cycle_reminders_send(today=due) == 1
    assert deadlines.cycle_reminders_send(today=due + dt.timedelta(days=2)) == 1
    assert deadlines.cycle_reminders_send(today=due + dt.timedelta(days=2)) == 0
    assert reminders() == 3
    assert Notice.objects.filter(person=p1, subject__contains="2 days overdue").exists()
    # Nobody else owes anything at step 1.
    assert not Notice.objects.filter(kind=sc.NOTICE_DUE).exclude(person=p1).exists()


def test_the_reminder_job_is_scheduled_daily(db: object) -> None:
    job = schedules.get("evaluations.reminders")
    assert job.cron == "0 6 * * *" and job.task is cycle_reminders_task
    assert cycle_reminders_task.call().endswith("sent")  # type: ignore[attr-defined]


def test_queue_items_cost_the_same_at_two_sizes(world: World, django_assert_num_queries: object) -> None:
    from edlead.evaluations.models import Cycle
    from edlead.evaluations.tests.factories import cycle_for
    from edlead.testing import make_person, make_position

    p1 = world.people["P1"]
    principal = world.users["school_leader"]

    def teachers(n: int) -> None:
        for _ in range(n):
            t = make_person("Tess", None)
            make_position(t, world.orgs["S1"], "teacher")
            cycle_for(t, evaluator=p1)
        Cycle.objects.filter(evaluator=p1).update(step="implementation")

    teachers(2)
    deadlines.cycle_items(principal, dt.date(Y, 9, 1))
    with django_assert_num_queries(2):  # type: ignore[operator]  # the cycles; the district's settings
        assert len(deadlines.cycle_items(principal, dt.date(Y, 9, 1))) == 2
    teachers(5)
    with django_assert_num_queries(2):  # type: ignore[operator]
        assert len(deadlines.cycle_items(principal, dt.date(Y, 9, 1))) == 7
