from django.urls import URLPattern, URLResolver, path

from edlead.plans import views, views_district

app_name = "plans"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.plan_list, name="plan-list"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/save/", views.plan_save, name="plan-save"),
    path("<int:pk>/goals/", views.goal_add, name="goal-add"),
    path("<int:pk>/team/", views.team_add, name="team-add"),
    path("<int:pk>/print/", views.plan_print, name="plan-print"),
    path("<int:pk>/plan.pdf", views.plan_pdf, name="plan-pdf"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version-detail"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal-edit"),
    path("goals/<int:pk>/strategies/", views.strategy_add, name="strategy-add"),
    path("goals/<int:pk>/benchmarks/", views.benchmark_add, name="benchmark-add"),
    path("goals/<int:pk>/progress/", views.progress_report, name="progress-report"),
    path("strategies/<int:pk>/steps/", views.step_add, name="step-add"),
    path("steps/<int:pk>/status/", views.step_status, name="step-status"),
    path("benchmarks/<int:pk>/mark/", views.benchmark_mark, name="benchmark-mark"),
    path("districts/<int:pk>/", views_district.district_strategy, name="district-strategy"),
    path("districts/<int:pk>/template/", views_district.template_open, name="district-template"),
    path("strategies/<int:pk>/objectives/", views_district.objective_add, name="objective-add"),
    path("objectives/<int:pk>/remove/", views_district.objective_remove, name="objective-remove"),
    # After the named pages above: a part of a plan removed, and the workflow steps (submit, return,
    # endorse, approve, reopen).
    path("<str:kind>/<int:pk>/remove/", views.part_remove, name="part-remove"),
    path("<int:pk>/<str:step>/", views.plan_act, name="plan-act"),
]
