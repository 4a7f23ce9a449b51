"""Readers for notices: a person's inbox, their unread count and their delivery choices."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from edlead.notices.models import Notice, NoticePreference
from edlead.notices.registry import kinds
from edlead.people.models import Person


def inbox_for(person_id: int | None) -> QuerySet[Notice]:
    """The person's notices, unread first, newest first within each (none without a person)."""
    if person_id is None:
        return Notice.objects.none()
    return (
        Notice.objects.filter(person_id=person_id)
        .annotate(
            read_order=Case(
                When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("read_order", "-created_at", "-id")
    )


def unread_count(person_id: int | None) -> int:
    """One query (none for an account without a person)."""
    if person_id is None:
        return 0
    return Notice.objects.filter(person_id=person_id, read_at__isnull=True).count()


def preferences_for(person: Person) -> dict[str, str]:
    """kind key → the person's delivery for it (their choice, else the kind's default)."""
    chosen = dict(NoticePreference.objects.filter(person=person).values_list("kind", "delivery"))
    return {k.key: chosen.get(k.key, k.default_delivery) for k in kinds()}
