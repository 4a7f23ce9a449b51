"""A plan's figures as its metric writes them (its decimals), "—" when there is none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from edlead.metrics.presentation import quantum

register = template.Library()


@register.filter
def figure(value: Decimal | None, metric: Any) -> str:
    if value is None or value == "":
        return "—"
    return str(Decimal(value).quantize(quantum(metric)))
