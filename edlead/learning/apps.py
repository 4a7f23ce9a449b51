"""Professional learning (issue 11): the catalog of programs, sessions, registration with a waitlist."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_competencies(sender: Any, **kwargs: Any) -> None:
    from edlead.learning.services import load_competencies

    load_competencies()


class LearningConfig(AppConfig):
    name = "edlead.learning"
    label = "learning"
    verbose_name = "Professional learning"

    def ready(self) -> None:
        from edlead import notices
        from edlead.core.models import audit_verbs_register
        from edlead.core.services import audit_scope_register, audit_subject_register
        from edlead.learning import services
        from edlead.people.apps import person_audit_scope

        audit_verbs_register(services.AUDIT_VERBS)
        audit_subject_register("learning.enrollment", lambda r: r.person_id)
        audit_scope_register("learning.enrollment", lambda r: person_audit_scope(r.person))
        notices.register_kind(services.NOTICE_SEAT, "A seat came free in a session", notices.IMMEDIATE)
        post_migrate.connect(_load_competencies, sender=self, dispatch_uid="edlead.learning.competencies")
