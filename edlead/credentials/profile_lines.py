"""The leader profile's credentials: licences in force (with their expiry) and endorsements — only for
readers of the person's credentials."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edlead.access import policy
from edlead.credentials.models import Licence
from edlead.credentials.services import CREDENTIALS_VIEW
from edlead.reports.profile import Lines, Section


def lines(user: Any, person: Any, today: dt.date) -> Lines | None:
    if not policy.can(user, CREDENTIALS_VIEW, person):
        return None
    found: Lines = []
    for lic in (
        Licence.objects.current().filter(person=person).select_related("field").order_by("field__name")
    ):
        until = "no expiry" if lic.expires_on is None else f"to {lic.expires_on:%d %b %Y}"
        state = "" if lic.status == Licence.Status.ACTIVE else f" — {lic.get_status_display().lower()}"
        expired = " (expired)" if lic.expires_on and lic.expires_on < today else ""
        found.append((lic.field.name, f"{lic.get_stage_display()}, {until}{expired}{state}"))
    return found or [("Licences", "None on record")]


SECTION = Section("credentials", "Credentials", 20, lines)
