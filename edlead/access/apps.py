from typing import Any

from django.apps import AppConfig


def user_audit_scope(user: Any) -> list[str]:
    """An event about an account concerns its person's organizations and where it holds roles."""
    from edlead.access.models import RoleGrant
    from edlead.people.apps import person_audit_scope

    paths = list(
        RoleGrant.objects.filter(user=user, revoked_at__isnull=True).values_list(
            "organization__path", flat=True
        )
    )
    if user.person_id:
        paths += person_audit_scope(user.person)
    return paths


class AccessConfig(AppConfig):
    name = "edlead.access"
    label = "access"

    def ready(self) -> None:
        from edlead.access import policy
        from edlead.core import navigation

        navigation.register_admin_link(
            "Roles", "access:grant-list", lambda u: policy.can(u, policy.ROLE_MANAGE), order=20
        )
        navigation.register_admin_link(
            "Audit log", "access:audit-list", lambda u: policy.can(u, policy.AUDIT_VIEW), order=90
        )
        from edlead.core.services import audit_scope_register

        audit_scope_register("access.user", user_audit_scope)
        audit_scope_register("access.rolegrant", lambda g: [g.organization.path])
        from edlead.access.services import RELATIONSHIP_VERBS
        from edlead.core.models import audit_verbs_register

        audit_verbs_register(RELATIONSHIP_VERBS)
        from edlead.access.queue import relationship_items
        from edlead.core import workqueue

        workqueue.register("relationships", relationship_items)
