"""The only writers of principal networks: meetings, their agendas, attendance and problems of practice,
and peer pairs. Keyword-only, actor first, one transaction each, audited; refusals are plain messages.

Who may write (the access matrix, `edlead.access.policy`): the network's principal supervisor and the
district's administrators (`network.manage` on the network). The network's principals read
(`network.view`), as does the superintendent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.lib.schoolyears import SchoolYear
from edlead.networks.models import AgendaItem, Attendance, Meeting, PeerPair, ProblemOfPractice
from edlead.networks.selectors import principals_of
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

NOTICE_MEETING = "networks.meeting_scheduled"
AUDIT_VERBS = {
    "network_meeting_scheduled": "Network meeting scheduled",
    "network_agenda_changed": "Network meeting agenda changed",
    "network_attendance_recorded": "Network meeting attendance recorded",
    "network_problem_added": "Problem of practice added",
    "network_pair_added": "Peer pair added",
    "network_pair_removed": "Peer pair removed",
}


def _may_manage(actor: Any, network: Organization) -> None:
    """`actor` None is the system (the demo seed); anyone else holds `network.manage` on the network."""
    if actor is not None and not policy.can(actor, policy.NETWORK_MANAGE, network):
        raise ApplicationError("Only the network's principal supervisor and district administrators do this.")


def _person_id(actor: Any) -> int | None:
    return getattr(actor, "person_id", None)


def _principal_ids(network: Organization, on: dt.date) -> set[int]:
    return {p.person_id for p in principals_of(network, on)}


@transaction.atomic
def meeting_schedule(
    *,
    actor: Any,
    network: Organization,
    title: str,
    meets_on: dt.date,
    starts_at: dt.time,
    place: str,
    today: dt.date | None = None,
) -> Meeting:
    """Schedule a meeting of the network; its principals are told when it lies ahead."""
    if network.kind != Organization.Kind.NETWORK:
        raise ApplicationError("Meetings are scheduled for a network of schools.")
    _may_manage(actor, network)
    day = today or dt.date.today()
    year = SchoolYear.containing(day)
    if meets_on < year.starts_on or meets_on > SchoolYear(year.start_year + 1).ends_on:
        raise ApplicationError(
            f"Date: a meeting falls in this school year ({year.label}) or the next, not {meets_on:%-d %B %Y}."
        )
    if not title.strip():
        raise ApplicationError("Title: give the meeting a title.")
    if not place.strip():
        raise ApplicationError("Place: say where the meeting is.")
    meeting = Meeting(
        organization=network,
        title=title.strip(),
        meets_on=meets_on,
        starts_at=starts_at,
        place=place.strip(),
        scheduled_by_id=_person_id(actor),
    )
    meeting.full_clean()
    meeting.save()
    audit_record(action="network_meeting_scheduled", actor=actor, target=meeting)
    if meets_on >= day:
        from edlead.notices.services import notify_many

        principals = [p.person for p in principals_of(network, day)]
        notify_many(
            people=principals,
            kind=NOTICE_MEETING,
            subject=f"{network.name} meeting on {meets_on:%A %-d %B} at {starts_at:%-I:%M %p}",
            body=f"{meeting.title}, {meeting.place}.",
            link=meeting.get_absolute_url(),
            once_key=f"network-meeting:{meeting.pk}",
        )
    return meeting


def _lead_allowed(network: Organization, person: Person, on: dt.date) -> bool:
    """An agenda item's lead works in the network's district (a principal, the supervisor, a department)."""
    district = network.district or network
    return (
        Position.objects.current(on)
        .filter(person=person, organization__path__startswith=district.path)
        .exists()
    )


@transaction.atomic
def agenda_item_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    starts_at: dt.time,
    minutes: int | None = None,
    lead: Person | None = None,
) -> AgendaItem:
    """Add an item at the end of the meeting's agenda; items run in time order from the meeting's start."""
    network = meeting.organization
    _may_manage(actor, network)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not title.strip():
        raise ApplicationError("Item: say what the agenda item is.")
    if starts_at < meeting.starts_at:
        raise ApplicationError(
            f"Time: the meeting starts at {meeting.starts_at:%-I:%M %p}; an item cannot start before it."
        )
    last = AgendaItem.objects.filter(meeting=meeting).order_by("-order").first()
    if last is not None and starts_at < last.starts_at:
        raise ApplicationError(
            f"Time: the item before this one starts at {last.starts_at:%-I:%M %p}; items run in time order."
        )
    if minutes is not None and not 1 <= minutes <= 480:
        raise ApplicationError("Minutes: between 1 and 480.")
    if lead is not None and not _lead_allowed(network, lead, meeting.meets_on):
        raise ApplicationError(f"Lead: {lead} does not work in {(network.district or network).name}.")
    order = (AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem(
        meeting=meeting, order=order, starts_at=starts_at, minutes=minutes, title=title.strip(), lead=lead
    )
    item.full_clean()
    item.save()
    audit_record(action="network_agenda_changed", actor=actor, target=meeting, detail={"added": item.title})
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Any, item: AgendaItem) -> None:
    meeting = item.meeting
    _may_manage(actor, meeting.organization)
    title = item.title
    item.delete()
    audit_record(action="network_agenda_changed", actor=actor, target=meeting, detail={"removed": title})


@transaction.atomic
def attendance_record(
    *, actor: Any, meeting: Meeting, statuses: Mapping[int, str], today: dt.date | None = None
) -> list[Attendance]:
    """Record who came (present / absent / excused) for the network's principals, after the meeting.
    Recording again replaces the earlier record; nothing is written if any line is refused."""
    network = meeting.organization
    _may_manage(actor, network)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.meets_on > (today or dt.date.today()):
        raise ApplicationError(
            f"Attendance is recorded after the meeting; this one is on {meeting.meets_on:%-d %B %Y}."
        )
    allowed = _principal_ids(network, meeting.meets_on)
    valid = set(Attendance.Status.values)
    outsiders = sorted(set(statuses) - allowed)
    if outsiders:
        names = ", ".join(str(p) for p in Person.objects.filter(pk__in=outsiders).order_by("last_name"))
        raise ApplicationError(
            f"Attendance: {names or 'someone'} was not a principal of {network.name} on the meeting's date."
        )
    if any(status not in valid for status in statuses.values()):
        raise ApplicationError("Attendance: choose present, absent or excused.")
    Attendance.objects.filter(meeting=meeting).delete()
    rows = Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, person_id=pid, status=status)
            for pid, status in sorted(statuses.items())
        ]
    )
    meeting.attendance_recorded_at = timezone.now()
    meeting.save(update_fields=["attendance_recorded_at", "updated_at"])
    counts = {s: sum(1 for r in rows if r.status == s) for s in valid}
    audit_record(action="network_attendance_recorded", actor=actor, target=meeting, detail=counts)
    return rows


@transaction.atomic
def problem_add(
    *,
    actor: Any,
    meeting: Meeting,
    presenter: Person,
    question: str,
    protocol: str,
    protocol_notes: str = "",
) -> ProblemOfPractice:
    """A principal's problem of practice brought to the meeting, with the protocol used and its notes."""
    network = meeting.organization
    _may_manage(actor, network)
    if presenter.pk not in _principal_ids(network, meeting.meets_on):
        raise ApplicationError(f"Presenter: {presenter} is not a principal of {network.name}.")
    if not question.strip():
        raise ApplicationError("Question: write the presenter's focusing question.")
    if protocol not in ProblemOfPractice.Protocol.values:
        raise ApplicationError("Protocol: choose the protocol used.")
    problem = ProblemOfPractice(
        meeting=meeting,
        presenter=presenter,
        question=question.strip(),
        protocol=protocol,
        protocol_notes=protocol_notes.strip(),
    )
    problem.full_clean()
    problem.save()
    audit_record(action="network_problem_added", actor=actor, target=meeting, detail={"problem": problem.pk})
    return problem


