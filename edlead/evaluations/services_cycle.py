"""Writers of the evaluation cycle: open a cycle, choose its evaluator, and one service per step —
self-assessment, goals and plan, evidence, formative assessment, summative evaluation with both
signatures — and the reopening of a signed evaluation for a correction.

Every service is keyword-only with the actor first, runs in one transaction, locks the cycle, refuses
out-of-order steps and the wrong person with a plain message (`ApplicationError`), refuses a stale
form (`EditConflict`, through `edlead.core.editing`) and audits what it decided. Drafts that autosave
(`*_save`) are not audited one by one; submissions, decisions and signatures are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from edlead import config
from edlead.access import policy
from edlead.access.models import Relationship
from edlead.access.services import relationship_end, relationship_start
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.evaluations import rules
from edlead.evaluations.models import (
    Assessment,
    Attainment,
    Cycle,
    CycleEvent,
    CycleReopening,
    Evidence,
    Framework,
    Goal,
    GoalEvent,
    GoalReview,
    Indicator,
    PlanType,
    Progress,
    Rating,
    Standard,
    TeamGoal,
)
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.people.selectors import person_positions, supervisors_of

Step = Cycle.Step
Stage = Assessment.Stage

CYCLE_VIEW = "evaluations.cycle.view"  # the educator, their evaluator, supervision chain, HR
CYCLE_MANAGE = "evaluations.cycle.manage"  # open cycles, choose evaluators, reopen: HR, district admin
EVIDENCE_VIEW = "evaluations.evidence.view"  # as the cycle (downloads of evidence files)
EVIDENCE_EDIT = "evaluations.evidence.edit"  # the educator and their evaluator add evidence

NOTICE_CYCLE = "evaluations.cycle"
NOTICE_DUE = "evaluations.due"

CYCLE_OPENED = "cycle_opened"
CYCLE_EVALUATOR_SET = "cycle_evaluator_set"
SELF_ASSESSMENT_SUBMITTED = "self_assessment_submitted"
GOALS_PROPOSED = "goals_proposed"
GOAL_APPROVED = "goal_approved"
GOAL_RETURNED = "goal_returned"
PLAN_DECIDED = "plan_decided"
PLAN_APPROVED = "plan_approved"
EVIDENCE_ADDED = "evidence_added"
EVIDENCE_REMOVED = "evidence_removed"
FORMATIVE_SUBMITTED = "formative_submitted"
SUMMATIVE_SIGNED_EVALUATOR = "summative_signed_evaluator"
SUMMATIVE_SIGNED_EDUCATOR = "summative_signed_educator"
CYCLE_REOPENED = "cycle_reopened"
SUMMATIVE_CORRECTED = "summative_corrected"
AUDIT_VERBS = {
    CYCLE_OPENED: "Evaluation cycle opened",
    CYCLE_EVALUATOR_SET: "Evaluator chosen",
    SELF_ASSESSMENT_SUBMITTED: "Self-assessment submitted",
    GOALS_PROPOSED: "Goals proposed",
    GOAL_APPROVED: "Goal approved",
    GOAL_RETURNED: "Goal returned with comments",
    PLAN_DECIDED: "Educator plan decided",
    PLAN_APPROVED: "Educator plan approved",
    EVIDENCE_ADDED: "Evaluation evidence added",
    EVIDENCE_REMOVED: "Evaluation evidence removed",
    FORMATIVE_SUBMITTED: "Formative assessment shared",
    SUMMATIVE_SIGNED_EVALUATOR: "Summative evaluation signed by the evaluator",
    SUMMATIVE_SIGNED_EDUCATOR: "Summative evaluation signed by the educator",
    CYCLE_REOPENED: "Signed evaluation reopened for a correction",
    SUMMATIVE_CORRECTED: "Signed evaluation corrected from the district's record",
}

RatingInput = Mapping[str, "str | tuple[str, str]"]  # code → level, or (level, narrative)


# --- evidence from other apps (visits) ------------------------------------------------------------------
EvidenceSource = Callable[[list[int]], Mapping[int, set[int]]]
_EVIDENCE_SOURCES: dict[str, EvidenceSource] = {}


def evidence_source_register(name: str, source: EvidenceSource) -> None:
    """An app whose records count as evidence of a cycle (the visits app: evaluative visits) declares,
    from its ready(), a function cycle ids → {cycle id: evidence categories present}."""
    _EVIDENCE_SOURCES[name] = source


def evidence_categories(cycle: Cycle) -> tuple[set[int], bool]:
    """The evidence categories a cycle has (its own evidence and registered sources) and whether staff
    feedback is among them."""
    rows = list(Evidence.objects.filter(cycle=cycle).values_list("category", "staff_feedback"))
    categories = {c for c, _ in rows}
    for source in _EVIDENCE_SOURCES.values():
        categories |= set(source([cycle.pk]).get(cycle.pk, set()))
    return categories, any(s for _, s in rows)


# --- who and where ----------------------------------------------------------------------------------
def propose_evaluators(*, educator: Person, on: dt.date | None = None) -> list[Person]:
    """Who supervision says should evaluate `educator`: a principal's principal supervisor(s) (or the
    superintendent where no supervisor is above the school); a teacher's or assistant principal's
    school principal(s). Several people or none; HR or the district administrator chooses."""
    seen: dict[int, Person] = {}
    for relation in supervisors_of(educator, person_positions(educator), on=on):
        if relation.person.pk != educator.pk:
            seen.setdefault(relation.person.pk, relation.person)
    return list(seen.values())


def current_position(educator: Person, on: dt.date | None = None) -> Position | None:
    """The educator's primary current position (the one the evaluation is about)."""
    return (
        Position.objects.current(on)
        .filter(person=educator)
        .select_related("organization", "organization__district")
        .order_by("-is_primary", "-starts_on", "pk")
        .first()
    )


ADMINISTRATOR_ROLES = (Position.Role.PRINCIPAL, Position.Role.ASSISTANT_PRINCIPAL)
SUPERINTENDENT_ROLES = (Position.Role.SUPERINTENDENT,)


def framework_for(*, role: str, organization: Organization) -> Framework | None:
    """The rubric for a position: the district's own published copy of the audience, else the state's."""
    if role in ADMINISTRATOR_ROLES:
        audience = Framework.Audience.ADMINISTRATOR
    elif role in SUPERINTENDENT_ROLES:
        audience = Framework.Audience.SUPERINTENDENT
    else:
        audience = Framework.Audience.TEACHER
    district = organization if organization.is_district else organization.district
    published = Framework.objects.filter(audience=audience, status=Framework.Status.PUBLISHED)
    own = (
        published.filter(organization=district).order_by("-published_at", "-pk").first() if district else None
    )
    return own or published.filter(organization=None).order_by("-published_at", "-pk").first()


