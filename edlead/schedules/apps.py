"""Recurring jobs declared by each app, run by the worker on a cron schedule."""

from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "edlead.schedules"
    label = "schedules"
