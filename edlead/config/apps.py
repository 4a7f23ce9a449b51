"""District settings with defaults in code and a per-state layer."""

from django.apps import AppConfig


def declare_platform_settings() -> None:
    """Settings of the shared platform (work queue, reminders, targets, the evaluation calendar).
    An app declares its own the same way from its ready(); the evaluation app takes over the
    evaluation ones when it lands."""
    from edlead import config

    config.register(
        "workqueue.due_soon_days",
        "“Due soon” window (days)",
        config.INT,
        14,
        "An item in a work queue is “due soon” this many days before its due date.",
        section="Work queue",
        minimum=1,
        maximum=120,
    )
    config.register(
        "reminders.days_before_due",
        "Reminders before a due date (days)",
        config.LIST,
        [14, 3],
        "Days before a due date on which people are reminded, separated by commas (e.g. 14, 3).",
        section="Reminders",
        item=config.INT,
    )
    config.register(
        "targets.principal_retention_pct",
        "Principal retention target (%)",
        config.INT,
        85,
        "The share of principals the district aims to keep from one year to the next.",
        section="Targets",
        minimum=0,
        maximum=100,
    )
    config.register(
        "evaluation.cycle_starts",
        "Evaluation year starts",
        config.DATE_OF_YEAR,
        "09-01",
        "Month and day (MM-DD) on which the evaluation year begins.",
        section="Evaluation cycle",
    )
    config.register(
        "evaluation.summative_due",
        "Summative evaluations due",
        config.DATE_OF_YEAR,
        "06-01",
        "Month and day (MM-DD) by which the year's summative evaluations are complete.",
        section="Evaluation cycle",
    )
    config.register(
        "evaluation.rating_scale",
        "Performance ratings",
        config.LIST,
        ["Exemplary", "Proficient", "Needs improvement", "Unsatisfactory"],
        "The ratings an evaluation may give, highest first, one per line (603 CMR 35.00).",
        level=config.STATE,
        section="Evaluation cycle",
    )


class ConfigConfig(AppConfig):
    name = "edlead.config"
    label = "config"
    verbose_name = "District settings"

    def ready(self) -> None:
        from edlead.access import policy
        from edlead.core import navigation

        # Edit: ORG_MANAGE; read-only: superintendents (AUDIT_VIEW).
        navigation.register_admin_link(
            "District settings",
            "config:home",
            lambda u: policy.can(u, policy.ORG_MANAGE) or policy.can(u, policy.AUDIT_VIEW),
            order=40,
        )
        from edlead.config.services import AUDIT_VERBS
        from edlead.core.models import audit_verbs_register

        audit_verbs_register(AUDIT_VERBS)
        declare_platform_settings()
