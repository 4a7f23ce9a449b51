"""Network reports (issue 12 item 7): a monthly report of each principal network — and an annual one —
generated on the platform's schedule and kept with its history. What it holds is what the supervisor's
home says about each school on the period's last day (`edlead.home.columns`: evaluation, plan, visits,
support, learning, licence, key figures) and what each of those apps counts for the period (visits made,
plan progress reported, requests routed and resolved…), drawn as the network's supervisor may see it;
plus the off-track flags and the supervisor's own narrative. Nothing here imports those apps.

Readers: the network's supervisor and district administrators (`network.manage`) and the district's
superintendent — not the network's principals (the report speaks of each one's evaluation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from edlead.access import policy
from edlead.access.models import RoleGrant, User
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.home import columns
from edlead.networks.models import NetworkReport
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

K = NetworkReport.Kind
NOTICE_REPORT = "networks.report"
REPORT_CHANGED = "network_report_changed"
AUDIT_VERBS = {REPORT_CHANGED: "Network report generated or changed"}


# --- who ---------------------------------------------------------------------------------------------------
def may_read(user: Any, network: Organization) -> bool:
    if policy.can(user, policy.NETWORK_MANAGE, network):
        return True
    return any(
        g.role == RoleGrant.Role.SUPERINTENDENT and network.path.startswith(g.path)
        for g in policy.effective_grants(user)
    )


def supervisor_of(network: Organization, on: dt.date) -> Person | None:
    pos = (
        Position.objects.current(on)
        .filter(organization=network, role=Position.Role.PRINCIPAL_SUPERVISOR)
        .select_related("person")
        .order_by("starts_on", "pk")
        .first()
    )
    return pos.person if pos else None


def _account(person: Person | None) -> User | None:
    if person is None:
        return None
    return User.objects.filter(person=person, is_active=True).first()


# --- periods -----------------------------------------------------------------------------------------------
def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    nxt = (start + dt.timedelta(days=32)).replace(day=1)
    return start, nxt - dt.timedelta(days=1)


def school_year_of(day: dt.date) -> tuple[dt.date, dt.date]:
    year = day.year if day.month >= 7 else day.year - 1
    return dt.date(year, 7, 1), dt.date(year + 1, 6, 30)


# --- the content -------------------------------------------------------------------------------------------
def content_for(reader: Any, network: Organization, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The report's snapshot: the network's schools as `reader` (its supervisor) sees them on `end` (or
    today, if sooner), and the period's figures. A fixed number of queries whatever the number of schools."""
    from edlead.metrics.selectors.compare import school_flags  # the home's off-track flags (4 queries)
    from edlead.orgs.selectors import school_rows

    as_of = min(end, timezone.localdate())
    schools = Organization.objects.schools().open().filter(path__startswith=network.path)
    rows = school_rows(reader, schools, today=as_of)
    flagged = school_flags([r.school for r in rows])
    offered = columns.fill(reader, rows, as_of)
    counted = columns.figures(reader, rows, start, end)
    out_rows = []
    for r in rows:
        p = r.principal
        out_rows.append(
            {
                "school": r.school.name,
                "school_id": r.school.pk,
                "principal": p.person.display_name if p else "",
                "since": f"{p.starts_on:%b %Y}" if p and p.starts_on else "",
                "cells": [[cell.text, cell.note, cell.attention] for _c, cell in r.cells],
                "flags": flagged.labels(r.school.pk),
            }
        )
    attention = [[c.label, sum(1 for r in rows if r.cells[i][1].attention)] for i, c in enumerate(offered)]
    attention.append(["Off-track flags", sum(1 for r in out_rows if r["flags"])])
    return {
        "as_of": as_of.isoformat(),
        "columns": [c.label for c in offered],
        "rows": out_rows,
        "flags_year": flagged.year_label,
        "figures": [
            {"section": c.label, "items": [[f.label, f.value] for f in found]} for c, found in counted
        ],
        "attention": attention,
        "schools": len(out_rows),
    }