def is_administrator_cycle(cycle: Cycle) -> bool:
    return cycle.framework.audience == Framework.Audience.ADMINISTRATOR


def years_in_role(*, educator: Person, role: str, on: dt.date | None = None) -> int:
    """Completed years the educator has held `role` in their current district (0 in the first year)."""
    today = on or dt.date.today()
    here = current_position(educator, today)
    if here is None:
        return 0
    district = here.organization if here.organization.is_district else here.organization.district
    starts = [
        p.starts_on
        for p in Position.objects.filter(person=educator, role=role).select_related("organization")
        if p.starts_on
        and (district is None or p.organization.path.startswith(district.path))
        and (p.starts_on <= today)
    ]
    if not starts:
        return 0
    first = min(starts)
    years = today.year - first.year - ((today.month, today.day) < (first.month, first.day))
    return max(years, 0)


def cycle_suggested_plan(cycle: Cycle, *, on: dt.date | None = None) -> rules.PlanSuggestion:
    """The plan the rules suggest for this cycle: from the educator's last signed summative rating
    and their years in the role."""
    prior = (
        Assessment.objects.filter(
            cycle__educator_id=cycle.educator_id,
            cycle__school_year__lt=cycle.school_year,
            stage=Stage.SUMMATIVE,
            educator_signed_at__isnull=False,
        )
        .order_by("-cycle__school_year")
        .values_list("overall", flat=True)
        .first()
    )
    here = current_position(cycle.educator, on)
    role = here.role if here is not None else Position.Role.TEACHER
    return rules.suggest_plan(
        educator=cycle.educator,
        prior_rating=prior or None,
        years_in_role=years_in_role(educator=cycle.educator, role=role, on=on),
    )


# --- guards -----------------------------------------------------------------------------------------
def _lock(cycle: Cycle) -> Cycle:
    return (
        Cycle.objects.select_for_update(of=("self",))
        .select_related("educator", "evaluator", "organization", "framework", "edited_by")
        .get(pk=cycle.pk)
    )


def _step_words(step: str) -> str:
    return f"step {Cycle.STEP_ORDER.index(step) + 1} ({Step(step).label.split(' ', 1)[1]})"


def _require_step(cycle: Cycle, allowed: Iterable[str], what: str) -> None:
    allowed = list(allowed)
    if cycle.step in allowed:
        return
    if cycle.step == Step.DONE:
        raise ApplicationError(
            "This evaluation is signed and locked: it can be corrected only by reopening it with a reason."
        )
    where = " or ".join(_step_words(s) for s in allowed)
    now = _step_words(cycle.step)
    raise ApplicationError(f"{what} belongs to {where}; this evaluation is at {now}.")


def _person_id(actor: Any) -> int | None:
    return getattr(actor, "person_id", None)


def _require_educator(actor: Any, cycle: Cycle, what: str) -> None:
    if _person_id(actor) is None or _person_id(actor) != cycle.educator_id:
        raise ApplicationError(f"Only {cycle.educator.display_name}, the educator, can {what}.")


def _require_evaluator(actor: Any, cycle: Cycle, what: str) -> None:
    if cycle.evaluator_id is None:
        raise ApplicationError("No evaluator has been chosen for this evaluation yet.")
    if _person_id(actor) is None or _person_id(actor) != cycle.evaluator_id:
        who = cycle.evaluator.display_name if cycle.evaluator else "the evaluator"
        raise ApplicationError(f"Only {who}, the evaluator, can {what}.")


def _require_manager(actor: Any, cycle_or_org: Cycle | Organization, what: str) -> None:
    """HR and district administrators of the educator's district (None: the system)."""
    if actor is None:
        return
    org = cycle_or_org.organization if isinstance(cycle_or_org, Cycle) else cycle_or_org
    if not policy.may_manage_relationships(actor, org):
        raise ApplicationError(f"Only HR or the district administrator can {what}.")


def _district(org: Organization) -> Organization:
    return org if org.is_district or org.district is None else org.district


def _audit(cycle: Cycle, verb: str, actor: Any, **detail: Any) -> None:
    audit_record(
        action=verb,
        actor=actor,
        target=cycle,
        detail={"cycle": cycle.pk, "educator": cycle.educator_id, "step": cycle.step, **detail},
    )


def _move(
    actor: Any,
    cycle: Cycle,
    action: str,
    to: str,
    *,
    expected_version: int | None = None,
    note: str = "",
    changes: Mapping[str, Any] | None = None,
) -> Cycle:
    """The cycle moved to step `to` (the caller checked the from-step with its own words)."""
    return editing.transition(
        obj=cycle,
        action=action,
        to=to,
        allowed_from=[cycle.step],
        actor=actor,
        event_model=CycleEvent,
        expected_version=expected_version,
        note=note,
        changes=changes,
        status_field="step",
    )


def _event(cycle: Cycle, actor: Any, action: str, *, from_status: str | None = None, note: str = "") -> None:
    """A timeline entry for a step that does not move the cycle (opened, evaluator chosen, signed)."""
    CycleEvent.objects.create(
        record=cycle,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=editing.user_label(actor) if actor is not None else "system",
        action=action,
        from_status=cycle.step if from_status is None else from_status,
        to_status=cycle.step,
        note=note,
    )


def _notify(person: Person | None, subject: str, cycle: Cycle, body: str = "", once_key: str = "") -> None:
    if person is None:
        return
    from edlead.notices.services import notify

    notify(
        person=person,
        kind=NOTICE_CYCLE,
        subject=subject,
        body=body,
        link=cycle.get_absolute_url(),
        once_key=once_key or None,
    )


# --- opening a cycle and choosing the evaluator -------------------------------------------------------
@transaction.atomic
def cycle_open(
    *,
    actor: Any,
    educator: Person,
    school_year: int,
    framework: Framework | None = None,
    evaluator: Person | None = None,
    reason: str = "",
) -> Cycle:
    """Open `educator`'s cycle for `school_year` at their current school (HR or the district
    administrator; None is the system). The rubric follows their position unless given; the evaluator
    is set too when given (else proposed by `propose_evaluators` and chosen later)."""
    here = current_position(educator)
    if here is None:
        raise ApplicationError(f"{educator.display_name} holds no current position to be evaluated in.")
    organization = here.organization
    _require_manager(actor, organization, "open an evaluation cycle")
    framework = framework or framework_for(role=here.role, organization=organization)
    if framework is None:
        raise ApplicationError("No published evaluation framework fits this position.")
    if framework.status != Framework.Status.PUBLISHED:
        raise ApplicationError(f"“{framework}” is not published: a cycle uses a published framework.")
    if Cycle.objects.filter(educator=educator, school_year=school_year).exists():
        raise ApplicationError(
            f"{educator.display_name} already has an evaluation cycle for that school year."
        )
    cycle = Cycle(
        educator=educator,
        organization=organization,
        school_year=school_year,
        framework=framework,
        version=0,
    )
    cycle.mark_edited(actor)
    cycle.full_clean()
    cycle.save()
    _event(cycle, actor, "opened", from_status="")
    _audit(cycle, CYCLE_OPENED, actor, framework=framework.pk, school_year=school_year)
    if evaluator is not None:
        cycle = cycle_set_evaluator(actor=actor, cycle=cycle, evaluator=evaluator, reason=reason or "opened")
    return cycle


