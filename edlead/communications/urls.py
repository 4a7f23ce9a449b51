from django.urls import URLPattern, URLResolver, path

from edlead.communications import views_issues as issues
from edlead.communications import views_recognition as recognition
from edlead.communications import views_reflections as reflections

app_name = "communications"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", issues.archive, name="archive"),
    path("issues/new/", issues.issue_new, name="issue-new"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/edit/", issues.issue_edit, name="issue-edit"),
    path("issues/<int:pk>/publish/", issues.issue_publish, name="issue-publish"),
    path("subscriptions/", issues.subscriptions, name="subscriptions"),
    path("reflections/", reflections.reflection_list, name="reflection-list"),
    path("reflections/new/", reflections.reflection_new, name="reflection-new"),
    path("reflections/<int:pk>/", reflections.reflection_detail, name="reflection-detail"),
    path("reflections/<int:pk>/edit/", reflections.reflection_edit, name="reflection-edit"),
    path("reflections/<int:pk>/<str:action>/", reflections.reflection_action, name="reflection-action"),
    path("recognition/", recognition.program_list, name="program-list"),
    path("recognition/new/", recognition.program_new, name="program-new"),
    path("recognition/<int:pk>/", recognition.program_detail, name="program-detail"),
    path("recognition/<int:pk>/edit/", recognition.program_edit, name="program-edit"),
    path("recognition/<int:pk>/panel/", recognition.program_panel_add, name="program-panel-add"),
    path(
        "recognition/<int:pk>/panel/<int:person_pk>/remove/",
        recognition.program_panel_remove,
        name="program-panel-remove",
    ),
    path("nominations/<int:pk>/", recognition.nomination_detail, name="nomination-detail"),
    path("nominations/<int:pk>/<str:decision>/", recognition.nomination_decide, name="nomination-decide"),
    path("person/<int:pk>/awards/", recognition.person_awards, name="person-awards"),
]
