from django.urls import URLPattern, URLResolver, path

from edlead.sso import views

app_name = "sso"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.district_list, name="district-list"),
    path("districts/<int:pk>/", views.district_edit, name="district-edit"),
    path("oidc/<str:provider_id>/login/", views.oidc_login, name="oidc-login"),
    path("oidc/<str:provider_id>/login/callback/", views.oidc_callback, name="oidc-callback"),
    path("saml/<str:organization_slug>/login/", views.saml_login, name="saml-login"),
    path("invitations/<str:token>/<str:provider_id>/", views.invitation_start, name="invitation-start"),
]
