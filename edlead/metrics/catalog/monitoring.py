"""Metrics aggregated from student-level in-year monitoring files."""

from edlead.metrics.catalog import MetricSpec

METRICS: list[MetricSpec] = []