@transaction.atomic
def cycle_set_evaluator(*, actor: Any, cycle: Cycle, evaluator: Person, reason: str) -> Cycle:
    """Choose (or change) the evaluator: HR or the district administrator only, with a reason. Starts
    the dated evaluator relationship (the platform's access follows it) and ends the previous
    evaluator's, unless another open cycle of theirs with this educator still needs it."""
    current = _lock(cycle)
    _require_manager(actor, current, "choose an evaluator")
    if current.is_locked:
        raise ApplicationError(
            "This evaluation is signed and locked: reopen it before changing the evaluator."
        )
    if evaluator.pk == current.educator_id:
        raise ApplicationError("Nobody evaluates themselves: choose someone else as evaluator.")
    if not reason.strip():
        raise ApplicationError("Give a reason for the choice of evaluator.")
    if current.evaluator_id == evaluator.pk:
        return current
    previous = current.evaluator
    district = _district(current.organization)
    today = timezone.localdate()
    running = Relationship.objects.active(today).filter(
        kind=Relationship.Kind.EVALUATOR, holder=evaluator, person=current.educator
    )
    rel = running.first()
    if rel is None:
        rel = relationship_start(
            actor=actor,
            kind=Relationship.Kind.EVALUATOR,
            holder=evaluator,
            person=current.educator,
            organization=district,
            note=f"Evaluator of {current}"[:255],
        )
    old_rel = current.evaluator_relationship
    current.evaluator = evaluator
    current.evaluator_relationship = rel
    current.mark_edited(actor)
    current.full_clean()
    current.save()
    _event(current, actor, "evaluator_set", note=reason.strip())
    if old_rel is not None and old_rel.pk != rel.pk and old_rel.is_active(today):
        still_needed = (
            Cycle.objects.filter(evaluator_relationship=old_rel)
            .exclude(pk=current.pk)
            .exclude(step=Step.DONE)
        )
        if not still_needed.exists() and actor is not None:
            relationship_end(actor=actor, relationship=old_rel, ends_on=max(today, old_rel.starts_on))
    _audit(
        current,
        CYCLE_EVALUATOR_SET,
        actor,
        evaluator=evaluator.pk,
        previous=previous.pk if previous else None,
        reason=reason.strip(),
    )
    _notify(evaluator, f"You are the evaluator of {current.educator.display_name}", current)
    return current


# --- ratings ----------------------------------------------------------------------------------------
def _resolve_ratings(
    cycle: Cycle, ratings: RatingInput, *, indicators_allowed: bool, what: str
) -> list[Rating]:
    """Rating rows (unsaved, no assessment) from code → level / (level, narrative); refuses unknown
    codes and levels outside the state's rating scale."""
    scale = config.setting(cycle.organization, "evaluation.rating_scale")
    standards = {s.code: s for s in Standard.objects.filter(framework_id=cycle.framework_id)}
    indicators = (
        {i.code: i for i in Indicator.objects.filter(standard__framework_id=cycle.framework_id)}
        if indicators_allowed
        else {}
    )
    rows = []
    for code, value in ratings.items():
        level, narrative = (value, "") if isinstance(value, str) else value
        if not level:
            continue
        problem = rules.check_level(level, scale, f"{what}, {code}")
        if problem:
            raise ApplicationError(problem)
        if code in standards:
            rows.append(Rating(standard=standards[code], level=level, narrative=narrative.strip()))
        elif code in indicators:
            rows.append(Rating(indicator=indicators[code], level=level, narrative=narrative.strip()))
        else:
            kinds = "standard or indicator" if indicators_allowed else "standard"
            raise ApplicationError(f"{what}: {code!r} is not a {kinds} of {cycle.framework}.")
    return rows


def _rating_map(assessment: Assessment) -> dict[str, tuple[str, str]]:
    out = {}
    for r in assessment.ratings.select_related("standard", "indicator"):
        code = r.standard.code if r.standard is not None else r.indicator.code  # type: ignore[union-attr]
        out[code] = (r.level, r.narrative)
    return out


def _assessment(cycle: Cycle, stage: str) -> Assessment:
    """The cycle's assessment of `stage`, created (version 0) when missing, locked."""
    Assessment.objects.get_or_create(cycle=cycle, stage=stage, defaults={"version": 0})
    return editing.lock(Assessment.objects.get(cycle=cycle, stage=stage))


def _write(
    actor: Any,
    assessment: Assessment,
    expected_version: int,
    fields: Mapping[str, Any],
    ratings: list[Rating] | None,
    reviews: list[GoalReview] | None = None,
) -> Assessment:
    """Save an assessment's fields, ratings and goal reviews together, if nobody saved since
    `expected_version` (`EditConflict` with both sides otherwise)."""
    saved: dict[str, Any] = {name: getattr(assessment, name) for name in fields}
    submitted: dict[str, Any] = dict(fields)
    if ratings is not None:
        saved["ratings"] = _rating_map(assessment)
        submitted["ratings"] = {
            (r.standard.code if r.standard is not None else r.indicator.code): (r.level, r.narrative)  # type: ignore[union-attr]
            for r in ratings
        }
    editing.check_version(assessment, expected_version, saved=saved, submitted=submitted)
    if saved == submitted and (reviews is None or not reviews):
        return assessment  # nothing changed: not a save (the version stays)
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.mark_edited(actor)
    assessment.full_clean()
    assessment.save()
    if ratings is not None:
        assessment.ratings.all().delete()
        for r in ratings:
            r.assessment = assessment
            r.full_clean(validate_constraints=False)
        Rating.objects.bulk_create(ratings)
    if reviews is not None:
        GoalReview.objects.filter(assessment=assessment, goal_id__in=[r.goal_id for r in reviews]).delete()
        for review in reviews:
            review.assessment = assessment
            review.full_clean(validate_constraints=False)
        GoalReview.objects.bulk_create(reviews)
    return assessment


# --- step 1: self-assessment --------------------------------------------------------------------------
@transaction.atomic
def self_assessment_save(
    *,
    actor: Any,
    cycle: Cycle,
    expected_version: int,
    narrative: str | None = None,
    ratings: RatingInput | None = None,
) -> Assessment:
    """The educator's self-assessment draft: ratings by standard or by indicator (code → level or
    (level, narrative)) and an overall narrative. Autosaves; refused once submitted."""
    current = _lock(cycle)
    _require_educator(actor, current, "write the self-assessment")
    _require_step(current, [Step.SELF_ASSESSMENT], "The self-assessment")
    rows = (
        _resolve_ratings(current, ratings, indicators_allowed=True, what="Self-assessment")
        if ratings is not None
        else None
    )
    fields = {"narrative": narrative.strip()} if narrative is not None else {}
    return _write(actor, _assessment(current, Stage.SELF), expected_version, fields, rows)


