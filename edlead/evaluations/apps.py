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
        from edlead.evaluations.ratings import FinalRatings

        register(FinalRatings)
        from edlead.evaluations.selectors_reports import reports_allowed

        navigation.register_admin_link(
            "Evaluation completion", "evaluation_reports:completion", reports_allowed, order=46
        )
        plug_in_cycle()
        from edlead.evaluations import school_columns
        from edlead.home import columns

        columns.register(school_columns.COLUMN)  # the supervisor's home: each principal's evaluation
        from edlead.evaluations import profile_lines
        from edlead.reports import profile

        profile.register(profile_lines.SECTION)  # the one-page leader profile


def plug_in_cycle() -> None:
    """The evaluation cycle's hooks on the platform: who may read it, audit verbs and subjects, files,
    notices, district settings, the work queue and the daily reminders."""
    from edlead import notices, schedules
    from edlead.access import policy
    from edlead.access.models import Relationship, RoleGrant
    from edlead.core import workqueue
    from edlead.core.models import audit_verbs_register
    from edlead.core.services import audit_scope_register, audit_subject_register
    from edlead.evaluations import deadlines
    from edlead.evaluations import services_cycle as sc
    from edlead.evaluations.models import Cycle, Evidence
    from edlead.evaluations.tasks import cycle_reminders_task
    from edlead.files.registry import attachable_register

    evaluator = frozenset({Relationship.Kind.EVALUATOR})
    hr = frozenset({RoleGrant.Role.HR})
    # Evaluation data are personnel records (DOMAIN.md §3): the educator, their evaluator, their
    # supervision chain and HR of their district; never a role on the school alone.
    policy.declare(
        Cycle,
        sc.CYCLE_VIEW,
        policy.Rule(
            person="educator",
            relationships=evaluator,
            chain=True,
            roles=hr,
            label="An evaluation: the educator, their evaluator, their supervision chain, HR",
        ),
    )
    policy.declare(
        Cycle,
        sc.CYCLE_MANAGE,
        policy.Rule(
            person="educator",
            owner=False,
            roles=frozenset({RoleGrant.Role.HR, RoleGrant.Role.DISTRICT_ADMIN}),
            label="Opening evaluations, choosing evaluators, reopening: HR and district administrators",
        ),
    )
    policy.declare(
        Evidence,
        sc.EVIDENCE_VIEW,
        policy.Rule(
            person="cycle__educator",
            relationships=evaluator,
            chain=True,
            roles=hr,
            label="Evaluation evidence: as the evaluation",
        ),
    )
    policy.declare(
        Evidence,
        sc.EVIDENCE_EDIT,
        policy.Rule(
            person="cycle__educator",
            relationships=evaluator,
            label="Adding evidence: the educator and evaluator",
        ),
    )
    attachable_register(Evidence, view_action=sc.EVIDENCE_VIEW, edit_action=sc.EVIDENCE_EDIT)
    audit_verbs_register(sc.AUDIT_VERBS)
    audit_subject_register("evaluations.cycle", lambda c: c.educator_id)
    audit_subject_register("evaluations.evidence", lambda e: e.cycle.educator_id)
    # Evidence has no organization of its own: events about it (attachments added, downloaded) concern
    # the cycle's school, so they show in that district's audit log.
    audit_scope_register("evaluations.evidence", lambda e: [e.cycle.organization.path])
    notices.register_kind(sc.NOTICE_CYCLE, "Evaluation steps", notices.IMMEDIATE)
    notices.register_kind(sc.NOTICE_DUE, "Evaluation due dates", notices.IMMEDIATE)
    deadlines.declare_settings()
    workqueue.register("evaluations", deadlines.cycle_items)
    schedules.register(
        "evaluations.reminders",
        cron="0 6 * * *",
        task=cycle_reminders_task,
        description="Reminds educators and evaluators of evaluation steps due soon or overdue.",
    )
