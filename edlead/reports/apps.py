"""PDF from the same templates as the pages (WeasyPrint)."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "edlead.reports"
    label = "reports"
