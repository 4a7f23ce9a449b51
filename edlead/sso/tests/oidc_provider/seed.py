"""Seed the test provider's database: `python -m edlead.sso.tests.oidc_provider.seed SPEC.json`.

SPEC: {"users": [{"username", "password", "email", "first_name", "last_name"}],
       "applications": [{"client_id", "client_secret", "redirect_uris": [...]}]}
"""

from __future__ import annotations

import json
import sys


def main(spec_path: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import get_application_model

    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    User = get_user_model()
    Application = get_application_model()
    for u in spec.get("users", []):
        User.objects.create_user(
            username=u["username"],
            password=u["password"],
            email=u["email"],
            first_name=u.get("first_name", ""),
            last_name=u.get("last_name", ""),
        )
    for a in spec.get("applications", []):
        Application.objects.create(
            name=a.get("name", a["client_id"]),
            client_id=a["client_id"],
            client_secret=a["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(a["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=False,
        )


if __name__ == "__main__":
    main(sys.argv[1])
