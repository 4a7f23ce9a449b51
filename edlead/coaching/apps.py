"""Coaching and mentoring (issue 12, item 3): relationships, cycles, session logs with private notes,
hours toward induction, and mentor matching for new principals."""

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "edlead.coaching"
    label = "coaching"
    verbose_name = "Coaching and mentoring"

    def ready(self) -> None:
        from edlead import notices
        from edlead.coaching import queue, rules, services
        from edlead.core import navigation, workqueue
        from edlead.core.models import audit_verbs_register
        from edlead.core.services import audit_scope_register, audit_subject_register
        from edlead.people.apps import person_audit_scope

        audit_verbs_register(services.AUDIT_VERBS)
        audit_scope_register(
            "coaching.coachingrelationship",
            lambda rel: [rel.organization.path, *person_audit_scope(rel.coachee)],
        )
        audit_subject_register("coaching.coachingrelationship", lambda rel: rel.coachee_id)
        rules.declare()
        services.declare_settings()
        notices.register_kind(services.NOTICE_MENTOR, "A mentor or a mentee was assigned to you")
        workqueue.register(queue.SOURCE, queue.items)
        navigation.register_admin_link(
            "Mentor matching", "coaching:matching", services.may_assign_anywhere, order=70
        )
        from edlead.coaching import school_columns
        from edlead.home import columns

        columns.register(school_columns.COLUMN)  # the supervisor's home: a column of each school's row
