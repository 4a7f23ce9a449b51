from django.urls import path

from edlead.reports import views

app_name = "reports"
urlpatterns = [
    path("performance/schools/<int:pk>/", views.school_performance_pdf, name="school-performance"),
    path("people/<int:pk>/", views.person_pdf, name="person"),
]
