"""Renewal progress of a licence, computed from the issuing state's rules (DOMAIN.md §4 for
Massachusetts): PDPs earned in the licence's validity window against the total and the category
minimums, +the additional-licence requirement for each other renewable licence of the same state, an
activity counting only when its topic reaches the minimum per topic.

`progress_for(licences)` works for many licences at once in a fixed number of queries (the alert job,
the pages); nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from edlead.credentials import rules as rules_mod
from edlead.credentials.models import Licence, PdpActivity, PdpAllocation

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OVERDUE = "overdue"
COMPLETE = "complete"
STATUS_LABELS = {ON_TRACK: "On track", AT_RISK: "At risk", OVERDUE: "Overdue", COMPLETE: "Complete"}
# Short of PDPs this close to the due date is at risk whatever the pace.
AT_RISK_DAYS = 180
PACE_GRACE = Decimal("0.25")


@dataclass(frozen=True)
class Counted:
    """One activity as a licence's renewal sees it."""

    activity: PdpActivity | ActivityFacts
    pdps: Decimal
    by_category: dict[str, Decimal]
    counted: bool
    reason: str = ""


@dataclass(frozen=True)
class CategoryLine:
    code: str
    name: str
    required: Decimal
    earned: Decimal

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.earned, Decimal(0))


@dataclass
class Progress:
    """Where one licence's renewal stands."""

    licence: Licence
    renewable: bool
    note: str = ""  # why there is no PDP requirement, when there is none
    due: dt.date | None = None
    window_start: dt.date | None = None
    required: Decimal = Decimal(0)
    earned: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)  # counted but not yet approved
    additional_licences: int = 0
    categories: list[CategoryLine] = field(default_factory=list)
    activities: list[Counted] = field(default_factory=list)
    status: str = ON_TRACK

    @property
    def missing(self) -> Decimal:
        """PDPs still to earn: the rest of the total, or the category shortfalls when they are more."""
        by_category = sum((c.missing for c in self.categories), Decimal(0))
        return max(self.required - self.earned, by_category, Decimal(0))

    @property
    def short(self) -> bool:
        return self.renewable and self.missing > 0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def missing_text(self) -> str:
        """ "45 PDPs: 15 SEI, …" for notices and pages."""
        if not self.short:
            return ""
        parts = [f"{_fmt(c.missing)} {c.name}" for c in self.categories if c.missing > 0]
        return f"{_fmt(self.missing)} PDPs" + (f" (at least {', '.join(parts)})" if parts else "")


# --- activities read as values, for the bulk readers ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Split:
    """One category's part of an activity, as `PdpAllocation` holds it."""

    category: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class _Splits:
    rows: list[Split]

    def all(self) -> list[Split]:  # what `activity.allocations.all()` gives a model instance
        return self.rows


@dataclass(frozen=True, slots=True)
class ActivityFacts:
    """What renewal progress reads of a PDP activity, read as values instead of a model instance: the
    compliance list and the nightly alerts load thousands (tens of thousands at state scale)."""

    pk: int
    person_id: int
    title: str
    topic: str
    starts_on: dt.date
    ends_on: dt.date
    amount: Decimal
    unit: str
    status: str
    allocations: _Splits

    topic_key = property(PdpActivity.topic_key.fget)  # type: ignore[attr-defined]

    def get_unit_display(self) -> str:
        return str(PdpActivity.Unit(self.unit).label)


FACT_FIELDS = ("pk", "person_id", "title", "topic", "starts_on", "ends_on", "amount", "unit", "status")
# Up to this many activities, their splits are read by the activities' own ids (PostgreSQL then uses the
# index; joined back by person it misjudged how few they are and scanned every split of the state).
SPLITS_BY_ID_MAX = 5000