# --- writers -----------------------------------------------------------------------------------------------
@transaction.atomic
def report_generate(
    *, actor: Any, network: Organization, kind: str, start: dt.date, end: dt.date
) -> NetworkReport:
    """Generate (or refresh) the network's report for the period, as its supervisor sees the schools. The
    narrative, if already written, stays. `actor` None is the schedule."""
    if kind not in K.values:
        raise ApplicationError("A report is monthly or annual.")
    if end < start:
        raise ApplicationError("The report's period ends before it starts.")
    if actor is not None and not policy.can(actor, policy.NETWORK_MANAGE, network):
        raise ApplicationError(
            "Only the network's supervisor and the district's administrators generate its reports."
        )
    author = supervisor_of(network, min(end, timezone.localdate()))
    reader = _account(author) if author is not None else None
    if reader is None:
        reader = actor
    if reader is None:
        raise ApplicationError(
            f"{network.name} has no principal supervisor with an account: nobody to report as."
        )
    content = content_for(reader, network, start, end)
    report = (
        NetworkReport.objects.select_for_update()
        .filter(network=network, kind=kind, period_start=start)
        .first()
    )
    if report is None:
        report = NetworkReport(network=network, kind=kind, period_start=start, version=0)
    report.period_end = end
    report.author = author
    report.content = content
    report.generated_at = timezone.now()
    report.mark_edited(actor)
    report.full_clean()
    report.save()
    audit_record(
        action=REPORT_CHANGED,
        actor=actor,
        target=report,
        detail={"report": report.pk, "step": "generated", "period": [start.isoformat(), end.isoformat()]},
        scope=[network.path],
    )
    return report


@transaction.atomic
def narrative_save(
    *, actor: Any, report: NetworkReport, expected_version: int, narrative: str
) -> NetworkReport:
    current = editing.lock(report)
    if not policy.can(actor, policy.NETWORK_MANAGE, current.network):
        raise ApplicationError("Only the network's supervisor writes the report's narrative.")
    text = (narrative or "").strip()
    if len(text) > 20000:
        raise ApplicationError("Narrative: at most 20,000 characters.")
    return editing.save_versioned(
        obj=current, expected_version=expected_version, changes={"narrative": text}, actor=actor
    )


@transaction.atomic
def report_send(*, actor: Any, report: NetworkReport) -> NetworkReport:
    """Send the report to the district's superintendent (a notice with its link); it can be sent again."""
    current = editing.lock(report)
    if not policy.can(actor, policy.NETWORK_MANAGE, current.network):
        raise ApplicationError("Only the network's supervisor sends its report.")
    if not current.narrative.strip():
        raise ApplicationError("Write the narrative before sending the report.")
    current.sent_at = timezone.now()
    current.mark_edited(actor)
    current.save()
    district = current.network.district
    superintendents = (
        Position.objects.current(timezone.localdate())
        .filter(organization=district, role=Position.Role.SUPERINTENDENT)
        .select_related("person")
    )
    from edlead.notices.services import notify

    for pos in superintendents:
        notify(
            person=pos.person,
            kind=NOTICE_REPORT,
            subject=f"{current.get_kind_display()} of {current.network.name}: {current.period_label}",
            body=f"{editing.user_label(actor)} sent the network's report.",
            link=current.get_absolute_url(),
            once_key=f"network-report:{current.pk}:{current.version}",
        )
    audit_record(
        action=REPORT_CHANGED, actor=actor, target=current, detail={"report": current.pk, "step": "sent"}
    )
    return current


def reports_generate_due(*, today: dt.date | None = None) -> int:
    """The schedule's job: on the first days of a month, last month's report of every network with a
    supervisor who has an account (and on 1 July, last school year's annual report); a report already
    generated is left as it is. The number generated."""
    day = today or timezone.localdate()
    last_month = month_of(day.replace(day=1) - dt.timedelta(days=1))
    wanted = [(K.MONTHLY, *last_month)]
    if day.month == 7:
        wanted.append((K.ANNUAL, *school_year_of(day - dt.timedelta(days=31))))
    networks = list(Organization.objects.networks().select_related("district"))
    done = set(
        NetworkReport.objects.filter(
            network__in=networks,
            kind__in=[k for k, _s, _e in wanted],
            period_start__in=[s for _k, s, _e in wanted],
        ).values_list("network_id", "kind", "period_start")
    )  # what is already generated, in one query
    # The networks whose supervisor (on the month's last day) has an account, in two queries.
    on = wanted[0][2]
    heads = dict(
        Position.objects.current(on)
        .filter(organization__in=networks, role=Position.Role.PRINCIPAL_SUPERVISOR)
        .order_by("organization_id", "-starts_on", "-pk")  # the dict keeps the earliest, as supervisor_of
        .values_list("organization_id", "person_id")
    )
    with_account = set(
        User.objects.filter(person_id__in=heads.values(), is_active=True).values_list("person_id", flat=True)
    )
    made = 0
    for network in networks:
        if heads.get(network.pk) not in with_account:
            continue
        for kind, start, end in wanted:
            if (network.pk, kind, start) not in done:
                report_generate(actor=None, network=network, kind=kind, start=start, end=end)
                made += 1
    return made
