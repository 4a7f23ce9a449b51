"""District views of evaluation: completion, calibration, rating–outcome divergence, the ratings export."""

from django.urls import URLPattern, URLResolver

app_name = "evaluation_reports"
urlpatterns: list[URLPattern | URLResolver] = []
