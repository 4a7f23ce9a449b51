"""The network / district comparison table with off-track flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef

from edlead.access import policy
from edlead.metrics import rules
from edlead.metrics.models import Metric, StudentGroup
from edlead.metrics.selectors.common import (
    ALL,
    MISSING,
    Cell,
    Change,
    Kind,
    _facts,
    _in_office,
    _principal_positions,
    change,
    key_metric_candidates,
    make_cell,
    principal_changed,
    principals_by_year,
    year_label,
)
from edlead.orgs.models import Organization
from edlead.people.models import Position


# --- the comparison table ---------------------------------------------------------------------------
@dataclass
class CompareCell:
    metric: Metric
    now: Cell
    prior: Cell
    delta: Change


@dataclass
class CompareRow:
    school: Organization
    network: Organization | None
    principal: Position | None
    cells: list[CompareCell]
    flags: list[str]
    principal_changed: bool | None
    principal_retained: Cell | None

    @property
    def flag_labels(self) -> list[str]:
        return [rules.FLAG_LABELS[f] for f in self.flags]


@dataclass
class Comparison:
    org: Organization
    crumbs: list[Organization]
    metrics: list[Metric]
    chosen: list[Metric]
    years: list[int]
    year: int | None
    rows: list[CompareRow]
    all_rows: int
    networks: list[Organization]
    school_types: list[tuple[str, str]]
    filters: dict[str, Any]
    key: dict[str, Metric]
    flag_counts: dict[str, int]
    org_total: int = 0  # open schools of the organization, visible or not
    latest: int | None = None  # the latest year in which a chosen metric has a value: the default

    @property
    def is_subset(self) -> bool:
        """The user sees only some of the organization's schools (a supervisor's network, say)."""
        return self.all_rows < self.org_total

    @property
    def scope_label(self) -> str:
        """ "Your 13 schools in Riverton Public Schools" for a subset; "All 48 schools of …" otherwise."""
        n = self.all_rows
        noun = "school" if n == 1 else "schools"
        if self.is_subset:
            return f"Your {n:,} {noun} in {self.org.name}"
        return f"All {n:,} {noun} of {self.org.name}" if n != 1 else f"The one school of {self.org.name}"

    @property
    def year_label(self) -> str:
        return year_label(self.year) if self.year else ""

    @property
    def prior_label(self) -> str:
        return year_label(self.year - 1) if self.year else ""

    @property
    def year_choices(self) -> list[tuple[int, str]]:
        return [(y, year_label(y)) for y in reversed(self.years)]

    @property
    def metric_groups(self) -> list[tuple[str, list[Metric]]]:
        grouped: dict[str, list[Metric]] = {}
        for m in self.metrics:
            grouped.setdefault(m.category or "Other measures", []).append(m)
        return list(grouped.items())

    @property
    def column_count(self) -> int:
        return 2 * len(self.chosen) + 3


def comparison_org_get_for_user(user: Any, pk: int) -> Organization:
    return policy.get_for_user(
        user,
        Organization.objects.filter(kind__in=[Kind.DISTRICT, Kind.NETWORK]).select_related("district"),
        policy.ORG_DIRECTORY,
        pk=pk,
    )


def _visible_schools(user: Any, org: Organization) -> tuple[list[Organization], int]:
    """The open schools of `org` in the user's working scope, and how many open schools `org` has in all
    (one query: each school marked by whether it is in scope), so a subset is named as one. Where the
    user has no working scope in `org` (another network of their district, opened from its directory
    page), every school of it: the comparison is of public figures."""
    within = Organization.objects.schools().open().within(org)
    visible = policy.visible_to(user, within, policy.ORG_VIEW)
    every = list(
        within.select_related("parent")
        .annotate(visible=Exists(visible.filter(pk=OuterRef("pk"))))
        .order_by("name")
    )
    mine = [s for s in every if getattr(s, "visible", False)]
    return (mine or every), len(every)


def comparison(user: Any, pk: int, params: dict[str, Any]) -> Comparison:
    """One row per school of a district or network the user may see: chosen metrics in a year and the
    change from the prior year, with off-track flags (7 queries after the user's grants)."""
    org = comparison_org_get_for_user(user, pk)
    crumb_map = Organization.objects.in_bulk(org.ancestor_ids[:-1])  # 1 query
    crumbs = [crumb_map[i] for i in org.ancestor_ids[:-1] if i in crumb_map]
    schools, org_total = _visible_schools(user, org)  # 1 query
    metrics = list(Metric.objects.all())  # 1 query (the catalog: tens of rows)
    key = rules.key_metrics(metrics)
    by_code = {m.code: m for m in metrics}
    asked = [by_code[c] for c in params.get("metric", []) if c in by_code]
    chosen = asked or _default_metrics(metrics, key)
    flag_metrics = [key[r] for r in ("chronic_absence", "principal_retention") if r in key]
    flag_metrics += [m for m in chosen if rules.is_meeting_exceeding(m)]
    if not asked:
        flag_metrics += [key[r] for r in ("ela_me", "math_me") if r in key]
    wanted = {m.pk: m for m in [*chosen, *flag_metrics]}
    all_group = StudentGroup.objects.filter(code=ALL).first()  # 1 query
    facts = (
        _facts([s.pk for s in schools], metric_ids=list(wanted), group_ids=[all_group.pk])
        if all_group and wanted and schools
        else []
    )  # 1 query
    positions = _principal_positions([s.pk for s in schools])  # 1 query

    index = {(o, y, m): (v, n) for o, y, m, _g, v, n in facts}
    years = sorted({y for _o, y, _m, _g, _v, _n in facts})
    # The page opens on the latest year in which a chosen metric has a value (a flag metric alone, or a
    # year of blanks, is not a year to compare).
    chosen_ids = {m.pk for m in chosen}
    valued = sorted({y for _o, y, m, _g, v, _n in facts if m in chosen_ids and v is not None})
    try:
        year: int | None = int(params.get("year") or 0) or None
    except (TypeError, ValueError):
        year = None
    latest = (valued or years)[-1] if years else None
    if year not in years:
        year = latest
    held = principals_by_year(positions, [year - 1, year]) if year else {}
    current: dict[int, Position] = {}
    today = dt.date.today()
    for pos in positions:
        if _in_office(pos, today):
            current.setdefault(pos.organization_id, pos)

    rows: list[CompareRow] = []
    for school in schools:
        cells: list[CompareCell] = []
        for metric in chosen:
            now = make_cell(metric, index.get((school.pk, year, metric.pk))) if year else MISSING
            prior = make_cell(metric, index.get((school.pk, year - 1, metric.pk))) if year else MISSING
            cells.append(CompareCell(metric, now, prior, change(metric, now, prior)))
        flags, changed, retained = _flags(school.pk, year, index, key, wanted.values(), held)
        network = school.parent if school.parent and school.parent.kind == Kind.NETWORK else None
        rows.append(CompareRow(school, network, current.get(school.pk), cells, flags, changed, retained))

    networks = sorted({r.network.pk: r.network for r in rows if r.network}.values(), key=lambda n: n.name)
    types = sorted({(s.school_type, s.type_label) for s in schools if s.school_type})
    flag_counts = {f: sum(1 for r in rows if f in r.flags) for f in rules.FLAG_LABELS}
    filters = {
        "network": str(params.get("network") or ""),
        "type": str(params.get("type") or ""),
        "flag": str(params.get("flag") or ""),
    }
    shown = rows
    if filters["network"]:
        shown = [r for r in shown if r.network and str(r.network.pk) == filters["network"]]
    if filters["type"]:
        shown = [r for r in shown if r.school.school_type == filters["type"]]
    if filters["flag"] == "any":
        shown = [r for r in shown if r.flags]
    elif filters["flag"] in rules.FLAG_LABELS:
        shown = [r for r in shown if filters["flag"] in r.flags]
    return Comparison(
        org,
        crumbs,
        metrics,
        chosen,
        years,
        year,
        shown,
        len(rows),
        networks,
        types,
        filters,
        key,
        flag_counts,
        org_total,
        latest,
    )


FlagIndex = dict[tuple[int, int, int], Any]


def _flags(
    school_id: int,
    year: int | None,
    index: FlagIndex,
    key: dict[str, Metric],
    wanted: Any,
    held: Any,
) -> tuple[list[str], bool | None, Cell | None]:
    """The off-track flags of one school in `year` (chronic absence up, a meeting/exceeding share down,
    principal turnover), whether its principal changed, and its published principal % retained."""
    if not year:
        return [], None, None
    flags: list[str] = []
    retained: Cell | None = None

    def delta(metric: Metric) -> Any:
        return change(
            metric,
            make_cell(metric, index.get((school_id, year, metric.pk))),
            make_cell(metric, index.get((school_id, year - 1, metric.pk))),
        ).value

    absence = key.get("chronic_absence")
    if absence is not None:
        d = delta(absence)
        if d is not None and d >= rules.CHRONIC_ABSENCE_RISE:
            flags.append("absence")
    for metric in wanted:
        if rules.is_meeting_exceeding(metric):
            d = delta(metric)
            if d is not None and -d >= rules.MEETING_EXCEEDING_DROP:
                flags.append("achievement")
                break
    changed = principal_changed(held, school_id, year)
    retention = key.get("principal_retention")
    if retention is not None:
        retained = make_cell(retention, index.get((school_id, year, retention.pk)))
    if changed or (
        retained is not None
        and retained.value is not None
        and retained.value < rules.PRINCIPAL_RETAINED_BELOW
    ):
        flags.append("turnover")
    return flags, changed, retained


@dataclass(frozen=True)
class SchoolFlags:
    year: int | None
    flags: dict[int, list[str]]  # school id → flag codes

    def labels(self, school_id: int) -> list[str]:
        return [rules.FLAG_LABELS[f] for f in self.flags.get(school_id, [])]

    @property
    def year_label(self) -> str:
        return year_label(self.year) if self.year else ""


def school_flags(schools: list[Organization]) -> SchoolFlags:
    """The comparison page's off-track flags for `schools`, in the latest year with key figures (four
    queries whatever the number of schools): for the supervisor's home, beside each principal."""
    key = rules.key_metrics(key_metric_candidates())
    wanted = {m.pk: m for m in key.values()}  # the same flag metrics as the page's defaults
    all_group = StudentGroup.objects.filter(code=ALL).first()
    ids = [s.pk for s in schools]
    if not (all_group and wanted and ids):
        return SchoolFlags(None, {})
    facts = _facts(ids, metric_ids=list(wanted), group_ids=[all_group.pk])
    valued = sorted({y for _o, y, _m, _g, v, _n in facts if v is not None})
    if not valued:
        return SchoolFlags(None, {})
    year = valued[-1]
    index = {(o, y, m): (v, n) for o, y, m, _g, v, n in facts}
    held = principals_by_year(_principal_positions(ids), [year - 1, year])
    return SchoolFlags(year, {pk: _flags(pk, year, index, key, wanted.values(), held)[0] for pk in ids})


def _default_metrics(metrics: list[Metric], key: dict[str, Metric]) -> list[Metric]:
    chosen = [key[r] for r in ("chronic_absence", "ela_me", "math_me") if r in key]
    for metric in metrics:
        if len(chosen) >= 3:
            break
        if (
            metric not in chosen
            and metric.unit == Metric.Unit.PERCENT
            and metric.subject == Metric.Subject.STUDENTS
        ):
            chosen.append(metric)
    return chosen
