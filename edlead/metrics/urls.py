from django.urls import path

from edlead.metrics import views, views_district

app_name = "metrics"
urlpatterns = [
    path("schools/<int:pk>/", views.school_performance, name="school"),
    path("compare/<int:pk>/", views.compare, name="compare"),
    path("leaders/<int:pk>/", views.leader, name="leader"),
    path("leaders/<int:pk>/summary/", views.leader_summary, name="leader-summary"),
    path("retention/<int:pk>/", views.retention, name="retention"),
    path("districts/<int:pk>/", views_district.district_performance, name="district"),
    path("state/<int:pk>/", views_district.state_overview, name="state"),
    path("schools/<int:pk>/monthly/", views_district.school_monthly_view, name="school-monthly"),
    path("districts/<int:pk>/monthly/", views_district.district_monthly_view, name="district-monthly"),
]
