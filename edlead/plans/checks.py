"""What every writer of plans shares: the constants, the permission and period checks, and quarters.
The writers are `services` (a plan and its parts), `services_workflow` (its steps and progress) and
`services_strategy` (the district's strategy and template)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from edlead import config
from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.plans.models import (
    Plan,
)

S = Plan.Status
EDITABLE = (S.DRAFT, S.RETURNED)
PLAN_CHANGED = "plan_changed"
AUDIT_VERBS = {PLAN_CHANGED: "School improvement plan changed"}
NOTICE_PLAN = "plans.workflow"
ASSISTANT_APPROVES = "plans.assistant_superintendent_approves"
PLAN_FIELDS = ("title", "summary", "first_year", "last_year")
PLAN_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "first_year": "First school year",
    "last_year": "Last school year",
}
GOAL_FIELDS = ("statement", "objective", "metric", "group", "school_year", "period", "baseline", "target")


def declare_settings() -> None:
    config.register(
        ASSISTANT_APPROVES,
        "An assistant superintendent may approve school improvement plans",
        config.BOOL,
        False,
        "School improvement plans are approved by the superintendent. Turn this on to let an assistant "
        "superintendent approve them too.",
        section="School improvement plans",
    )


# --- helpers -----------------------------------------------------------------------------------------------
def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ApplicationError(" ".join(_messages(exc))) from exc


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for field, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)


def _require(actor: Any, action: str, obj: Any, what: str) -> None:
    if actor is not None and not policy.can(actor, action, obj):
        raise ApplicationError(f"You may not {what}.")


def _audit(plan: Plan, actor: Any, step: str, **detail: Any) -> None:
    audit_record(action=PLAN_CHANGED, actor=actor, target=plan, detail={"step": step, **detail})


def _touch(plan: Plan, actor: Any) -> None:
    """A change of the plan's content: the plan's version goes up, so a form drawn before it is stale."""
    plan.mark_edited(actor)
    plan.save(update_fields=["version", "edited_by", "edited_at", "updated_at"])


def _editable(actor: Any, plan: Plan) -> Plan:
    current = editing.lock(plan)
    _require(actor, policy.PLAN_EDIT, current, "change this plan")
    if current.status not in EDITABLE:
        raise ApplicationError(
            f"The plan is “{current.get_status_display()}”: its content changes only as a draft or when "
            "returned."
        )
    return current


def _keeping(actor: Any, plan: Plan) -> Plan:
    """The plan locked for an update of how its work goes (step status, benchmarks met, progress),
    which its editors keep up whatever its status."""
    current = editing.lock(plan)
    _require(actor, policy.PLAN_EDIT, current, "update this plan")
    return current


def period_bounds(plan: Plan) -> tuple[dt.date, dt.date]:
    """The plan's first and last day: July 1 of its first school year to June 30 after its last."""
    return dt.date(plan.first_year, 7, 1), dt.date(plan.last_year + 1, 6, 30)


def _within_period(plan: Plan, day: dt.date, what: str) -> None:
    first, last = period_bounds(plan)
    if not first <= day <= last:
        raise ApplicationError(
            f"{what}: {day:%B %-d, %Y} is outside the plan's period ({first:%B %-d, %Y} to "
            f"{last:%B %-d, %Y})."
        )


def _year_within(plan: Plan, year: int, what: str) -> None:
    if year not in plan.years:
        raise ApplicationError(f"{what}: the school year {year}-{(year + 1) % 100:02d} is outside the plan.")


def _decimal(raw: Any, what: str, *, required: bool) -> Decimal | None:
    if raw in (None, ""):
        if required:
            raise ApplicationError(f"{what} is needed: what number will show the goal is met?")
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(f"{what}: “{raw}” is not a number.") from exc
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        raise ApplicationError(f"{what}: “{raw}” is not a usable number.")
    return value


def school_people_q(school: Organization) -> Q:
    """Current positions at the school, or in its district's own offices (the district and its units
    that are not schools: departments, networks)."""
    district = school.district if school.district_id else None
    if district is None:
        return Q(organization=school)
    return Q(organization=school) | (
        Q(organization__path__startswith=district.path) & ~Q(organization__kind=Organization.Kind.SCHOOL)
    )


def _check_owner(school: Organization, person: Person, what: str, *, school_only: bool = False) -> None:
    today = timezone.localdate()
    positions = Position.objects.current(today).filter(person=person)
    scope = Q(organization=school) if school_only else school_people_q(school)
    if not positions.filter(scope).exists():
        where = "the school" if school_only else "the school or its district's offices"
        raise ApplicationError(f"{what}: {person.display_name} does not work at {where}.")


def quarter_of(day: dt.date) -> tuple[int, int]:
    """(school year, quarter) of a day: July–September is Q1 … April–June Q4."""
    year = day.year if day.month >= 7 else day.year - 1
    return year, ((day.month - 7) % 12) // 3 + 1
