from django.urls import path

from edlead.metrics import views

app_name = "metrics"
urlpatterns = [
    path("schools/<int:pk>/", views.school_performance, name="school"),
    path("compare/<int:pk>/", views.compare, name="compare"),
    path("leaders/<int:pk>/", views.leader, name="leader"),
    path("leaders/<int:pk>/summary/", views.leader_summary, name="leader-summary"),
    path("retention/<int:pk>/", views.retention, name="retention"),
]
