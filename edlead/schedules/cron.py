"""A crontab line in words, for the jobs page ("Every day at 06:00")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edlead.schedules.registry import Job

DAYS = {
    "0": "Sunday",
    "1": "Monday",
    "2": "Tuesday",
    "3": "Wednesday",
    "4": "Thursday",
    "5": "Friday",
    "6": "Saturday",
    "7": "Sunday",
    "sun": "Sunday",
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
}
WEEKDAYS = {"1-5", "mon-fri"}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe(cron: str) -> str:
    """Common shapes in words; anything else as the crontab line itself."""
    fields = cron.split()
    if len(fields) != 5:
        return f"cron “{cron}”"
    minute, hour, dom, month, dow = (f.lower() for f in fields)
    if minute.startswith("*/") and hour == dom == month == dow == "*":
        return f"Every {minute[2:]} minutes"
    if minute == "*" and hour == dom == month == dow == "*":
        return "Every minute"
    if not minute.isdigit():
        return f"cron “{cron}”"
    if hour == "*" and dom == month == dow == "*":
        return f"Every hour at {int(minute):02d} minutes past"
    if not hour.isdigit() or month != "*":
        return f"cron “{cron}”"
    at = f"at {int(hour):02d}:{int(minute):02d}"
    if dom == "*" and dow == "*":
        return f"Every day {at}"
    if dom == "*" and dow in WEEKDAYS:
        return f"Every weekday (Monday to Friday) {at}"
    if dom == "*" and dow in DAYS:
        return f"Every {DAYS[dow]} {at}"
    if dom.isdigit() and dow == "*":
        return f"On the {_ordinal(int(dom))} of every month {at}"
    return f"cron “{cron}”"


def next_run(job: Job, tz: Any, now: dt.datetime) -> dt.datetime | None:
    trigger = job.trigger(tz)
    when: dt.datetime | None = trigger.get_next_fire_time(None, now)
    return when
