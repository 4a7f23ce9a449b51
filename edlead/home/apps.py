from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "edlead.home"
    label = "home"

    def ready(self) -> None:
        from edlead.core import workqueue
        from edlead.home.queue import unconfirmed_principals, vacancies

        workqueue.register("vacancies", vacancies)
        workqueue.register("unconfirmed", unconfirmed_principals)
