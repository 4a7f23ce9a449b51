"""The demo's network report: last month's report of every Riverton network whose supervisor has an
account (the North Quadrant's, for the supervisor persona), generated as the schedule does on the 1st,
with the supervisor's narrative written and sent to the superintendent. Runs after the visits, plans,
support, coaching and network seeds, whose records the report reads. Runs once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from edlead.networks import reports
from edlead.networks.models import NetworkReport

NARRATIVE = (
    "November in the North Quadrant: most visits were learning walks focused on student discourse and "
    "plan progress checks. Chronic absence is up from last year at most schools — the attendance goals in "
    "the improvement plans are where the network's December meeting will start. The overdue goal-setting "
    "conferences are on my calendar for the first week of December, and the plans waiting for my "
    "endorsement after revisions will be read this week. Open department requests are listed below; the "
    "safety request was escalated and is being handled with Positive Youth Development.\n\n"
    "Next month: finish the overdue goal conferences, endorse the waiting plans, and bring the attendance "
    "figures to the network meeting with the family liaisons."
)


def network_reports_seed(*, today: dt.date | None = None) -> int:
    day = today or timezone.localdate()
    if NetworkReport.objects.exists():
        return 0
    made = reports.reports_generate_due(today=day.replace(day=1))
    for report in NetworkReport.objects.select_related("network"):
        if report.network.name.startswith("North"):
            report.narrative = NARRATIVE
            report.sent_at = report.generated_at
            report.save(update_fields=["narrative", "sent_at", "updated_at"])
    return made
