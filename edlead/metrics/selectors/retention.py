"""Principal retention: turnover by district, network and year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from edlead.access import policy
from edlead.lib.schoolyears import SchoolYear
from edlead.metrics import rules
from edlead.metrics.charts import Chart, line_chart
from edlead.metrics.models import Metric, StudentGroup
from edlead.metrics.selectors.common import (
    ALL,
    MISSING,
    Cell,
    Kind,
    _facts,
    key_metric_candidates,
    make_cell,
    principal_changed,
    principals_by_year,
    snapshot,
    year_label,
)
from edlead.orgs.models import Organization
from edlead.people.models import Position


# --- principal retention ----------------------------------------------------------------------------
@dataclass
class RateCell:
    changed: int
    base: int

    @property
    def rate(self) -> Decimal | None:
        if not self.base:
            return None
        return (Decimal(self.changed) * 100 / Decimal(self.base)).quantize(Decimal("0.1"))

    @property
    def text(self) -> str:
        return "—" if self.rate is None else f"{self.rate}%"


@dataclass
class RetentionRow:
    org: Organization | None  # None: the whole page's organization
    label: str
    edlead: list[RateCell]
    dese: list[Cell]  # principal % retained from staffing-retention facts (the organization's own)


@dataclass
class Retention:
    org: Organization
    crumbs: list[Organization]
    years: list[int]
    rows: list[RetentionRow]
    metric: Metric | None
    chart: Chart | None  # None when the history covers none of the years: no empty chart
    dese_chart: Chart | None
    history_from: int | None = None  # the first year turnover can be computed (a principal the year before)
    history_through: int | None = None  # the last year the position history is confirmed for

    @property
    def history_note(self) -> str:
        """What years EdLead's own history covers, in words: never a 0 % for years it does not."""
        if self.history_from is None or self.history_through is None:
            return "EdLead's position history does not cover these years yet, so no turnover is shown."
        parts = []
        if self.history_from > self.years[0]:
            parts.append(
                f"EdLead's position history starts in {year_label(self.history_from - 1)}, "
                f"so turnover is shown from {year_label(self.history_from)}"
            )
        if self.history_through < self.years[-1]:
            parts.append(
                f"no source has confirmed who led these schools after {year_label(self.history_through)}, "
                "so later years are left blank"
            )
        text = "; ".join(parts)
        return f"{text[:1].upper()}{text[1:]}." if text else ""


def known_through(positions: list[Position], today: dt.date) -> dict[int, dt.date]:
    """For each school, the last day its principal history is known: an open position kept current
    in EdLead counts to today, one learned from a dated source only to its last confirmation, and a
    recorded end tells who was *not* principal at the next October 1."""
    known: dict[int, dt.date] = {}
    for pos in positions:
        if pos.ends_on is not None:
            year = SchoolYear.containing(pos.ends_on).start_year
            day = snapshot(year) if snapshot(year) > pos.ends_on else snapshot(year + 1)
        elif pos.confirmed_through is None:
            day = today
        else:
            day = min(pos.confirmed_through, today)
        if day > known.get(pos.organization_id, dt.date.min):
            known[pos.organization_id] = day
    return known


def retention_org_get_for_user(user: Any, pk: int) -> Organization:
    return policy.get_for_user(
        user,
        Organization.objects.filter(kind__in=[Kind.STATE, Kind.DISTRICT, Kind.NETWORK]),
        policy.ORG_DIRECTORY,
        pk=pk,
    )


