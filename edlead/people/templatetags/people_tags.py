"""Template helpers for the person page: which record-keeping buttons the viewer gets."""

from __future__ import annotations

from typing import Any

from django import template

from edlead.access import policy
from edlead.people.models import Position

register = template.Library()


@register.simple_tag(takes_context=True)
def person_edit_actions(context: Any, person: Any, current: list[Position]) -> dict[str, bool]:
    """The writes `request.user` may start from this page (1 query, none when they edit nobody): a
    button is shown only where the write is in scope."""
    user = context["request"].user
    if not policy.can(user, policy.PERSON_EDIT) or not policy.can(user, policy.PERSON_EDIT, person):
        return {}
    editable = [p for p in current if policy.can(user, policy.PERSON_EDIT, p.organization)]
    return {
        "correct": True,
        "start": True,
        "end": bool(editable),
        "transfer": any(p.role == Position.Role.PRINCIPAL for p in editable),
    }


@register.filter
def tenure_lower_bound(positions: list[Position]) -> bool:
    """Does any leadership position in `positions` count only a lower bound of its tenure?"""
    return any(p.role in Position.LEADER_ROLES and p.tenure_is_lower_bound for p in positions)
