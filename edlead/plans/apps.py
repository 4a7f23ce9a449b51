"""School improvement plans (issue 12): district strategy, school plans, their workflow and progress."""

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "edlead.plans"
    label = "plans"
    verbose_name = "School improvement plans"

    def ready(self) -> None:
        from edlead import notices
        from edlead.core import workqueue
        from edlead.core.models import audit_verbs_register
        from edlead.plans import queue, services

        audit_verbs_register(services.AUDIT_VERBS)
        notices.register_kind(services.NOTICE_PLAN, "A school improvement plan moved to your desk")
        services.declare_settings()
        workqueue.register("plans", queue.items)
        from edlead.home import columns
        from edlead.plans import school_columns

        columns.register(school_columns.COLUMN)  # the supervisor's home: a column of each school's row
