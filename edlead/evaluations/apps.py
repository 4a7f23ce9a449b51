"""Educator evaluation (603 CMR 35.00): rubric frameworks as data; the cycle builds on them."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_defaults(sender: Any, **kwargs: Any) -> None:
    migrated = kwargs.get("apps")
    if migrated is not None:
        try:
            migrated.get_model("evaluations", "Descriptor")
        except LookupError:  # migrated to a point before this app's tables
            return
    from edlead.evaluations.services import load_default_frameworks

    load_default_frameworks()


class EvaluationsConfig(AppConfig):
    name = "edlead.evaluations"
    label = "evaluations"
    verbose_name = "Educator evaluation"

    def ready(self) -> None:
        # The default rubrics are data in edlead/evaluations/data/; like the metric catalog, every
        # `migrate` loads those the state lacks (never touching one it has), so the test database and a
        # fresh install always have them.
        post_migrate.connect(_load_defaults, sender=self, dispatch_uid="edlead.evaluations.defaults")
        from edlead.access import policy
        from edlead.core import navigation
        from edlead.core.models import audit_verbs_register
        from edlead.core.services import audit_scope_register
        from edlead.evaluations.services import AUDIT_VERBS

        audit_verbs_register(AUDIT_VERBS)
        # A district's copy concerns the district; the state's frameworks no district in particular.
        audit_scope_register(
            "evaluations.framework", lambda f: [f.organization.path] if f.organization_id else []
        )
        navigation.register_admin_link(
            "Evaluation frameworks",
            "evaluations:framework-list",
            lambda u: policy.can(u, policy.FRAMEWORK_MANAGE),
            order=45,
        )
        from edlead.evaluations.kinds import FrameworkRubric
        from edlead.imports.kinds import register

        register(FrameworkRubric)
