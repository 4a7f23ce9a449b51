"""Routes of the learning app's modules (added to edlead/learning/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
