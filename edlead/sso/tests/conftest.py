from edlead.sso.tests.oidc_provider.harness import oidc_provider  # noqa: F401 (a fixture)
