from django.urls import URLPattern, URLResolver, path

from edlead.visits import views

app_name = "visits"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.visit_list, name="visit-list"),
    path("new/", views.visit_new, name="visit-new"),
    path("coverage/", views.coverage, name="coverage"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("<int:pk>/", views.visit_detail, name="visit"),
    path("<int:pk>/save/", views.visit_save, name="visit-save"),
    path("<int:pk>/tags/", views.visit_tags, name="visit-tags"),
    path("<int:pk>/steps/", views.step_add, name="step-add"),
    path("<int:pk>/release/", views.visit_release, name="visit-release"),
    path("<int:pk>/cancel/", views.visit_cancel, name="visit-cancel"),
    path("steps/<int:pk>/remove/", views.step_remove, name="step-remove"),
    path("steps/<int:pk>/done/", views.step_done, name="step-done"),
]
