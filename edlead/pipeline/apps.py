"""The leadership pipeline (issue 13, items 1–3): the aspiring-leader pool, preparation programs and
practicums, applications to postings, the succession view and outcomes by preparation program."""

from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "edlead.pipeline"
    label = "pipeline"
    verbose_name = "Leadership pipeline"

    def ready(self) -> None:
        from edlead import notices
        from edlead.core import workqueue
        from edlead.core.models import audit_verbs_register
        from edlead.pipeline import queue, rules, services

        rules.declare()
        audit_verbs_register(services.AUDIT_VERBS)
        for key, label in services.NOTICES.items():
            notices.register_kind(key, label, notices.IMMEDIATE)
        workqueue.register(queue.SOURCE, queue.items)
