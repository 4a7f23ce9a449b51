"""Recurring jobs declared by each app, run by the worker on a cron schedule.

Apps call `register(name, cron=..., task=..., description=...)` from their AppConfig.ready().
"""

from edlead.schedules.registry import Job, get, jobs, register, unregister

__all__ = ["Job", "get", "jobs", "register", "unregister"]
