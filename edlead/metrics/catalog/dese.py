"""Metrics from DESE report exports (filled in by the DESE importers)."""

from edlead.metrics.catalog import MetricSpec

METRICS: list[MetricSpec] = []
