from django.urls import URLPattern, URLResolver, path

from edlead.coaching import views

app_name = "coaching"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.relationship_list, name="relationship-list"),
    path("<int:pk>/", views.relationship_detail, name="relationship-detail"),
    path("<int:pk>/sessions/", views.session_log, name="session-log"),
    path("<int:pk>/cycles/", views.cycle_add, name="cycle-add"),
    path("<int:pk>/end/", views.relationship_end, name="relationship-end"),
    path("cycles/<int:pk>/goals/", views.goal_add, name="goal-add"),
    path("goals/<int:pk>/status/", views.goal_status, name="goal-status"),
    path("sessions/<int:pk>/share/", views.session_share, name="session-share"),
    path("matching/", views.matching_page, name="matching"),
    path("matching/confirm/", views.matching_confirm, name="matching-confirm"),
]
