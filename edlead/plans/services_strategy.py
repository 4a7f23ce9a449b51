"""The district's side of school improvement plans: its strategy (theory of action and objectives) and the
template school plans start from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.orgs.models import Organization
from edlead.plans.checks import PLAN_CHANGED, _audit, _clean, _require, quarter_of
from edlead.plans.models import (
    Objective,
    Plan,
    StrategicPlan,
)


# --- the district's strategy -----------------------------------------------------------------------------------
@transaction.atomic
def strategy_create(
    *,
    actor: Any,
    district: Organization,
    title: str,
    theory_of_action: str,
    first_year: int,
    last_year: int,
    objectives: Iterable[tuple[str, str]] = (),
) -> StrategicPlan:
    """A district's strategy with its objectives ((code, title) pairs). District administrators."""
    _require(actor, policy.ORG_MANAGE, district, "set the district's strategy")
    if district.kind != Organization.Kind.DISTRICT:
        raise ApplicationError("A strategic plan belongs to a district.")
    plan = StrategicPlan(
        organization=district,
        title=title.strip(),
        theory_of_action=theory_of_action.strip(),
        first_year=first_year,
        last_year=last_year,
    )
    plan.mark_edited(actor)
    plan.version = 1
    _clean(plan)
    plan.save()
    for n, (code, name) in enumerate(objectives, start=1):
        row = Objective(strategic_plan=plan, code=str(code).strip(), title=str(name).strip(), order=n)
        _clean(row)
        row.save()
    audit_record(
        action=PLAN_CHANGED, actor=actor, target=district, detail={"step": "strategy", "id": plan.pk}
    )
    return plan


STRATEGY_FIELDS = ("title", "theory_of_action", "first_year", "last_year")


@transaction.atomic
def strategy_save(
    *, actor: Any, strategy: StrategicPlan, expected_version: int, changes: Mapping[str, Any]
) -> StrategicPlan:
    """The strategy's title, theory of action and years; a stale version raises `EditConflict`."""
    _require(actor, policy.ORG_MANAGE, strategy.organization, "change the district's strategy")
    unknown = set(changes) - set(STRATEGY_FIELDS)
    if unknown:
        raise ApplicationError(f"Not a field of the strategy: {', '.join(sorted(unknown))}.")
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    saved = editing.save_versioned(
        obj=strategy, expected_version=expected_version, changes=cleaned, actor=actor
    )
    audit_record(action=PLAN_CHANGED, actor=actor, target=saved.organization, detail={"step": "strategy"})
    return saved


@transaction.atomic
def objective_add(*, actor: Any, strategy: StrategicPlan, code: str, title: str) -> Objective:
    _require(actor, policy.ORG_MANAGE, strategy.organization, "change the district's strategy")
    if not title.strip():
        raise ApplicationError("Name the objective.")
    row = Objective(
        strategic_plan=strategy,
        code=code.strip() or str(strategy.objectives.count() + 1),
        title=title.strip(),
        order=strategy.objectives.count() + 1,
    )
    _clean(row)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ApplicationError(f"Objective {row.code} already exists.") from exc
    return row


@transaction.atomic
def objective_remove(*, actor: Any, objective: Objective) -> None:
    """Remove an objective; goals aligned to it keep their text and lose the alignment."""
    _require(
        actor, policy.ORG_MANAGE, objective.strategic_plan.organization, "change the district's strategy"
    )
    objective.delete()


@transaction.atomic
def template_for(*, actor: Any, district: Organization) -> Plan:
    """The district's template for school plans (created the first time): goals and strategies that
    every new school plan starts from. Edited like a plan by whoever may write plans at the district."""
    _require(actor, policy.PLAN_EDIT, district, "keep the district's template")
    if district.kind != Organization.Kind.DISTRICT:
        raise ApplicationError("A template belongs to a district.")
    found = (
        Plan.objects.filter(organization=district, is_template=True).order_by("-first_year", "-pk").first()
    )
    if found is not None:
        return found
    year = quarter_of(timezone.localdate())[0]
    strategy = (
        StrategicPlan.objects.filter(organization=district, first_year__lte=year, last_year__gte=year)
        .order_by("-first_year")
        .first()
    )
    template = Plan(
        organization=district,
        is_template=True,
        strategic_plan=strategy,
        title=f"{district.name}: template for school improvement plans",
        first_year=year,
        last_year=year + 2,
    )
    template.mark_edited(actor)
    template.version = 1
    _clean(template)
    template.save()
    _audit(template, actor, "template created")
    return template


def objectives_of(plan: Plan) -> list[Objective]:
    """The objectives of the district strategy the plan follows (none without one)."""
    return list(plan.strategic_plan.objectives.all()) if plan.strategic_plan is not None else []


def strategy_for(school: Organization, year: int) -> StrategicPlan | None:
    """The strategy of the school's district that covers `year` (the latest such)."""
    if school.district_id is None:
        return None
    return (
        StrategicPlan.objects.filter(
            organization_id=school.district_id, first_year__lte=year, last_year__gte=year
        )
        .order_by("-first_year", "-pk")
        .first()
    )
