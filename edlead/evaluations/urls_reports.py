"""District views of evaluation: completion, calibration, rating–outcome divergence, the ratings export."""

from django.urls import URLPattern, URLResolver, path

from edlead.evaluations import views_reports as views

app_name = "evaluation_reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.completion, name="completion"),
    path("calibration/", views.calibration, name="calibration"),
    path("divergence/", views.divergence, name="divergence"),
    path("ratings.csv", views.ratings_export, name="ratings-export"),
]
