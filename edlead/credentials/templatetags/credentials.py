"""Small filters for the credential pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

register = template.Library()


@register.filter
def standing(licence: Any, today: dt.date) -> str:
    """A licence's standing on `today`: Active, Expired, Renewed, Corrected…"""
    return str(licence.standing(today))


@register.filter
def category_name(categories: dict[str, str], code: str) -> str:
    return categories.get(code, code)
