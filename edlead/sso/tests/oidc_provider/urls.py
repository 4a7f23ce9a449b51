"""The test provider's pages: its sign-in form and django-oauth-toolkit's OAuth 2 / OIDC endpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from oauth2_provider.models import get_application_model
from oauth2_provider.views import JwksInfoView


class ForeignKeyJwksView(JwksInfoView):
    """In `foreign-key` mode the key set publishes another key's public numbers under the id of the
    key that really signs: a relying party that checks signatures must refuse every ID token."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if getattr(settings, "OIDC_TEST_MODE", "normal") != "foreign-key":
            return response
        from jwcrypto import jwk

        foreign = jwk.JWK.from_pem(Path(getattr(settings, "OIDC_TEST_FOREIGN_KEY_FILE", "")).read_bytes())
        keys = json.loads(response.content)["keys"]
        for key in keys:
            key.update({k: v for k, v in json.loads(foreign.export_public()).items() if k in {"n", "e"}})
        return JsonResponse({"keys": keys})


def ready(request: HttpRequest) -> HttpResponse:
    """The harness polls this (after the discovery document) to know the seed has been applied."""
    return HttpResponse(str(get_application_model().objects.count()))


urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("o/.well-known/jwks.json", ForeignKeyJwksView.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("ready/", ready),
]
