from django.urls import URLPattern, URLResolver, path

from edlead.pipeline import views, views_practicum, views_programs

app_name = "pipeline"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("me/demographics/", views.demographics, name="demographics"),
    path("entries/<int:pk>/", views.entry, name="entry"),
    path("districts/<int:pk>/pool/", views.pool, name="pool"),
    path("districts/<int:pk>/succession/", views.succession, name="succession"),
    path("districts/<int:pk>/programs/", views.outcomes, name="outcomes"),
    path("schools/<int:pk>/successors/", views.successor_add, name="successor-add"),
    path("successors/<int:pk>/remove/", views.successor_remove, name="successor-remove"),
    path("programs/", views_programs.program_list, name="program-list"),
    path("programs/new/", views_programs.program_form, name="program-new"),
    path("programs/<int:pk>/edit/", views_programs.program_form, name="program-edit"),
    path("placements/<int:pk>/", views_practicum.placement, name="placement"),
    path("postings/<int:pk>/apply/", views_practicum.apply, name="apply"),
    path("postings/<int:pk>/applicants/", views_practicum.applicants, name="applicants"),
    path("applications/<int:pk>/withdraw/", views_practicum.withdraw, name="withdraw"),
]
