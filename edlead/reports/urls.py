from django.urls import path

from edlead.reports import views

app_name = "reports"
urlpatterns = [
    path("performance/schools/<int:pk>/", views.school_performance_pdf, name="school-performance"),
    path("people/<int:pk>/", views.person_pdf, name="person"),
    path("people/<int:pk>/profile/", views.leader_profile, name="leader-profile"),
    path("people/<int:pk>/profile.pdf", views.leader_profile_pdf, name="leader-profile-pdf"),
]
