"""Panels the access app adds to other apps' pages: a person's working relationships."""

from __future__ import annotations

from typing import Any

from django import template

from edlead.access import selectors

register = template.Library()


@register.inclusion_tag("access/_relationships.html", takes_context=True)
def relationships_panel(context: dict[str, Any], person: Any) -> dict[str, Any]:
    """Who is evaluator, coach or mentor of `person`, and whom they are these for (two queries), with the
    forms to record or end one for those who manage relationships in the person's district."""
    request = context["request"]
    panel = selectors.relationships_of(request.user, person)
    return {**panel, "person": person, "request": request, "csrf_token": context.get("csrf_token")}