def activity_facts(person_ids: Sequence[int]) -> dict[int, list[ActivityFacts]]:
    """The counting (not refused) activities of these people with their splits, by person, in the order
    renewal progress reads them: 2 queries."""
    rows = list(
        PdpActivity.objects.filter(person_id__in=list(person_ids))
        .exclude(status=PdpActivity.Status.REJECTED)
        .order_by("person_id", "ends_on", "pk")
        .values_list(*FACT_FIELDS)
    )
    splits: dict[int, list[Split]] = defaultdict(list)
    found: Any = PdpAllocation.objects.all()
    if len(rows) <= SPLITS_BY_ID_MAX:
        found = found.filter(activity_id__in=[r[0] for r in rows])
    else:
        found = found.filter(activity__person_id__in=list(person_ids)).exclude(
            activity__status=PdpActivity.Status.REJECTED
        )
    for aid, category, amount in found.values_list("activity_id", "category", "amount"):
        splits[aid].append(Split(category, amount))
    result: dict[int, list[ActivityFacts]] = defaultdict(list)
    for pk, pid, title, topic, starts_on, ends_on, amount, unit, status in rows:
        result[pid].append(
            ActivityFacts(
                pk, pid, title, topic, starts_on, ends_on, amount, unit, status, _Splits(splits.get(pk, []))
            )
        )
    return result


