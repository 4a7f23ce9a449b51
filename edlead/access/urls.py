from django.urls import path

from edlead.access import views

app_name = "access"
urlpatterns = [
    path("grants/", views.grant_list, name="grant-list"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant-revoke"),
    path("audit/", views.audit_list, name="audit-list"),
]
