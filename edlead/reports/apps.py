"""PDF from the same templates as the pages (WeasyPrint)."""

import logging

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "edlead.reports"
    label = "reports"

    def ready(self) -> None:
        # WeasyPrint warns about every screen-only CSS rule it skips (media queries, SVG properties in
        # the page's stylesheet): noise in the logs of every PDF, not faults.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
