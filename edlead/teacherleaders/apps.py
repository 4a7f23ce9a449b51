"""Teacher leadership (issue 13)."""

from django.apps import AppConfig


class TeacherleadersConfig(AppConfig):
    name = "edlead.teacherleaders"
    label = "teacherleaders"
    verbose_name = "Teacher leadership"

    def ready(self) -> None:
        from edlead import notices
        from edlead.access import groups
        from edlead.core import workqueue
        from edlead.core.models import audit_verbs_register
        from edlead.people import panels
        from edlead.teacherleaders import queue, rules, services
        from edlead.teacherleaders.models import LeadershipBody

        rules.declare()
        audit_verbs_register(services.AUDIT_VERBS)
        for key, label in services.NOTICES.items():
            notices.register_kind(key, label, notices.IMMEDIATE)
        workqueue.register(queue.SOURCE, queue.items)
        # A part of the person's record page: the catalog roles they hold and have held.
        panels.register(panels.Panel("teacherleader", "teacherleaders:person-roles", 40))

        def _names(keys: list[str]) -> dict[str, tuple[str, str]]:
            # "Member of …" on a person's access page names the body and links to it.
            return {
                b.group_key: (b.name, b.get_absolute_url())
                for b in LeadershipBody.objects.filter(group_key__in=keys)
            }

        groups.register("leadership", _names)