def _fmt(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return text


def _field_group(licence: Licence) -> str:
    return licence.field.group


def _status(p: Progress, today: dt.date) -> str:
    if not p.short:
        return COMPLETE if p.renewable else ON_TRACK
    if p.due is None:
        return ON_TRACK
    if p.due < today:
        return OVERDUE
    if (p.due - today).days <= AT_RISK_DAYS:
        return AT_RISK
    # Behind pace: less earned than the share of the window gone, less a quarter of grace (nobody is at
    # risk in their first year for having earned nothing yet).
    if p.window_start is not None and p.due > p.window_start:
        gone = Decimal((today - p.window_start).days) / Decimal((p.due - p.window_start).days)
        if p.earned < p.required * max(min(gone, Decimal(1)) - PACE_GRACE, Decimal(0)):
            return AT_RISK
    return ON_TRACK


def _renewable(licence: Licence, rulesets: dict[str, rules_mod.StateRuleSet]) -> rules_mod.Renewal | None:
    ruleset = rulesets.get(licence.issuing_state)
    if ruleset is None or licence.expires_on is None:
        return None
    return ruleset.renewal_for(licence.stage, licence.field.code, _field_group(licence))


def progress_for(
    licences: Iterable[Licence],
    *,
    today: dt.date | None = None,
    rulesets: dict[str, rules_mod.StateRuleSet] | None = None,
    activities: Any = None,  # person id → their activities (PdpActivity or ActivityFacts), else read here
    others: dict[int, list[Licence]] | None = None,
) -> dict[int, Progress]:
    """Progress of each licence (with `field` loaded). Three queries for any number of licences: the
    rules, the holders' current licences, their activities with allocations (each may be passed in)."""
    from edlead.credentials.services import all_rulesets

    day = today or dt.date.today()
    licences = list(licences)
    rulesets = rulesets if rulesets is not None else all_rulesets()
    person_ids = sorted({lic.person_id for lic in licences})
    if others is None:
        others = defaultdict(list)
        for lic in Licence.objects.current().filter(person_id__in=person_ids).select_related("field"):
            others[lic.person_id].append(lic)
    if activities is None:
        activities = defaultdict(list)
        rows = (
            PdpActivity.objects.filter(person_id__in=person_ids)
            .exclude(status=PdpActivity.Status.REJECTED)
            .prefetch_related("allocations")
            .order_by("person_id", "ends_on", "pk")
        )
        for a in rows:
            activities[a.person_id].append(a)
    result: dict[int, Progress] = {}
    for licence in licences:
        result[licence.pk] = _one(licence, day, rulesets, activities.get(licence.person_id, []), others)
    return result


def _one(
    licence: Licence,
    today: dt.date,
    rulesets: dict[str, rules_mod.StateRuleSet],
    activities: Sequence[PdpActivity | ActivityFacts],
    others: dict[int, list[Licence]],
) -> Progress:
    ruleset = rulesets.get(licence.issuing_state)
    renewal = _renewable(licence, rulesets)
    if ruleset is None or renewal is None:
        if ruleset is None:
            note = f"No renewal rules are loaded for {licence.issuing_state}."
        elif licence.expires_on is None:
            note = (
                f"Valid for {licence.valid_employment_years} years of employment; it is not renewed but "
                "advanced to the next stage."
            )
        else:
            note = f"A {licence.get_stage_display()} licence is not renewed with PDPs in {ruleset.name}."
        p = Progress(licence=licence, renewable=False, note=note, due=licence.expires_on)
        p.status = _status(p, today)
        return p
    # Other current licences of the same state renewed the same way: each adds the additional requirement.
    extra = [
        o
        for o in others.get(licence.person_id, [])
        if o.pk != licence.pk
        and o.issuing_state == licence.issuing_state
        and o.status == Licence.Status.ACTIVE
        and not o.is_expired(today)
        and _renewable(o, rulesets) is not None
    ]
    required = renewal.requirement.total + renewal.additional.total * len(extra)
    minimums: dict[str, Decimal] = defaultdict(Decimal)
    for code, n in renewal.requirement.category_minimums.items():
        minimums[code] += n
    for code, n in renewal.additional.category_minimums.items():
        minimums[code] += n * len(extra)
    assert licence.expires_on is not None
    start, end = licence.issued_on, licence.expires_on
    # Convert; activities outside the window or in a unit the state does not count are listed, not counted.
    candidates: list[tuple[PdpActivity | ActivityFacts, Decimal, dict[str, Decimal]]] = []
    counted: list[Counted] = []
    for a in activities:
        split = {al.category: al.amount for al in a.allocations.all()}
        pdps = ruleset.pdps(a.amount, a.unit)
        if pdps is None:
            counted.append(
                Counted(
                    a, Decimal(0), {}, False, f"{ruleset.name} rules do not convert {a.get_unit_display()}"
                )
            )
            continue
        by_cat = {code: ruleset.pdps(part, a.unit) or Decimal(0) for code, part in split.items()}
        if a.ends_on < start or a.ends_on > end or a.starts_on < start:
            counted.append(Counted(a, pdps, by_cat, False, "outside the licence's validity period"))
            continue
        candidates.append((a, pdps, by_cat))
    # The minimum per topic: activities on one topic count only when together they reach it.
    per_topic: dict[str, Decimal] = defaultdict(Decimal)
    for a, pdps, _ in candidates:
        per_topic[a.topic_key] += pdps
    earned_cat: dict[str, Decimal] = defaultdict(Decimal)
    earned = pending = Decimal(0)
    for a, pdps, by_cat in candidates:
        if per_topic[a.topic_key] < renewal.topic_minimum:
            counted.append(
                Counted(
                    a,
                    pdps,
                    by_cat,
                    False,
                    f"only {_fmt(per_topic[a.topic_key])} PDPs on this topic "
                    f"(at least {_fmt(renewal.topic_minimum)} needed)",
                )
            )
            continue
        counted.append(Counted(a, pdps, by_cat, True))
        earned += pdps
        if a.status != PdpActivity.Status.APPROVED:
            pending += pdps
        for code, n in by_cat.items():
            earned_cat[code] += n
    lines = [
        CategoryLine(
            code, ruleset.categories.get(code, code), minimums.get(code, Decimal(0)), earned_cat[code]
        )
        for code in ruleset.categories
    ]
    counted.sort(key=lambda c: (c.activity.ends_on, c.activity.pk))
    p = Progress(
        licence=licence,
        renewable=True,
        due=end,
        window_start=start,
        required=required,
        earned=earned,
        pending=pending,
        additional_licences=len(extra),
        categories=lines,
        activities=counted,
    )
    p.status = _status(p, today)
    return p
