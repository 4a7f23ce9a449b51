from typing import Any

from django.apps import AppConfig


def person_audit_scope(person: Any) -> list[str]:
    """An event about a person concerns the organizations they work in now (all they ever worked
    in, when they work nowhere now)."""
    from edlead.people.models import Position

    rows = list(
        Position.objects.filter(person=person).values_list("organization__path", "ends_on", "starts_on")
    )
    import datetime as dt

    today = dt.date.today()
    current = [
        p
        for p, ends, starts in rows
        if (ends is None or ends >= today) and (starts is None or starts <= today)
    ]
    return current or [p for p, _, _ in rows]


class PeopleConfig(AppConfig):
    name = "edlead.people"
    label = "people"

    def ready(self) -> None:
        from edlead.core.services import audit_scope_register

        audit_scope_register("people.person", person_audit_scope)
        from edlead.core.services import audit_subject_register

        audit_subject_register("people.position", lambda pos: pos.person_id)
        audit_scope_register(
            "people.position", lambda pos: [pos.organization.path, *person_audit_scope(pos.person)]
        )
        from edlead.people.requests import plug_in

        plug_in()  # correction requests: access rules, audit verbs, work queue; the departments setting