@transaction.atomic
def self_assessment_submit(*, actor: Any, cycle: Cycle, expected_version: int | None = None) -> Cycle:
    """Send the self-assessment to the evaluator: the cycle moves to step 2 (goals and plan)."""
    current = _lock(cycle)
    _require_educator(actor, current, "submit the self-assessment")
    _require_step(current, [Step.SELF_ASSESSMENT], "Submitting the self-assessment")
    sa = Assessment.objects.filter(cycle=current, stage=Stage.SELF).first()
    if sa is None or not (sa.narrative.strip() or sa.ratings.exists()):
        raise ApplicationError("The self-assessment is empty: rate your practice or write a narrative first.")
    Assessment.objects.filter(pk=sa.pk).update(submitted_at=timezone.now())
    done = _move(
        actor, current, "self_assessment_submitted", Step.GOALS_PLAN, expected_version=expected_version
    )
    _audit(done, SELF_ASSESSMENT_SUBMITTED, actor)
    _notify(done.evaluator, f"{done.educator.display_name} submitted a self-assessment", done)
    return done


# --- step 2: goals and the plan -------------------------------------------------------------------------
GOAL_STEPS = (Step.SELF_ASSESSMENT, Step.GOALS_PLAN)


def _goal_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - {*Goal.TEXT_FIELDS, "kind"}
    if unknown:
        raise ApplicationError(f"These fields are not part of a goal: {', '.join(sorted(unknown))}.")
    return {name: (value.strip() if isinstance(value, str) else value) for name, value in fields.items()}


@transaction.atomic
def goal_save(
    *, actor: Any, cycle: Cycle, goal: Goal | None = None, expected_version: int = 0, **fields: Any
) -> Goal:
    """Create (no `goal`) or edit a draft or returned goal of the educator's own cycle. Editing a team
    goal changes its text for every member whose goal is not yet approved."""
    current = _lock(cycle)
    _require_educator(actor, current, "write goals")
    _require_step(current, GOAL_STEPS, "Writing goals")
    changes = _goal_fields(fields)
    if "kind" in changes and changes["kind"] not in Goal.Kind.values:
        raise ApplicationError(f"{changes['kind']!r} is not a kind of goal.")
    if goal is None:
        new = Goal(cycle=current, version=0, order=current.goals.count() + 1, **changes)
        new.mark_edited(actor)
        new.full_clean()
        new.save()
        return new
    if goal.cycle_id != current.pk:
        raise ApplicationError("That goal belongs to another evaluation.")
    locked = editing.lock(goal)
    if locked.status not in (Goal.Status.DRAFT, Goal.Status.RETURNED):
        raise ApplicationError(
            f"This goal is {locked.get_status_display().lower()}: "
            + (
                "it can no longer change."
                if locked.status == Goal.Status.APPROVED
                else "wait for the evaluator."
            )
        )
    saved = editing.save_versioned(
        obj=locked, expected_version=expected_version, changes=changes, actor=actor
    )
    if saved.team_id:
        text = {k: v for k, v in changes.items() if k in Goal.TEXT_FIELDS}
        if text:
            Goal.objects.filter(team_id=saved.team_id).exclude(pk=saved.pk).exclude(
                status=Goal.Status.APPROVED
            ).update(**text)
    return saved


@transaction.atomic
def team_goal_create(*, actor: Any, cycle: Cycle, kind: str, title: str, **fields: Any) -> Goal:
    """A goal the educator shares with colleagues: their own goal, which others join (`team_goal_join`)."""
    goal = goal_save(actor=actor, cycle=cycle, kind=kind, title=title, **fields)
    team = TeamGoal(organization=goal.cycle.organization, title=title.strip(), created_by=actor)
    team.full_clean()
    team.save()
    Goal.objects.filter(pk=goal.pk).update(team=team)
    goal.refresh_from_db()
    return goal


@transaction.atomic
def team_goal_join(*, actor: Any, cycle: Cycle, team: TeamGoal) -> Goal:
    """The educator adds a colleague's team goal (same district) to their own cycle, as a draft."""
    current = _lock(cycle)
    _require_educator(actor, current, "join a team goal")
    _require_step(current, GOAL_STEPS, "Joining a team goal")
    if not current.organization.path.startswith(_district(team.organization).path):
        raise ApplicationError("That team goal belongs to another district.")
    source = Goal.objects.filter(team=team).order_by("pk").first()
    if source is None:
        raise ApplicationError("That team goal has no text yet.")
    if Goal.objects.filter(cycle=current, team=team).exists():
        raise ApplicationError("This evaluation already shares that team goal.")
    goal = Goal(
        cycle=current,
        team=team,
        kind=source.kind,
        version=0,
        order=current.goals.count() + 1,
        **{name: getattr(source, name) for name in Goal.TEXT_FIELDS},
    )
    goal.mark_edited(actor)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_delete(*, actor: Any, goal: Goal) -> None:
    """Remove a goal never approved (draft or returned)."""
    current = _lock(goal.cycle)
    _require_educator(actor, current, "remove goals")
    _require_step(current, GOAL_STEPS, "Removing goals")
    if goal.status not in (Goal.Status.DRAFT, Goal.Status.RETURNED):
        raise ApplicationError("Only a draft or returned goal can be removed.")
    Goal.objects.filter(pk=goal.pk).delete()  # its events go with it


@transaction.atomic
def goals_propose(*, actor: Any, cycle: Cycle) -> list[Goal]:
    """Send the draft and returned goals to the evaluator for approval."""
    current = _lock(cycle)
    _require_educator(actor, current, "propose goals")
    _require_step(current, GOAL_STEPS, "Proposing goals")
    goals = list(current.goals.filter(status__in=[Goal.Status.DRAFT, Goal.Status.RETURNED]))
    if not goals:
        raise ApplicationError("There is no draft or returned goal to propose.")
    for goal in goals:
        if not goal.title.strip():
            raise ApplicationError("Every goal needs a title.")
    done = [
        editing.transition(
            obj=g,
            action="proposed",
            to=Goal.Status.PROPOSED,
            allowed_from=[Goal.Status.DRAFT, Goal.Status.RETURNED],
            actor=actor,
            event_model=GoalEvent,
        )
        for g in goals
    ]
    _audit(current, GOALS_PROPOSED, actor, goals=[g.pk for g in done])
    _notify(current.evaluator, f"{current.educator.display_name} proposed goals for approval", current)
    return done