@transaction.atomic
def pair_add(
    *,
    actor: Any,
    network: Organization,
    first: Person,
    second: Person,
    school_year: int | None = None,
    today: dt.date | None = None,
) -> PeerPair:
    """Pair two principals of the network for a school year (this one by default)."""
    _may_manage(actor, network)
    day = today or dt.date.today()
    year = school_year or SchoolYear.containing(day).start_year
    if first.pk == second.pk:
        raise ApplicationError("A peer pair is two different principals.")
    principals = _principal_ids(network, day)
    for person in (first, second):
        if person.pk not in principals:
            raise ApplicationError(f"{person} does not lead a school in {network.name}.")
    low, high = sorted([first, second], key=lambda p: p.pk)
    taken = (
        PeerPair.objects.select_for_update()
        .filter(Q(first__in=[low, high]) | Q(second__in=[low, high]), school_year=year)
        .select_related("first", "second")
        .first()
    )
    if taken is not None:
        who = taken.first if taken.first_id in (low.pk, high.pk) else taken.second
        label = SchoolYear(year).label
        raise ApplicationError(f"{who} is already in a peer pair for {label}.")
    pair = PeerPair(organization=network, school_year=year, first=low, second=high)
    pair.full_clean()
    pair.save()
    audit_record(action="network_pair_added", actor=actor, target=pair, detail={"year": year})
    return pair


@transaction.atomic
def pair_remove(*, actor: Any, pair: PeerPair) -> None:
    _may_manage(actor, pair.organization)
    audit_record(action="network_pair_removed", actor=actor, target=pair)
    pair.delete()
