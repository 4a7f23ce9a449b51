from django.urls import URLPattern, URLResolver, path

from edlead.support import views

app_name = "support"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.request_list, name="request-list"),
    path("new/", views.request_new, name="request-new"),
    path("<int:pk>/", views.request_detail, name="request-detail"),
    path("<int:pk>/<str:step>/", views.request_act, name="request-act"),
    path("districts/<int:pk>/", views.district_departments, name="district-departments"),
    path("districts/<int:pk>/<slug:slug>/", views.department_detail, name="department-detail"),
    path("responders/<int:pk>/end/", views.responder_end, name="responder-end"),
]
