"""iCal feeds of professional learning: a person's own sessions (signed in, or through a signed link a
calendar app subscribes to without cookies) and one session's file to add to a calendar.

A person's calendar holds one event per meeting of each session they are registered for (a session with
no meetings is one event itself), from a year back on: enrolled or completed registrations are
confirmed, pending or waitlisted ones tentative, a cancelled session is cancelled; declined and cancelled
registrations are left out. Event UIDs follow the meeting or session, so a calendar app updates an event
instead of adding it twice. No one else's name is in a feed: only the program, its provider and the
session's facilitators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event, vDuration

from edlead.core.views import own_person_id
from edlead.learning.models import Enrollment, Session
from edlead.learning.views import _session

S = Enrollment.Status

SALT = "edlead.learning.calendar"
PRODID = "-//EdLead//Professional learning//EN"
MY_CALENDAR_NAME = "My professional learning"
HORIZON = dt.timedelta(days=365)  # a person's feed starts with the sessions of the past year
REFRESH = dt.timedelta(hours=1)  # how often a subscribed calendar app is asked to look again
FEED_CACHE_CONTROL = "private, max-age=900"

CONFIRMED = frozenset({S.ENROLLED, S.COMPLETED})
TENTATIVE = frozenset({S.PENDING, S.WAITLISTED})


def feed_token(person_id: int) -> str:
    """The signed token of a person's calendar feed: the same every time (a subscription keeps working
    and the page shows one address); it does not expire and is revoked only with the secret key."""
    return signing.Signer(salt=SALT).sign_object(person_id)


def feed_url(request: HttpRequest, person_id: int) -> str:
    """The absolute address of a person's calendar feed, for a "Subscribe in your calendar app" link."""
    return request.build_absolute_uri(reverse("learning:feed", args=[feed_token(person_id)]))


def person_enrollments(person_id: int) -> list[Enrollment]:
    """The person's registrations shown in their calendar, with their sessions, programs, providers and
    meetings: three queries, whatever their number."""
    return list(
        Enrollment.objects.filter(
            person_id=person_id,
            status__in=CONFIRMED | TENTATIVE,
            session__starts_at__gte=timezone.now() - HORIZON,
        )
        .select_related("session__program__provider")
        .prefetch_related("session__meetings")
        .order_by("session__starts_at", "session_id")
    )


def person_calendar(request: HttpRequest, person_id: int, name: str = MY_CALENDAR_NAME) -> Calendar:
    cal = _calendar(name, subscribed=True)
    for enrollment in person_enrollments(person_id):
        _add_session(cal, request, enrollment.session, enrollment.status)
    return cal


def session_calendar_of(request: HttpRequest, session: Session, status: str | None = None) -> Calendar:
    """One session's events; `status` is the reader's registration, if they have one."""
    cal = _calendar(session.program.title, subscribed=False)
    _add_session(cal, request, session, status)
    return cal


@login_required
@require_safe
def my_calendar(request: HttpRequest) -> HttpResponse:
    person_id = own_person_id(request)
    return _response(person_calendar(request, person_id), "my-learning.ics", as_attachment=False)


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's calendar for a calendar app: no sign-in, the signed token is the key."""
    try:
        person_id = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        raise Http404("No such calendar.") from None
    if not isinstance(person_id, int) or isinstance(person_id, bool):
        raise Http404("No such calendar.")
    response = _response(person_calendar(request, person_id), "learning.ics", as_attachment=False)
    response["Cache-Control"] = FEED_CACHE_CONTROL
    return response


@login_required
@require_safe
def session_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)  # a session of a program the reader may see, else 404
    person_id = getattr(request.user, "person_id", None)
    status = None
    if person_id:
        status = (
            Enrollment.objects.filter(session=session, person_id=person_id)
            .values_list("status", flat=True)
            .first()
        )
    name = f"{slugify(session.program.title) or 'session'}-{session.starts_at:%Y-%m-%d}.ics"
    response = _response(session_calendar_of(request, session, status), name, as_attachment=True)
    response.audit_label = f"Calendar of {session}"  # type: ignore[attr-defined]
    return response


def _calendar(name: str, *, subscribed: bool) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    if subscribed:
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))
    return cal


def _add_session(cal: Calendar, request: HttpRequest, session: Session, status: str | None) -> None:
    """One event per meeting of the session, or the session itself when it has no meetings."""
    program = session.program
    url = request.build_absolute_uri(program.get_absolute_url())
    if session.cancelled:
        ical_status = "CANCELLED"
    elif status in TENTATIVE:
        ical_status = "TENTATIVE"
    else:
        ical_status = "CONFIRMED"
    registration = S(status).label if status in CONFIRMED | TENTATIVE else ""
    slots: Iterable[tuple[str, dt.datetime, dt.datetime, str]] = [
        (f"learning-meeting-{m.pk}@edlead", m.starts_at, m.ends_at, m.agenda) for m in session.meetings.all()
    ] or [(f"learning-session-{session.pk}@edlead", session.starts_at, session.ends_at, "")]
    stamp = timezone.now().astimezone(dt.UTC)
    for uid, starts_at, ends_at, agenda in slots:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", session.updated_at.astimezone(dt.UTC))
        event.add("dtstart", starts_at.astimezone(dt.UTC))
        event.add("dtend", ends_at.astimezone(dt.UTC))
        event.add("summary", program.title)
        event.add("status", ical_status)
        location = session.place or session.online_url
        if location:
            event.add("location", location)
        event.add("description", _description(session, url, agenda, registration))
        event.add("url", url)
        cal.add_component(event)


def _description(session: Session, url: str, agenda: str, registration: str) -> str:
    program = session.program
    parts = []
    if session.cancelled:
        parts.append("This session is cancelled.")
    if agenda:
        parts.append(agenda)
    if program.summary:
        parts.append(program.summary)
    lines = [f"Offered by: {program.provider.name}"]
    if session.facilitators:
        lines.append(f"Facilitators: {session.facilitators}")
    if session.online_url:
        lines.append(f"Join online: {session.online_url}")
    if registration:
        lines.append(f"Your registration: {registration}")
    lines.append(f"Program page: {url}")
    parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _response(cal: Calendar, filename: str, *, as_attachment: bool) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    # The names are ours (a slug and a date): no quoting needed.
    response["Content-Disposition"] = f'{"attachment" if as_attachment else "inline"}; filename="{filename}"'
    return response
