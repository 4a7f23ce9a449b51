from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "edlead.imports"
    label = "imports"

    def ready(self) -> None:
        from edlead.core import workqueue
        from edlead.imports.queue import import_items

        workqueue.register("imports", import_items)
        from edlead import schedules
        from edlead.imports.tasks import import_housekeeping_task

        schedules.register(
            "imports.housekeeping",
            cron="15 * * * *",
            task=import_housekeeping_task,
            description="Deletes uploads of previews nobody applied and marks failed the imports whose worker stopped.",
        )
