from django.urls import URLPattern, URLResolver, path

from edlead.accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.account_list, name="account-list"),
    path("invite/", views.invitation_create, name="invitation-create"),
    path("invite/selection/", views.invitation_selection, name="invitation-selection"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("<int:pk>/deactivate/", views.account_deactivate, name="account-deactivate"),
    path("<int:pk>/reactivate/", views.account_reactivate, name="account-reactivate"),
]
