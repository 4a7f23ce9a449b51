"""Department support (issue 12, item 5): requests from schools to the district's departments."""

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "edlead.support"
    label = "support"
    verbose_name = "Department support"

    def ready(self) -> None:
        from edlead import notices, schedules
        from edlead.access import groups
        from edlead.core import workqueue
        from edlead.core.models import audit_verbs_register
        from edlead.support import departments, queue, rules, services
        from edlead.support.tasks import support_escalation_task

        rules.declare()
        audit_verbs_register(services.AUDIT_VERBS)
        for key, label in services.NOTICES.items():
            notices.register_kind(key, label, notices.IMMEDIATE)
        services.declare_settings()
        workqueue.register(queue.SOURCE, queue.items)
        groups.register(departments.PREFIX, departments.group_names)
        schedules.register(
            "support.escalation",
            cron="*/15 * * * *",
            task=support_escalation_task,
            description="Escalates safety and crisis requests nobody has answered in time: to the school's "
            "supervisor, then the superintendent.",
        )
        from edlead.home import columns
        from edlead.support import school_columns

        columns.register(school_columns.COLUMN)  # the supervisor's home: a column of each school's row
