"""Readers for evaluation frameworks: lists scoped through the access policy, and a whole rubric in a
fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from edlead.access import policy
from edlead.evaluations.models import Descriptor, Element, Framework, Indicator, PerformanceLevel, Standard


def frameworks_for(user: Any) -> QuerySet[Framework]:
    """The frameworks `user` may see: the state's, and their districts' copies."""
    return policy.visible_to(
        user, Framework.objects.select_related("organization", "based_on"), policy.FRAMEWORK_VIEW
    ).order_by("organization__name", "audience", "name", "version", "id")


def framework_tree(framework: Framework) -> list[Standard]:
    """The framework's standards with their indicators, elements and descriptors (four queries)."""
    return list(
        Standard.objects.filter(framework=framework)
        .order_by("order", "id")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id")),
            Prefetch("indicators__elements", queryset=Element.objects.order_by("order", "id")),
            Prefetch("indicators__elements__descriptors", queryset=Descriptor.objects.order_by("id")),
        )
    )


def framework_data(framework: Framework, tree: list[Standard] | None = None) -> dict[str, Any]:
    """The nested form of a framework (what the JSON export holds and a copy is built from)."""
    levels = [str(level) for level in PerformanceLevel.ordered()]
    standards = framework_tree(framework) if tree is None else tree
    return {
        "code": framework.code,
        "name": framework.name,
        "audience": framework.audience,
        "version": framework.version,
        "description": framework.description,
        "standards": [
            {
                "code": s.code,
                "name": s.name,
                "required_for_proficient": s.required_for_proficient,
                "indicators": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "elements": [
                            {
                                "code": e.code,
                                "name": e.name,
                                "descriptors": {
                                    lv: text
                                    for lv in levels
                                    for text in [
                                        next((d.text for d in e.descriptors.all() if d.level == lv), None)
                                    ]
                                    if text is not None
                                },
                            }
                            for e in i.elements.all()
                        ],
                    }
                    for i in s.indicators.all()
                ],
            }
            for s in standards
        ],
    }


def rubric_rows(tree: list[Standard]) -> list[dict[str, Any]]:
    """Rows of the rubric table: each element with its descriptors in level order, and how many rows
    its standard and indicator span."""
    levels = [str(level) for level in PerformanceLevel.ordered()]
    rows = []
    for s in tree:
        for i in s.indicators.all():
            for e in i.elements.all():
                by_level = {d.level: d.text for d in e.descriptors.all()}
                rows.append(
                    {
                        "standard": s,
                        "indicator": i,
                        "element": e,
                        "cells": [by_level.get(lv, "") for lv in levels],
                    }
                )
    return rows
