"""Communications (issue 13): the state's and districts' "top three" newsletters, reflection pieces and
recognition programs."""

from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "edlead.communications"
    label = "communications"
    verbose_name = "Communications"

    def ready(self) -> None:
        from edlead import notices
        from edlead.access import groups
        from edlead.communications import queue, rules, services
        from edlead.core import workqueue
        from edlead.core.models import audit_verbs_register
        from edlead.core.services import audit_scope_register, audit_subject_register
        from edlead.people import panels

        rules.declare()
        audit_verbs_register(services.AUDIT_VERBS)
        for key, label in services.NOTICES.items():
            notices.register_kind(key, label, notices.IMMEDIATE)
        workqueue.register(queue.SOURCE, queue.items)
        groups.register("recognition-panel", _panel_names)
        audit_scope_register("communications.nomination", lambda n: [n.program.organization.path])
        audit_scope_register("communications.award", lambda a: [a.program.organization.path])
        audit_subject_register("communications.award", lambda a: a.person_id)
        # The person's record shows their recognition awards (public to everyone who can open the record).
        panels.register(panels.Panel("awards", "communications:person-awards", 60))


def _panel_names(keys: list[str]) -> dict[str, tuple[str, str]]:
    from edlead.communications.models import RecognitionProgram

    ids = [int(k.split(":", 1)[1]) for k in keys if k.split(":", 1)[1].isdigit()]
    return {
        p.panel_key: (f"Review panel: {p.name}", p.get_absolute_url())
        for p in RecognitionProgram.objects.filter(pk__in=ids)
    }
