"""Notifications: the in-app inbox and e-mail (immediately, daily digest or off)."""

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "edlead.notices"
    label = "notices"

    def ready(self) -> None:
        from edlead import schedules
        from edlead.core.models import audit_verbs_register
        from edlead.notices.tasks import notices_digest_task

        audit_verbs_register({"notice_preference_changed": "Notification preference changed"})
        schedules.register(
            "notices.daily_digest",
            cron="0 6 * * *",
            task=notices_digest_task,
            description="E-mails each person one digest of the notices they chose to get daily.",
        )
