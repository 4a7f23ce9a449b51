from django.urls import path

from edlead.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("mine/", views.my_learning, name="mine"),
    path("programs/<int:pk>/", views.program_detail, name="program-detail"),
    path("sessions/<int:pk>/register/", views.session_register, name="session-register"),
    path("enrollments/<int:pk>/cancel/", views.enrollment_cancel, name="enrollment-cancel"),
]