def _decide_goal(
    actor: Any, goal: Goal, *, to: str, action: str, comment: str, expected_version: int | None
) -> Goal:
    current = _lock(goal.cycle)
    _require_evaluator(actor, current, "approve or return goals")
    _require_step(current, GOAL_STEPS, "Deciding on goals")
    locked = editing.lock(goal)
    if locked.status != Goal.Status.PROPOSED:
        raise ApplicationError(
            f"This goal is {locked.get_status_display().lower()}: only a proposed goal is approved or returned."
        )
    return editing.transition(
        obj=locked,
        action=action,
        to=to,
        allowed_from=[Goal.Status.PROPOSED],
        actor=actor,
        event_model=GoalEvent,
        expected_version=expected_version,
        note=comment.strip(),
        changes={"evaluator_comment": comment.strip()},
    )


@transaction.atomic
def goal_approve(*, actor: Any, goal: Goal, comment: str = "", expected_version: int | None = None) -> Goal:
    done = _decide_goal(
        actor,
        goal,
        to=Goal.Status.APPROVED,
        action="approved",
        comment=comment,
        expected_version=expected_version,
    )
    _audit(done.cycle, GOAL_APPROVED, actor, goal=done.pk)
    return done


@transaction.atomic
def goal_return(*, actor: Any, goal: Goal, comment: str, expected_version: int | None = None) -> Goal:
    if not comment.strip():
        raise ApplicationError("Say what to change when returning a goal.")
    done = _decide_goal(
        actor,
        goal,
        to=Goal.Status.RETURNED,
        action="returned",
        comment=comment,
        expected_version=expected_version,
    )
    _audit(done.cycle, GOAL_RETURNED, actor, goal=done.pk)
    _notify(done.cycle.educator, "A goal was returned with comments", done.cycle, body=comment.strip())
    return done


@transaction.atomic
def cycle_decide_plan(
    *,
    actor: Any,
    cycle: Cycle,
    plan_type: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Cycle:
    """The evaluator decides the plan's type and dates (the rules suggest one: `cycle_suggested_plan`).
    The length must fit the type (Improvement Plan: 30 days to a year; Self-Directed: up to two years)."""
    current = _lock(cycle)
    _require_evaluator(actor, current, "decide the educator plan")
    _require_step(current, GOAL_STEPS, "Deciding the plan")
    if plan_type not in PlanType.values:
        raise ApplicationError(f"{plan_type!r} is not a plan type.")
    start = starts_on or timezone.localdate()
    end = ends_on or (start + dt.timedelta(days=rules.PLAN_LENGTHS[plan_type].default_days))
    problem = rules.check_plan_length(plan_type, start, end)
    if problem:
        raise ApplicationError(problem)
    if expected_version is not None and current.version != expected_version:
        raise editing.conflict_with(
            current,
            saved={"plan_type": current.plan_type, "plan_ends_on": current.plan_ends_on},
            submitted={"plan_type": plan_type, "plan_ends_on": end},
        )
    suggestion = cycle_suggested_plan(current)
    current.plan_type = plan_type
    current.plan_starts_on = start
    current.plan_ends_on = end
    current.plan_decided_at = timezone.now()
    current.mark_edited(actor)
    current.full_clean()
    current.save()
    _audit(
        current,
        PLAN_DECIDED,
        actor,
        plan_type=plan_type,
        starts_on=start.isoformat(),
        ends_on=end.isoformat(),
        suggested=suggestion.plan_type,
    )
    return current


@transaction.atomic
def cycle_approve_plan(*, actor: Any, cycle: Cycle, expected_version: int | None = None) -> Cycle:
    """The evaluator approves the plan: the self-assessment is in, the plan is decided, every goal is
    decided and approved goals include a student learning and a professional practice goal
    (administrators: and two to four school improvement goals). The cycle moves to step 3."""
    current = _lock(cycle)
    _require_evaluator(actor, current, "approve the plan")
    _require_step(current, [Step.GOALS_PLAN], "Approving the plan")
    if not current.plan_type:
        raise ApplicationError("Decide the plan's type and length before approving it.")
    goals = list(current.goals.all())
    waiting = [
        g for g in goals if g.status in (Goal.Status.PROPOSED, Goal.Status.DRAFT, Goal.Status.RETURNED)
    ]
    if waiting:
        raise ApplicationError(
            f"{len(waiting)} goal{'s are' if len(waiting) != 1 else ' is'} not approved yet: "
            "approve or return every goal, and remove the ones not kept, before approving the plan."
        )
    problems = rules.goal_mix_problems(
        [g for g in goals if g.status == Goal.Status.APPROVED], administrator=is_administrator_cycle(current)
    )
    if problems:
        raise ApplicationError("The plan needs " + "; ".join(problems) + ".")
    done = _move(
        actor,
        current,
        "plan_approved",
        Step.IMPLEMENTATION,
        expected_version=expected_version,
        changes={"plan_approved_at": timezone.now()},
    )
    _audit(done, PLAN_APPROVED, actor, plan_type=done.plan_type)
    _notify(done.educator, "Your educator plan is approved", done)
    return done


# --- step 3: evidence ---------------------------------------------------------------------------------
EVIDENCE_STEPS = (Step.SELF_ASSESSMENT, Step.GOALS_PLAN, Step.IMPLEMENTATION, Step.FORMATIVE, Step.SUMMATIVE)


def _require_party(actor: Any, cycle: Cycle, what: str) -> None:
    if _person_id(actor) is None or _person_id(actor) not in (cycle.educator_id, cycle.evaluator_id):
        raise ApplicationError(f"Only the educator and their evaluator can {what}.")


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    cycle: Cycle,
    kind: str,
    title: str,
    category: int,
    indicators: Iterable[Indicator] = (),
    url: str = "",
    text: str = "",
    file: File | None = None,
    staff_feedback: bool = False,
) -> Evidence:
    """Add a file (stored through `edlead.files`: type checked from its content, size limited), a link
    or a note as evidence, by the educator or the evaluator, tagged to indicators of the cycle's rubric.
    Refused once the summative evaluation is signed by the evaluator."""
    current = _lock(cycle)
    _require_party(actor, current, "add evidence")
    _require_step(current, EVIDENCE_STEPS, "Adding evidence")
    if (
        current.step == Step.SUMMATIVE
        and Assessment.objects.filter(
            cycle=current, stage=Stage.SUMMATIVE, evaluator_signed_at__isnull=False
        ).exists()
    ):
        raise ApplicationError("The summative evaluation is signed: no more evidence can be added.")
    if kind not in Evidence.Kind.values:
        raise ApplicationError(f"{kind!r} is not a kind of evidence.")
    if kind == Evidence.Kind.FILE and file is None:
        raise ApplicationError("Choose the file to add.")
    if kind != Evidence.Kind.FILE and file is not None:
        raise ApplicationError("Only file evidence takes a file.")
    if kind == Evidence.Kind.NOTE and not text.strip():
        raise ApplicationError("Write the note.")
    tagged = list(indicators)
    if any(i.standard.framework_id != current.framework_id for i in tagged):
        raise ApplicationError("Tag indicators of this evaluation's rubric only.")
    ev = Evidence(
        cycle=current,
        added_by=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        category=category,
        staff_feedback=staff_feedback,
        title=title.strip() or (file.name if file is not None else "") or "",
        url=url.strip(),
        text=text.strip(),
    )
    ev.full_clean()
    ev.save()
    ev.indicators.set(tagged)
    if file is not None:
        from edlead.files.services import attachment_add

        attachment_add(owner=ev, file=file, actor=actor, view_action=EVIDENCE_VIEW, restricted=True)
    _audit(current, EVIDENCE_ADDED, actor, evidence=ev.pk, kind=kind, category=category)
    return ev