def retention(user: Any, pk: int, *, years_back: int = 10, today: dt.date | None = None) -> Retention:
    """Principal turnover by year for an organization and the units below it (networks of a district,
    districts of the state): the share of schools whose principal changed between consecutive school
    years, from EdLead's positions, beside DESE's "principal % retained" when imported (6 queries after
    the user's grants)."""
    org = retention_org_get_for_user(user, pk)
    crumb_map = Organization.objects.in_bulk(org.ancestor_ids[:-1])  # 1 query
    crumbs = [crumb_map[i] for i in org.ancestor_ids[:-1] if i in crumb_map]
    within = Organization.objects.schools().open().within(org).select_related("parent", "district")
    # The schools of the user's working scope; with none in `org` (another network of their district,
    # opened from its directory page), every school of it (1 query, 2 in that case).
    schools = list(policy.visible_to(user, within, policy.ORG_VIEW)) or list(
        policy.visible_to(user, within, policy.ORG_DIRECTORY)
    )
    positions = list(
        Position.objects.filter(
            organization_id__in=[s.pk for s in schools], role=Position.Role.PRINCIPAL
        ).only("organization_id", "person_id", "starts_on", "ends_on", "confirmed_through")
    )  # 1 query
    today = today or dt.date.today()
    last = SchoolYear.containing(today).start_year
    if today < snapshot(last):
        last -= 1
    years = list(range(last - years_back + 1, last + 1))
    held = principals_by_year(positions, [years[0] - 1, *years])
    known = known_through(positions, today)

    units: dict[int, Organization] = {}
    unit_of: dict[int, int] = {}
    for s in schools:
        if org.kind == Kind.STATE and s.district:
            units[s.district.pk] = s.district
            unit_of[s.pk] = s.district.pk
        elif org.kind == Kind.DISTRICT and s.parent and s.parent.kind == Kind.NETWORK:
            units[s.parent.pk] = s.parent
            unit_of[s.pk] = s.parent.pk
    metric = rules.find_metric(key_metric_candidates(), "principal_retention")  # 1 query
    fact_orgs = [org.pk, *units]
    all_group = StudentGroup.objects.filter(code=ALL).first()  # 1 query
    facts = (
        _facts(fact_orgs, metric_ids=[metric.pk], group_ids=[all_group.pk]) if metric and all_group else []
    )  # 1 query
    dese = {(o, y): (v, n) for o, y, _m, _g, v, n in facts}

    def rates(school_ids: list[int]) -> list[RateCell]:
        cells = []
        for y in years:
            changed = base = 0
            for sid in school_ids:
                if snapshot(y) > known.get(sid, dt.date.min):
                    continue  # who led the school that October is not known: no 0 % for it
                c = principal_changed(held, sid, y)
                if c is None:
                    continue
                base += 1
                changed += 1 if c else 0
            cells.append(RateCell(changed, base))
        return cells

    def dese_cells(org_id: int) -> list[Cell]:
        return [make_cell(metric, dese.get((org_id, y))) if metric else MISSING for y in years]

    rows = [RetentionRow(None, f"All of {org.name}", rates([s.pk for s in schools]), dese_cells(org.pk))]
    members: dict[int, list[int]] = defaultdict(list)
    for sid, uid in unit_of.items():
        members[uid].append(sid)
    for unit in sorted(units.values(), key=lambda o: o.name):
        rows.append(RetentionRow(unit, unit.name, rates(members[unit.pk]), dese_cells(unit.pk)))
    charted = rows[:6] if len(rows) <= 6 else rows[:1]
    chart = line_chart(
        title=f"Principal turnover by year, {org.name}",
        desc=(
            "Share of schools whose principal changed between one school year's October 1 and the next, "
            "from EdLead's position history. The table below gives every figure."
        ),
        years=years,
        series=[(r.label, [c.rate for c in r.edlead], [c.text for c in r.edlead]) for r in charted],
        percent=True,
    )
    dese_chart = None
    if metric and any(c.value is not None for r in rows for c in r.dese):
        dese_chart = line_chart(
            title=f"{metric.name}, {org.name}",
            desc="DESE staffing retention: principals retained from the prior year. The table below gives every figure.",
            years=years,
            series=[
                (r.label, [c.value for c in r.dese], [c.text for c in r.dese])
                for r in charted
                if any(c.value is not None for c in r.dese)  # no legend entry for a line with no points
            ],
            percent=True,
        )
    covered = [y for y, c in zip(years, rows[0].edlead, strict=True) if c.base]
    return Retention(
        org,
        crumbs,
        years,
        rows,
        metric,
        chart if covered else None,
        dese_chart,
        covered[0] if covered else None,
        covered[-1] if covered else None,
    )
