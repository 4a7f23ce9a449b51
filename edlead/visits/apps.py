"""School visits and observations (shared by evaluation and supervision)."""

from typing import Any

from django.apps import AppConfig


def evaluative_visit_categories(cycle_ids: list[int]) -> dict[int, set[int]]:
    """Evidence categories that evaluative visits with released feedback give their cycles (category 2:
    observations of practice)."""
    from edlead.visits.models import Visit

    rows = Visit.objects.filter(
        cycle_id__in=cycle_ids, evaluative=True, feedback_released_at__isnull=False
    ).values_list("cycle_id", flat=True)
    out: dict[int, set[int]] = {}
    for cycle_id in rows:
        out.setdefault(cycle_id, set()).add(2)
    return out


class VisitsConfig(AppConfig):
    name = "edlead.visits"
    label = "visits"
    verbose_name = "School visits"

    def ready(self) -> None:
        from edlead import notices
        from edlead.access import policy
        from edlead.access.models import Relationship, RoleGrant
        from edlead.core.models import audit_verbs_register
        from edlead.core.services import audit_subject_register
        from edlead.evaluations.services_cycle import evidence_source_register
        from edlead.visits import services
        from edlead.visits.models import Visit

        policy.declare(
            Visit,
            services.VISIT_VIEW,
            policy.Rule(
                person="educator",
                relationships=frozenset({Relationship.Kind.EVALUATOR}),
                chain=True,
                roles=frozenset({RoleGrant.Role.HR}),
                label="A visit: the educator visited, their evaluator, their supervision chain, HR",
            ),
        )
        audit_verbs_register(services.AUDIT_VERBS)
        subject: Any = lambda v: v.educator_id  # noqa: E731
        audit_subject_register("visits.visit", subject)
        notices.register_kind(services.NOTICE_FEEDBACK, "Visit feedback", notices.IMMEDIATE)
        notices.register_kind(services.NOTICE_SCHEDULED, "A visit to your school scheduled")
        services.declare_settings()
        evidence_source_register("visits", evaluative_visit_categories)
        from edlead.home import columns
        from edlead.visits import school_columns

        columns.register(school_columns.COLUMN)
        from edlead.core import workqueue
        from edlead.visits import queue

        workqueue.register("visits", queue.items)  # the supervisor's home: a column of each school's row
