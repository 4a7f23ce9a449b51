"""The leader profile's professional learning: programs completed in the last three school years (the
latest named), PDPs credited, registrations coming up — only for readers of the learning record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from edlead.access import policy
from edlead.learning.models import Enrollment
from edlead.learning.participation import school_year_start
from edlead.learning.services import LEARNING_RECORD
from edlead.reports.profile import Lines, Section

S = Enrollment.Status


def lines(user: Any, person: Any, today: dt.date) -> Lines | None:
    since = school_year_start(today).replace(year=school_year_start(today).year - 2)
    visible = policy.visible_to(user, Enrollment.objects.filter(person=person), LEARNING_RECORD)
    done = list(
        visible.filter(status=S.COMPLETED, completed_on__gte=since)
        .select_related("session__program")
        .order_by("-completed_on")[:50]
    )
    upcoming = visible.filter(
        status__in=[S.ENROLLED, S.WAITLISTED, S.PENDING], session__starts_at__gt=timezone.now()
    ).count()
    if not done and not upcoming:
        return None
    pdps = sum((e.session.program.pdp_hours or Decimal(0) for e in done if e.pdp_activity_id), Decimal(0))
    found: Lines = [("Programs completed since " + f"{since:%B %Y}", str(len(done)))]
    if pdps:
        found.append(("PDPs credited", f"{pdps.normalize():f}"))
    for e in done[:4]:
        found.append((f"{e.completed_on:%b %Y}", e.session.program.title))
    if upcoming:
        found.append(("Registered, coming up", str(upcoming)))
    return found


SECTION = Section("learning", "Professional learning", 30, lines)
