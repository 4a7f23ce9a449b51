"""The plan items of the work queue: plans waiting for the supervisor's endorsement or the
superintendent's approval, and for a school's leaders a plan returned with comments, a draft still to
submit, or this quarter's progress still to report. Two queries at most."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q

from edlead.access import policy
from edlead.core import workqueue
from edlead.plans.models import Plan, ProgressUpdate
from edlead.plans.services import may_approve, quarter_of

S = Plan.Status
SOURCE = "plans"
LIMIT = 50


def items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    wanted = Q()
    if policy.can(user, policy.PLAN_ENDORSE):
        wanted |= Q(status=S.SUBMITTED)
    if policy.can(user, policy.PLAN_APPROVE):
        wanted |= Q(status=S.ENDORSED)
    edits = policy.can(user, policy.PLAN_EDIT) and bool(getattr(user, "person_id", None))
    year, quarter = quarter_of(today)
    if edits:
        wanted |= Q(status__in=[S.DRAFT, S.RETURNED]) | Q(
            status=S.APPROVED, first_year__lte=year, last_year__gte=year
        )
    if not wanted:
        return []
    reported = ProgressUpdate.objects.filter(goal__plan=OuterRef("pk"), school_year=year, quarter=quarter)
    plans = (
        policy.visible_to(user, Plan.objects.filter(is_template=False).filter(wanted), policy.PLAN_VIEW)
        .annotate(reported=Exists(reported))
        .select_related("organization")
        .order_by("organization__name", "-first_year")[:LIMIT]
    )
    found: list[workqueue.WorkItem] = []
    quarter_ends = _quarter_end(year, quarter)
    approves: dict[int | None, bool] = {}  # may_approve asks once per district, not once per plan

    def approver(plan: Any) -> bool:
        key = plan.organization.district_id
        if key not in approves:
            approves[key] = may_approve(user, plan)
        return approves[key]

    for plan in plans:
        item = _item(user, plan, edits, quarter, quarter_ends, approver)
        if item is not None:
            found.append(item)
    return found


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = 7 + 3 * quarter  # the month after the quarter: Q1 → October
    y = year + (month - 1) // 12
    return dt.date(y, (month - 1) % 12 + 1, 1) - dt.timedelta(days=1)


def _item(
    user: Any, plan: Any, edits: bool, quarter: int, quarter_ends: dt.date, approver: Any
) -> workqueue.WorkItem | None:
    school = plan.organization.name

    def item(
        what: str, detail: str, *, waiting: bool = False, due: dt.date | None = None
    ) -> workqueue.WorkItem:
        return workqueue.WorkItem(
            title=f"{what} {school}'s improvement plan",
            url=plan.get_absolute_url(),
            source=SOURCE,
            organization=school,
            detail=detail,
            waiting=waiting,
            due=due,
        )

    if plan.status == S.SUBMITTED and policy.can(user, policy.PLAN_ENDORSE, plan):
        return item("Review", "Endorse it or return it with comments", waiting=True)
    if plan.status == S.ENDORSED and approver(plan):
        return item("Approve", "Endorsed by the supervisor", waiting=True)
    if not edits or not policy.can(user, policy.PLAN_EDIT, plan):
        return None
    if plan.status == S.RETURNED:
        return item("Revise", "Returned with comments", waiting=True)
    if plan.status == S.DRAFT:
        return item("Finish and submit", "A draft")
    if plan.status == S.APPROVED and not plan.reported:
        return item(
            f"Report Q{quarter} progress on",
            "On track, at risk or off track, with evidence",
            due=quarter_ends,
        )
    return None
