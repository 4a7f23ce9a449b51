from django.urls import path

from edlead.credentials import views, views_compliance, views_hiring, views_home, views_plans, views_postings

app_name = "credentials"

urlpatterns = [
    path("", views.my_licences, name="my-licences"),
    path("home/", views_home.home_licences, name="home-licences"),
    path("people/<int:pk>/part/", views_home.person_licences, name="person-licences"),
    path("people/<int:pk>/", views.person_credentials, name="person-credentials"),
    path("people/<int:pk>/licences/add/", views.licence_add, name="licence-add"),
    path("people/<int:pk>/activities/add/", views.activity_add, name="activity-add"),
    path("licences/<int:pk>/", views.licence_detail, name="licence-detail"),
    path("licences/<int:pk>/renew/", views.licence_renew, name="licence-renew"),
    path("licences/<int:pk>/correct/", views.licence_correct, name="licence-correct"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("people/<int:pk>/plans/add/", views_plans.plan_add, name="plan-add"),
    path("plans/<int:pk>/", views_plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/save/", views_plans.plan_save, name="plan-save"),
    path("plans/<int:pk>/activities/", views_plans.plan_activity_add, name="plan-activity-add"),
    path(
        "plans/<int:pk>/activities/<int:activity>/remove/",
        views_plans.plan_activity_remove,
        name="plan-activity-remove",
    ),
    path("plans/<int:pk>/<slug:step>/", views_plans.plan_step, name="plan-step"),
    # Postings, eligibility and compliance (views_postings.py, views_compliance.py).
    path("postings/", views_postings.posting_list, name="posting-list"),
    path("postings/<int:pk>/", views_postings.posting_detail, name="posting-detail"),
    path("postings/<int:pk>/fill/", views_postings.posting_fill, name="posting-fill"),
    path("districts/<int:pk>/postings/add/", views_postings.posting_add, name="posting-add"),
    path("districts/<int:pk>/bench/", views_postings.bench, name="bench"),
    path("districts/<int:pk>/requirements/", views_postings.role_requirements, name="role-requirements"),
    path("people/<int:pk>/roles/", views_postings.person_roles, name="person-roles"),
    path("compliance/", views_compliance.compliance_page, name="compliance"),
    # Hiring advice (views_hiring.py): the slate and the supervisors' notes, exported for the superintendent.
    path("hiring/", views_hiring.advice_list, name="hiring-list"),
    path("postings/<int:pk>/hiring/", views_hiring.advice, name="hiring-advice"),
    path("postings/<int:pk>/hiring.csv", views_hiring.advice_csv, name="hiring-csv"),
    path("postings/<int:pk>/hiring.pdf", views_hiring.advice_pdf, name="hiring-pdf"),
]
