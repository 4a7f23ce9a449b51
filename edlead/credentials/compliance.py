"""Licence compliance for HR and supervisors (issue 10, item 6): every current leader the reader may see
under `COMPLIANCE_VIEW` (HR and administrators: their district; a supervisor: the principals of their
network; the superintendent: the district) with what is wrong — a licence expired, expiring within
180 / 90 / 30 days, a renewal short of PDPs, an endorsement their current role requires missing — and
the counts by school and by network. A fixed number of queries whatever the number of people."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from edlead import config
from edlead.access import policy
from edlead.credentials.alerts import window_of
from edlead.credentials.eligibility import POSITION_FIELDS, catalog_names, district_of, setting_needs
from edlead.credentials.models import Endorsement, Licence
from edlead.credentials.progress import AT_RISK, OVERDUE, Progress, activity_facts, progress_for
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

COMPLIANCE_VIEW = "credentials.compliance"

EXPIRED = "expired"
DUE_30 = "30"
DUE_90 = "90"
DUE_180 = "180"
SHORT = "short"
ENDORSEMENT = "endorsement"
NO_RECORD = "none"
# Most pressing first: the list is ordered by a leader's first flag.
FLAGS = {
    EXPIRED: "Expired",
    DUE_30: "Expires within 30 days",
    DUE_90: "Expires within 90 days",
    DUE_180: "Expires within 180 days",
    SHORT: "Renewal short of PDPs",
    ENDORSEMENT: "Missing a required endorsement",
    NO_RECORD: "No licence on record",
}


@dataclass
class LeaderRow:
    person: Person
    position: Position  # the primary current leadership position
    school: Organization | None
    network: Organization | None
    licences: list[tuple[Licence, Progress]] = field(default_factory=list)
    missing_endorsements: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def flag_labels(self) -> list[str]:
        return [FLAGS[f] for f in self.flags]


@dataclass
class Compliance:
    rows: list[LeaderRow]
    by_school: list[tuple[Organization, Counter[str]]]
    by_network: list[tuple[Organization | None, Counter[str]]]
    totals: Counter[str]

    def flagged(self, flag: str) -> list[LeaderRow]:
        return [r for r in self.rows if not flag or flag in r.flags]


def _flags(licences: list[tuple[Licence, Progress]], missing: list[str], today: dt.date) -> list[str]:
    found: list[str] = [] if licences else [NO_RECORD]
    for lic, p in licences:
        if lic.expires_on is not None and lic.expires_on < today:
            found.append(EXPIRED)
        elif lic.expires_on is not None:
            window = window_of(lic.expires_on, today)
            if window is not None:
                found.append(str(window))
        if p.short and p.status in (AT_RISK, OVERDUE):
            found.append(SHORT)
    if missing:
        found.append(ENDORSEMENT)
    return [f for f in FLAGS if f in found]


def district_choices(user: Any) -> list[Organization] | None:
    """None when everything the reader holds sits inside one district (the page shows it whole); else
    the districts they pick one from (a state administrator: every district — working out every
    leader's renewal in the state on one page would take seconds)."""
    grants = policy.effective_grants(user)
    paths = {g.district_path for g in grants}
    superuser = getattr(user, "is_superuser", False)
    if not superuser and len(paths) <= 1 and all(len(p.strip("/").split("/")) >= 2 for p in paths):
        return None
    districts = Organization.objects.filter(kind=Organization.Kind.DISTRICT)
    if not superuser:
        where = Q(pk__in=[])
        for path in paths:
            where |= Q(path__startswith=path)
        districts = districts.filter(where)
    return list(districts.only("pk", "name", "path", "kind").order_by("name", "pk"))


def compliance_for(
    user: Any, *, today: dt.date | None = None, district: Organization | None = None
) -> Compliance:
    """The leaders `user` may see for compliance (in `district` when given), each with their current
    licences' progress and flags (9 queries, however many people and districts)."""
    day = today or dt.date.today()
    leaders = Position.objects.current(day).leaders()
    if district is not None:
        leaders = leaders.filter(organization__path__startswith=district.path)
    if not getattr(user, "is_superuser", False):
        # Only where the reader holds a role at all (the rule then decides whom): a district's HR is not
        # made to test the rule against every leader of the state.
        where = Q(pk__in=[])
        for g in policy.effective_grants(user):
            where |= Q(organization__path__startswith=g.path)
        leaders = leaders.filter(where)
    # The people as a list of ids: as a subquery, PostgreSQL joined every current leader position of the
    # state to every person before narrowing to the few the reader sees.
    people = list(
        policy.visible_to(
            user, Person.objects.filter(pk__in=leaders.values("person_id")), COMPLIANCE_VIEW
        ).values_list("pk", flat=True)
    )
    positions: dict[int, list[Position]] = defaultdict(list)
    for pos in (
        Position.objects.current(day)
        .leaders()
        .filter(person_id__in=people)
        .select_related("person", "organization__parent", "organization__district")
        .only(
            *POSITION_FIELDS,
            "person__first_name",
            "person__last_name",
            "person__preferred_name",
            "organization__parent__name",
            "organization__parent__kind",
            "organization__district__name",
            "organization__district__kind",
            "organization__district__path",
        )
        .order_by("person_id", "-is_primary", "pk")
    ):
        positions[pos.person_id].append(pos)
    ids = list(positions)
    licences = list(
        Licence.objects.current()
        .filter(person_id__in=ids, status=Licence.Status.ACTIVE)
        .select_related("field")
        .order_by("person_id", "expires_on", "pk")
    )
    activities = activity_facts(ids)
    others: dict[int, list[Licence]] = defaultdict(list)
    for lic in licences:
        others[lic.person_id].append(lic)
    progress = progress_for(licences, today=day, activities=activities, others=others)
    held: dict[int, set[str]] = defaultdict(set)
    for pid, code in (
        Endorsement.objects.current()
        .filter(person_id__in=ids, status=Endorsement.Status.ACTIVE)
        .values_list("person_id", "kind__code")
    ):
        held[pid].add(code)
    names = catalog_names()
    # The endorsement setting, read once per district (one query each; one district for HR).
    districts: dict[int, Organization] = {}
    for mine in positions.values():
        for pos in mine:
            districts.setdefault(district_of(pos.organization).pk, district_of(pos.organization))
    config.prefetch_settings(districts.values())  # one query for every district (a state administrator's)
    needed: dict[tuple[int, str], list[str]] = {}
    rows: list[LeaderRow] = []
    for pid, mine in positions.items():
        missing: list[str] = []
        for pos in mine:
            district = districts[district_of(pos.organization).pk]
            key = (district.pk, pos.role)
            if key not in needed:
                needed[key] = [n.fields[0] for n in setting_needs(district, pos.role, names)]
            for code in needed[key]:
                label = f"{names.get(('endorsement', code), code)} (required of a {pos.get_role_display().lower()})"
                if code not in held[pid] and label not in missing:
                    missing.append(label)
        if not others.get(pid) and not held[pid]:
            # Nothing on record (a leader known only from the state's directory, say): EdLead cannot tell
            # which endorsement is missing, only that HR has their licences to record.
            missing = []
        primary = mine[0]
        org = primary.organization
        school = org if org.kind == Organization.Kind.SCHOOL else None
        parent = org.parent if school is not None else None
        network = parent if parent is not None and parent.kind == Organization.Kind.NETWORK else None
        theirs = [(lic, progress[lic.pk]) for lic in others.get(pid, [])]
        row = LeaderRow(primary.person, primary, school, network, theirs, missing)
        row.flags = _flags(theirs, missing, day)
        rows.append(row)
    order = {code: n for n, code in enumerate(FLAGS)}
    rows.sort(key=lambda r: (order[r.flags[0]] if r.flags else len(order), r.person.sort_name, r.person.pk))
    by_school: dict[int, tuple[Organization, Counter[str]]] = {}
    by_network: dict[int | None, tuple[Organization | None, Counter[str]]] = {}
    totals: Counter[str] = Counter()
    for r in rows:
        counts = Counter(r.flags)
        totals.update(counts)
        totals["people"] += 1
        if r.school is not None:
            entry = by_school.setdefault(r.school.pk, (r.school, Counter()))
            entry[1].update(counts)
            entry[1]["people"] += 1
        net_key = r.network.pk if r.network is not None else None
        net = by_network.setdefault(net_key, (r.network, Counter()))
        net[1].update(counts)
        net[1]["people"] += 1
    return Compliance(
        rows=rows,
        by_school=sorted(by_school.values(), key=lambda e: e[0].name),
        by_network=sorted(by_network.values(), key=lambda e: (e[0] is None, e[0].name if e[0] else "")),
        totals=totals,
    )


EXPORT_HEADER = (
    "Name",
    "Role",
    "School",
    "Network",
    "Licence",
    "Stage",
    "Level",
    "Number",
    "Expires",
    "PDPs earned",
    "PDPs required",
    "Renewal status",
    "Missing endorsements",
    "Flags",
)


def export_rows(data: Compliance, flag: str = "") -> Iterator[list[Any]]:
    """One line per licence (a leader without a licence: one line saying so)."""
    for r in data.flagged(flag):
        common = [
            r.person.sort_name,
            r.position.display_title,
            r.school.name if r.school else r.position.organization.name,
            r.network.name if r.network else "",
        ]
        tail = ["; ".join(r.missing_endorsements), "; ".join(r.flag_labels)]
        if not r.licences:
            yield [*common, "No current licence", "", "", "", None, None, None, "", *tail]
        for lic, p in r.licences:
            yield [
                *common,
                lic.field.name,
                lic.get_stage_display(),
                lic.grade_level,
                lic.number,
                lic.expires_on,
                p.earned if p.renewable else None,
                p.required if p.renewable else None,
                p.status_label,
                *tail,
            ]


def may_open(user: Any) -> bool:
    """The page is for HR, administrators and the supervision chain (what they see is the rule's)."""
    wanted = policy.CHAIN_ROLES | {
        policy.Role.HR,
        policy.Role.DISTRICT_ADMIN,
        policy.Role.STATE_ADMIN,
    }
    return getattr(user, "is_superuser", False) or bool(policy.roles(user) & wanted)
