"""Routes of the learning app's cohorts (added to edlead/learning/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
