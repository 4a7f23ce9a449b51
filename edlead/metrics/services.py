"""Writers for the metrics app: the catalog."""

from __future__ import annotations

from django.db import transaction

from edlead.metrics.catalog import GROUPS, all_metrics
from edlead.metrics.models import Metric, StudentGroup


@transaction.atomic
def catalog_sync() -> tuple[int, int]:
    """Create or update the student groups and metrics declared in `edlead.metrics.catalog`.
    Returns (groups written, metrics written). Idempotent."""
    groups_written = 0
    existing_groups = {g.code: g for g in StudentGroup.objects.all()}
    for order, (code, name) in enumerate(GROUPS):
        group = existing_groups.get(code)
        if group is None:
            StudentGroup.objects.create(code=code, name=name, sort_order=order)
            groups_written += 1
        elif (group.name, group.sort_order) != (name, order):
            group.name, group.sort_order = name, order
            group.save(update_fields=["name", "sort_order"])
            groups_written += 1
    metrics_written = 0
    existing = {m.code: m for m in Metric.objects.all()}
    for order, spec in enumerate(all_metrics()):
        fields = {
            "name": spec.name,
            "definition": spec.definition,
            "unit": spec.unit,
            "direction": spec.direction,
            "category": spec.category,
            "source_report": spec.source_report,
            "grade_span": spec.grade_span,
            "groups_available": ",".join(spec.groups_available),
            "subject": spec.subject,
            "year_rule": spec.year_rule,
            "suppress_below": spec.suppress_below,
            "decimals": spec.decimals,
            "sort_order": order,
        }
        metric = existing.get(spec.code)
        if metric is None:
            Metric.objects.create(code=spec.code, **fields)
            metrics_written += 1
        elif any(getattr(metric, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(metric, k, v)
            metric.save()
            metrics_written += 1
    return groups_written, metrics_written
