"""URL routes: one include per app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("edlead.home.urls")),
    path("accounts/", include("allauth.urls")),
    path("organizations/", include("edlead.orgs.urls")),
    path("people/", include("edlead.people.urls")),
    path("access/", include("edlead.access.urls")),
    path("imports/", include("edlead.imports.urls")),
    path("performance/", include("edlead.metrics.urls")),
    path("admin/", admin.site.urls),
]
