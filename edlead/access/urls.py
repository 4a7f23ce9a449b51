from django.urls import path

from edlead.access import views

app_name = "access"
urlpatterns = [
    path("grants/", views.grant_list, name="grant-list"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant-revoke"),
    path("audit/", views.audit_list, name="audit-list"),
    path("my-record/", views.record_views, name="record-views"),
    path("relationships/add/<int:person_pk>/", views.relationship_add, name="relationship-add"),
    path("relationships/<int:pk>/end/", views.relationship_end, name="relationship-end"),
]