@transaction.atomic
def evidence_remove(*, actor: Any, evidence: Evidence) -> None:
    """Whoever added a piece of evidence removes it, until the evaluator signs the summative."""
    current = _lock(evidence.cycle)
    _require_step(current, EVIDENCE_STEPS, "Removing evidence")
    if evidence.added_by_id is None or evidence.added_by_id != getattr(actor, "pk", None):
        raise ApplicationError("Only whoever added this evidence can remove it.")
    if Assessment.objects.filter(
        cycle=current, stage=Stage.SUMMATIVE, evaluator_signed_at__isnull=False
    ).exists():
        raise ApplicationError("The summative evaluation is signed: its evidence stays.")
    from edlead.files.models import Attachment
    from edlead.files.services import attachment_remove

    for attachment in Attachment.objects.for_owner(evidence):
        attachment_remove(attachment=attachment, actor=actor)
    _audit(current, EVIDENCE_REMOVED, actor, evidence=evidence.pk, title=evidence.title)
    evidence.delete()


# --- step 4: formative assessment ---------------------------------------------------------------------
def _reviews(
    cycle: Cycle, values: Mapping[int, Mapping[str, str]], *, field: str, choices: Iterable[str], what: str
) -> list[GoalReview]:
    """Goal reviews from goal id → {field: value, "text": …}; only approved goals of the cycle."""
    goals = {g.pk: g for g in cycle.goals.filter(status=Goal.Status.APPROVED)}
    allowed = set(choices)
    rows = []
    for goal_id, value in values.items():
        if goal_id not in goals:
            raise ApplicationError(f"{what}: goal {goal_id} is not an approved goal of this evaluation.")
        level = value.get(field, "")
        if level and level not in allowed:
            raise ApplicationError(f"{what}: {level!r} is not on the scale for “{goals[goal_id].title}”.")
        rows.append(GoalReview(goal=goals[goal_id], text=(value.get("text") or "").strip(), **{field: level}))
    return rows


@transaction.atomic
def formative_save(
    *,
    actor: Any,
    cycle: Cycle,
    expected_version: int,
    narrative: str | None = None,
    ratings: RatingInput | None = None,
    progress: Mapping[int, Mapping[str, str]] | None = None,
    is_formative_evaluation: bool | None = None,
) -> Assessment:
    """The evaluator's formative assessment: progress per goal (goal id → {"progress", "text"}), ratings
    per standard for a formative evaluation, narrative. The first save moves the cycle to step 4."""
    current = _lock(cycle)
    _require_evaluator(actor, current, "write the formative assessment")
    _require_step(current, [Step.IMPLEMENTATION, Step.FORMATIVE], "The formative assessment")
    rows = (
        _resolve_ratings(current, ratings, indicators_allowed=False, what="Formative evaluation")
        if ratings is not None
        else None
    )
    reviews = (
        _reviews(current, progress, field="progress", choices=Progress.values, what="Goal progress")
        if progress is not None
        else None
    )
    fields: dict[str, Any] = {}
    if narrative is not None:
        fields["narrative"] = narrative.strip()
    if is_formative_evaluation is not None:
        fields["is_formative_evaluation"] = is_formative_evaluation
    assessment = _write(actor, _assessment(current, Stage.FORMATIVE), expected_version, fields, rows, reviews)
    if current.step == Step.IMPLEMENTATION:
        _move(actor, current, "formative_started", Step.FORMATIVE)
    return assessment


@transaction.atomic
def formative_submit(*, actor: Any, cycle: Cycle, expected_version: int | None = None) -> Cycle:
    """Share the formative assessment with the educator: the cycle moves to step 5 (summative)."""
    current = _lock(cycle)
    _require_evaluator(actor, current, "share the formative assessment")
    _require_step(current, [Step.FORMATIVE], "Sharing the formative assessment")
    fa = Assessment.objects.filter(cycle=current, stage=Stage.FORMATIVE).first()
    if fa is None or not (fa.narrative.strip() or fa.goal_reviews.exists()):
        raise ApplicationError(
            "Write the progress on goals or a narrative before sharing the formative assessment."
        )
    if fa.is_formative_evaluation:
        rated = set(fa.ratings.values_list("standard_id", flat=True))
        missing = Standard.objects.filter(framework_id=current.framework_id).exclude(pk__in=rated)
        if missing.exists():
            codes = ", ".join(s.code for s in missing)
            raise ApplicationError(f"A formative evaluation rates every standard: rate Standard {codes}.")
    Assessment.objects.filter(pk=fa.pk).update(submitted_at=timezone.now())
    done = _move(actor, current, "formative_submitted", Step.SUMMATIVE, expected_version=expected_version)
    _audit(done, FORMATIVE_SUBMITTED, actor)
    _notify(done.educator, "Your formative assessment is ready to read", done)
    return done


# --- step 5: summative evaluation --------------------------------------------------------------------
def _standard_ratings(cycle: Cycle, rows: Iterable[Rating]) -> list[rules.StandardRating]:
    by_standard = {r.standard_id: r.level for r in rows if r.standard_id}
    return [
        rules.StandardRating(s.code, s.name, s.required_for_proficient, by_standard.get(s.pk, ""))
        for s in Standard.objects.filter(framework_id=cycle.framework_id).order_by("order", "pk")
    ]


def _min_proficient(cycle: Cycle) -> int:
    return int(config.setting(cycle.organization, "evaluation.min_standards_proficient_for_proficient") or 0)


