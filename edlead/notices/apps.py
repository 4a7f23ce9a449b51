"""Notifications: the in-app inbox and e-mail (immediately, daily digest or off)."""

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "edlead.notices"
    label = "notices"
