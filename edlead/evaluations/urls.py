from django.urls import URLPattern, URLResolver, path

from edlead.evaluations import views, views_caseload, views_cycle

app_name = "evaluations"
urlpatterns: list[URLPattern | URLResolver] = [
    path("frameworks/", views.framework_list, name="framework-list"),
    path("frameworks/import/", views.framework_import, name="framework-import"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework-detail"),
    path("frameworks/<int:pk>/export.json", views.framework_export_json, name="framework-export-json"),
    path("frameworks/<int:pk>/export.csv", views.framework_export_csv, name="framework-export-csv"),
    path("frameworks/<int:pk>/copy/", views.framework_copy, name="framework-copy"),
    path("frameworks/<int:pk>/edit/", views.framework_edit, name="framework-edit"),
    path("frameworks/<int:pk>/publish/", views.framework_publish, name="framework-publish"),
    path("frameworks/<int:pk>/retire/", views.framework_retire, name="framework-retire"),
    path("frameworks/<int:pk>/delete/", views.framework_delete, name="framework-delete"),
    path("frameworks/<int:pk>/standards/add/", views.standard_add, name="standard-add"),
    path("frameworks/standards/<int:pk>/", views.standard_edit, name="standard-edit"),
    path("frameworks/standards/<int:pk>/indicators/add/", views.indicator_add, name="indicator-add"),
    path("frameworks/indicators/<int:pk>/", views.indicator_edit, name="indicator-edit"),
    path("frameworks/indicators/<int:pk>/elements/add/", views.element_add, name="element-add"),
    path("frameworks/elements/<int:pk>/", views.element_edit, name="element-edit"),
    path("cycles/", views_cycle.cycle_list, name="cycle-list"),
    path("caseload/", views_caseload.caseload_view, name="caseload"),
    path("cycles/<int:pk>/", views_cycle.cycle_detail, name="cycle-detail"),
    path("cycles/<int:pk>/evaluation.pdf", views_cycle.cycle_pdf, name="cycle-pdf"),
    path("cycles/<int:pk>/act/<slug:action>/", views_cycle.cycle_action, name="cycle-action"),
]