@transaction.atomic
def summative_save(
    *,
    actor: Any,
    cycle: Cycle,
    expected_version: int,
    narrative: str | None = None,
    overall: str | None = None,
    ratings: RatingInput | None = None,
    attainment: Mapping[int, Mapping[str, str]] | None = None,
) -> Assessment:
    """The evaluator's summative draft: a rating per standard, the overall rating, goal attainment
    (goal id → {"attainment", "text"}) and narrative. An overall Proficient or Exemplary that the
    standard ratings do not allow is refused at once, with the rule in words."""
    current = _lock(cycle)
    _require_evaluator(actor, current, "write the summative evaluation")
    _require_step(current, [Step.SUMMATIVE], "The summative evaluation")
    assessment = _assessment(current, Stage.SUMMATIVE)
    if assessment.evaluator_signed_at is not None:
        raise ApplicationError(
            "You have signed this summative evaluation: it waits for the educator's signature."
        )
    scale = config.setting(current.organization, "evaluation.rating_scale")
    if overall:
        problem = rules.check_level(overall, scale, "Overall rating")
        if problem:
            raise ApplicationError(problem)
    rows = (
        _resolve_ratings(current, ratings, indicators_allowed=False, what="Summative evaluation")
        if ratings is not None
        else None
    )
    reviews = (
        _reviews(current, attainment, field="attainment", choices=Attainment.values, what="Goal attainment")
        if attainment is not None
        else None
    )
    the_overall = overall if overall is not None else assessment.overall
    standard_rows = rows if rows is not None else list(assessment.ratings.all())
    problems = rules.rating_problems(
        the_overall, _standard_ratings(current, standard_rows), min_proficient=_min_proficient(current)
    )
    # A standard not rated yet is no refusal while drafting; a rating that breaks the rule is.
    problems = [p for p in problems if "rated first" not in p]
    if problems:
        raise ApplicationError(" ".join(problems))
    fields: dict[str, Any] = {}
    if narrative is not None:
        fields["narrative"] = narrative.strip()
    if overall is not None:
        fields["overall"] = overall
    return _write(actor, assessment, expected_version, fields, rows, reviews)


def summative_problems(cycle: Cycle, assessment: Assessment | None = None) -> list[str]:
    """Everything that stops the evaluator signing (empty when it may be signed)."""
    sa = assessment or Assessment.objects.filter(cycle=cycle, stage=Stage.SUMMATIVE).first()
    if sa is None:
        return ["The summative evaluation is not written yet."]
    problems: list[str] = []
    standards = _standard_ratings(cycle, sa.ratings.all())
    unrated = [s.code for s in standards if not s.level]
    if unrated:
        problems.append(f"Rate every standard (Standard {', '.join(unrated)} not rated).")
    if not sa.overall:
        problems.append("Give the overall rating.")
    problems += [
        p
        for p in rules.rating_problems(sa.overall, standards, min_proficient=_min_proficient(cycle))
        if "rated first" not in p
    ]
    approved = set(cycle.goals.filter(status=Goal.Status.APPROVED).values_list("pk", flat=True))
    assessed = set(
        sa.goal_reviews.exclude(attainment="").filter(goal_id__in=approved).values_list("goal_id", flat=True)
    )
    if approved - assessed:
        problems.append(f"Rate the attainment of every goal ({len(approved - assessed)} not rated).")
    categories, staff_feedback = evidence_categories(cycle)
    problems += rules.categories_problems(
        categories, administrator=is_administrator_cycle(cycle), staff_feedback=staff_feedback
    )
    return problems


@transaction.atomic
def summative_sign_evaluator(*, actor: Any, cycle: Cycle, expected_version: int | None = None) -> Assessment:
    """The evaluator signs: every rule must hold (all standards and goals rated, the thresholds, evidence
    from two categories, staff feedback for administrators); the next plan is computed by the rules
    from this rating. The educator is asked to sign."""
    current = _lock(cycle)
    _require_evaluator(actor, current, "sign the summative evaluation as evaluator")
    _require_step(current, [Step.SUMMATIVE], "Signing the summative evaluation")
    sa = Assessment.objects.filter(cycle=current, stage=Stage.SUMMATIVE).first()
    if sa is not None:
        sa = editing.lock(sa)
    if sa is not None and sa.evaluator_signed_at is not None:
        raise ApplicationError("You have already signed this summative evaluation.")
    problems = summative_problems(current, sa)
    if problems or sa is None:
        raise ApplicationError("The summative evaluation cannot be signed yet: " + " ".join(problems))
    if expected_version is not None and sa.version != expected_version:
        raise editing.conflict_with(sa, saved={"overall": sa.overall}, submitted={"overall": sa.overall})
    sa.evaluator_signed_at = timezone.now()
    _set_next_plan(sa, current.educator, sa.overall)
    sa.mark_edited(actor)
    sa.full_clean()
    sa.save()
    _event(current, actor, "signed_by_evaluator")
    _audit(current, SUMMATIVE_SIGNED_EVALUATOR, actor, overall=sa.overall, next_plan=sa.next_plan_type)
    _notify(
        current.educator,
        "Your summative evaluation is ready for your signature",
        current,
        body="Signing acknowledges that you received it, not that you agree; you may add a written response.",
        once_key=f"eval-sign:{current.pk}:{current.reopen_count}",
    )
    return sa


@transaction.atomic
def summative_sign_educator(
    *, actor: Any, cycle: Cycle, response: str = "", expected_version: int | None = None
) -> Cycle:
    """The educator signs to acknowledge receipt (not agreement), with an optional written response.
    The cycle is then complete and locked."""
    current = _lock(cycle)
    _require_educator(actor, current, "sign the summative evaluation as educator")
    _require_step(current, [Step.SUMMATIVE], "Signing the summative evaluation")
    sa = Assessment.objects.filter(cycle=current, stage=Stage.SUMMATIVE).first()
    if sa is None or sa.evaluator_signed_at is None:
        raise ApplicationError("The evaluator signs the summative evaluation first.")
    sa = editing.lock(sa)
    now = timezone.now()
    sa.educator_signed_at = now
    sa.educator_response = response.strip()
    sa.mark_edited(actor)
    sa.full_clean()
    sa.save()
    done = _move(
        actor,
        current,
        "signed_by_educator",
        Step.DONE,
        expected_version=expected_version,
        changes={"locked_at": now},
    )
    _audit(done, SUMMATIVE_SIGNED_EDUCATOR, actor, response=bool(sa.educator_response))
    _notify(done.evaluator, f"{done.educator.display_name} signed the summative evaluation", done)
    return done


def summative_snapshot(cycle: Cycle) -> dict[str, Any]:
    """The summative evaluation as it stands: ratings, goal attainment, signatures and response."""
    sa = Assessment.objects.filter(cycle=cycle, stage=Stage.SUMMATIVE).first()
    if sa is None:
        return {}
    return {
        "overall": sa.overall,
        "narrative": sa.narrative,
        "ratings": {code: level for code, (level, _n) in _rating_map(sa).items()},
        "rating_narratives": {code: n for code, (_l, n) in _rating_map(sa).items() if n},
        "attainment": {
            str(r.goal_id): {"goal": r.goal.title, "attainment": r.attainment, "text": r.text}
            for r in sa.goal_reviews.select_related("goal")
        },
        "evaluator_signed_at": sa.evaluator_signed_at.isoformat() if sa.evaluator_signed_at else None,
        "educator_signed_at": sa.educator_signed_at.isoformat() if sa.educator_signed_at else None,
        "educator_response": sa.educator_response,
        "next_plan_type": sa.next_plan_type,
        "version": sa.version,
    }


