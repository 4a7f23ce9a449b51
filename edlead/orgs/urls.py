from django.urls import path

from edlead.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.organization_list, name="organization-list"),
    path("<int:pk>/", views.organization_detail, name="organization-detail"),
    path("<int:pk>/schools.csv", views.district_schools_export, name="district-schools-export"),
    path("<int:pk>/manage/", views.district_manage, name="district-manage"),
    path("<int:pk>/manage/overrides/<int:school_pk>/end/", views.override_end, name="override-end"),
]
