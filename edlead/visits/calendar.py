"""An iCalendar (RFC 5545) feed of visits: one VEVENT per visit, text escaped and lines folded at 75
octets, times in UTC (a visit with no start time is an all-day event)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from edlead.visits.models import Visit

PRODID = "-//EdLead//School visits//EN"


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, new lines as \\n."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (never inside a UTF-8 character), continuation lines begin with
    a space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # do not cut a character
            end -= 1
        parts.append(raw[start:end].decode("utf-8"))
        start, limit = end, 74  # the leading space counts
    return "\r\n ".join(parts)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def ical(visits: Iterable[Visit], *, base: str) -> str:
    """The calendar text of the visits (select `organization`, `visitor`, `educator`)."""
    now = _stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:EdLead visits",
    ]
    for v in visits:
        who = f" with {v.educator.display_name}" if v.educator is not None else ""
        summary = f"{v.get_purpose_display()}: {v.organization.name}{who}"
        about = f"Visitor: {v.visitor.display_name}. " + ("Announced." if v.announced else "Unannounced.")
        lines += ["BEGIN:VEVENT", f"UID:visit-{v.pk}@edlead", f"DTSTAMP:{now}"]
        if v.start_time is not None:
            start = timezone.make_aware(dt.datetime.combine(v.date, v.start_time))
            lines += [
                f"DTSTART:{_stamp(start)}",
                f"DTEND:{_stamp(start + dt.timedelta(minutes=v.length_minutes))}",
            ]
        else:
            lines += [
                f"DTSTART;VALUE=DATE:{v.date:%Y%m%d}",
                f"DTEND;VALUE=DATE:{v.date + dt.timedelta(days=1):%Y%m%d}",
            ]
        lines += [
            f"SUMMARY:{escape(summary)}",
            f"LOCATION:{escape(v.organization.name)}",
            f"DESCRIPTION:{escape(about)}",
            f"URL:{base.rstrip('/')}{v.get_absolute_url()}",
            f"STATUS:{'CANCELLED' if v.cancelled else 'CONFIRMED'}",
            f"SEQUENCE:{v.version}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
