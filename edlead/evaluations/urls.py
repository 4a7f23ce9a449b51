from django.urls import URLPattern, URLResolver, path

from edlead.evaluations import views

app_name = "evaluations"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.framework_list, name="framework-list"),
    path("import/", views.framework_import, name="framework-import"),
    path("<int:pk>/", views.framework_detail, name="framework-detail"),
    path("<int:pk>/export.json", views.framework_export_json, name="framework-export-json"),
    path("<int:pk>/export.csv", views.framework_export_csv, name="framework-export-csv"),
    path("<int:pk>/copy/", views.framework_copy, name="framework-copy"),
    path("<int:pk>/edit/", views.framework_edit, name="framework-edit"),
    path("<int:pk>/publish/", views.framework_publish, name="framework-publish"),
    path("<int:pk>/retire/", views.framework_retire, name="framework-retire"),
    path("<int:pk>/delete/", views.framework_delete, name="framework-delete"),
    path("<int:pk>/standards/add/", views.standard_add, name="standard-add"),
    path("standards/<int:pk>/", views.standard_edit, name="standard-edit"),
    path("standards/<int:pk>/indicators/add/", views.indicator_add, name="indicator-add"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/elements/add/", views.element_add, name="element-add"),
    path("elements/<int:pk>/", views.element_edit, name="element-edit"),
]