@transaction.atomic
def cycle_reopen(*, actor: Any, cycle: Cycle, reason: str) -> Cycle:
    """Reopen a signed summative evaluation for a correction (HR or the district administrator, with a
    reason): the signed version is kept (`CycleReopening.snapshot`), both signatures are cleared and
    the cycle returns to step 5 for the evaluator to correct and both to sign again."""
    current = _lock(cycle)
    _require_manager(actor, current, "reopen a signed evaluation")
    if actor is None:
        raise ApplicationError("A reopening needs a person who answers for it.")
    if not reason.strip():
        raise ApplicationError("Give the reason for reopening the evaluation.")
    sa = Assessment.objects.filter(cycle=current, stage=Stage.SUMMATIVE).first()
    if sa is None or sa.evaluator_signed_at is None:
        raise ApplicationError("Only a signed summative evaluation is reopened; this one is not signed.")
    snapshot = summative_snapshot(current)
    CycleReopening.objects.create(cycle=current, actor=actor, reason=reason.strip(), snapshot=snapshot)
    sa = editing.lock(sa)
    sa.evaluator_signed_at = None
    sa.educator_signed_at = None
    sa.mark_edited(actor)
    sa.save()
    done = _move(
        actor,
        current,
        "reopened",
        Step.SUMMATIVE,
        note=reason.strip(),
        changes={"locked_at": None, "reopen_count": current.reopen_count + 1},
    )
    _audit(done, CYCLE_REOPENED, actor, reason=reason.strip(), signed_version=snapshot.get("version"))
    _notify(done.evaluator, f"The evaluation of {done.educator.display_name} was reopened", done, body=reason)
    _notify(done.educator, "Your summative evaluation was reopened for a correction", done, body=reason)
    return done


def correction_problems(
    cycle: Cycle, *, overall: str, ratings: Mapping[str, str], plan_type: str = ""
) -> list[str]:
    """Why corrected final ratings cannot stand (empty when they can): levels on the district's scale,
    every standard rated, and the summative evaluation's rules (Standard I, the district's threshold).
    Writes nothing: an import checks every row with it before applying any."""
    scale = config.setting(cycle.organization, "evaluation.rating_scale")
    problem = rules.check_level(overall, scale, "Overall rating")
    if problem:
        return [problem]
    try:
        rows = _resolve_ratings(cycle, ratings, indicators_allowed=False, what="Correction")
    except ApplicationError as exc:
        return [exc.message]
    standards = _standard_ratings(cycle, rows)
    unrated = [st.code for st in standards if not st.level]
    if unrated:
        return [f"A final evaluation rates every standard (Standard {', '.join(unrated)} not rated)."]
    problems = rules.rating_problems(overall, standards, min_proficient=_min_proficient(cycle))
    if plan_type and plan_type not in PlanType.values:
        problems.append(f"{plan_type!r} is not a plan type.")
    return problems


def _set_next_plan(sa: Assessment, educator: Any, overall: str) -> None:
    """The next plan a summative rating suggests (DOMAIN.md §3), stored on the summative assessment."""
    here = current_position(educator)
    role = here.role if here is not None else Position.Role.TEACHER
    suggestion = rules.suggest_plan(
        educator=educator,
        prior_rating=overall,
        years_in_role=years_in_role(educator=educator, role=role),
    )
    sa.next_plan_type = suggestion.plan_type
    sa.next_plan_note = f"Suggested: {suggestion.label}, {suggestion.length.words} ({suggestion.reason})"[
        :255
    ]


@transaction.atomic
def summative_correct_from_record(
    *,
    actor: Any,
    cycle: Cycle,
    reason: str,
    overall: str,
    ratings: Mapping[str, str],
    plan_type: str = "",
) -> Cycle:
    """A correction of a signed, final evaluation from the district's record (the final ratings file):
    reopened through `cycle_reopen` with the reason (HR or the district administrator; the signed version
    kept in its `CycleReopening`), then the corrected overall and standard ratings (and plan type) stored
    and the cycle locked again as final, with the signature dates it had, so the record and the re-export
    show the correction. The ratings must pass the same rules as a summative evaluation; the timeline
    says "corrected", and the audit event names the ratings before and after."""
    signatures = (
        Assessment.objects.filter(cycle=cycle, stage=Stage.SUMMATIVE)
        .values_list("evaluator_signed_at", "educator_signed_at")
        .first()
    )
    if cycle.step != Step.DONE or signatures is None or None in signatures:
        raise ApplicationError("Only a final evaluation (both signatures given) is corrected from a record.")
    problems = correction_problems(cycle, overall=overall, ratings=ratings, plan_type=plan_type)
    if problems:
        raise ApplicationError(" ".join(problems))
    rows = _resolve_ratings(cycle, ratings, indicators_allowed=False, what="Correction")
    current = _lock(cycle_reopen(actor=actor, cycle=cycle, reason=reason))
    before = CycleReopening.objects.filter(cycle=current).latest("pk").snapshot
    sa = editing.lock(Assessment.objects.get(cycle=current, stage=Stage.SUMMATIVE))
    narratives = {code: n for code, (_level, n) in _rating_map(sa).items()}
    if overall != sa.overall:
        _set_next_plan(sa, current.educator, overall)
    sa.overall = overall
    sa.evaluator_signed_at, sa.educator_signed_at = signatures
    sa.mark_edited(actor)
    sa.full_clean()
    sa.save()
    sa.ratings.all().delete()
    for r in rows:  # a standard's narrative stays with it
        r.assessment = sa
        r.narrative = narratives.get(r.standard.code, "") if r.standard is not None else ""
        r.full_clean(validate_constraints=False)
    Rating.objects.bulk_create(rows)
    changes: dict[str, Any] = {"locked_at": timezone.now()}
    if plan_type:
        changes["plan_type"] = plan_type
    done = _move(actor, current, "corrected", Step.DONE, note=reason.strip(), changes=changes)
    after = {
        "overall": overall,
        "ratings": {r.standard.code: r.level for r in rows if r.standard is not None},
    }
    _audit(
        done,
        SUMMATIVE_CORRECTED,
        actor,
        reason=reason.strip(),
        before={"overall": before.get("overall", ""), "ratings": before.get("ratings", {})},
        after=after,
        plan_type=done.plan_type,
    )
    body = f"{reason.strip()} The corrected ratings are on the evaluation."
    _notify(done.evaluator, f"The evaluation of {done.educator.display_name} was corrected", done, body=body)
    _notify(done.educator, "Your summative evaluation was corrected", done, body=body)
    return done
