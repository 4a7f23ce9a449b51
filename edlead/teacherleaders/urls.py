from django.urls import URLPattern, URLResolver, path

from edlead.teacherleaders import views_bodies, views_guide, views_person, views_roles

app_name = "teacherleaders"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_roles.role_list, name="role-list"),
    path("roles/<int:pk>/", views_roles.role_detail, name="role-detail"),
    path("districts/<int:district>/roles/new/", views_roles.role_form, name="role-new"),
    path("districts/<int:district>/roles/<int:pk>/edit/", views_roles.role_form, name="role-edit"),
    path("people/<int:pk>/roles/", views_person.person_roles, name="person-roles"),
    path("assignments/<int:pk>/end/", views_roles.assignment_end, name="assignment-end"),
    path("distributed-leadership/", views_guide.plan_list, name="plan-list"),
    path("distributed-leadership/new/", views_guide.plan_create, name="plan-create"),
    path("distributed-leadership/<int:pk>/", views_guide.plan_detail, name="plan-detail"),
    path("distributed-leadership/<int:pk>/ratings/", views_guide.ratings_save, name="plan-rate"),
    path("distributed-leadership/<int:pk>/actions/", views_guide.action_add, name="action-add"),
    path("actions/<int:pk>/progress/", views_guide.action_progress, name="action-progress"),
    path("bodies/", views_bodies.body_list, name="body-list"),
    path("bodies/new/", views_bodies.body_create, name="body-create"),
    path("bodies/<int:pk>/", views_bodies.body_detail, name="body-detail"),
    path("bodies/<int:pk>/members/", views_bodies.member_add, name="member-add"),
    path("members/<int:pk>/end/", views_bodies.member_end, name="member-end"),
    path("bodies/<int:pk>/meetings/", views_bodies.meeting_add, name="meeting-add"),
    path("meetings/<int:pk>/edit/", views_bodies.meeting_edit, name="meeting-edit"),
    path("bodies/<int:pk>/decisions/", views_bodies.decision_add, name="decision-add"),
    path("decisions/<int:pk>/", views_bodies.decision_update, name="decision-update"),
    path("bodies/<int:pk>/report/<int:year>/", views_bodies.body_report, name="body-report"),
    path("bodies/<int:pk>/report/<int:year>/pdf/", views_bodies.body_report_pdf, name="body-report-pdf"),
]
