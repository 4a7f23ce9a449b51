from django.urls import URLPattern, URLResolver, path

from edlead.library import views, views_links

app_name = "library"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.resource_list, name="resource-list"),
    path("new/", views.resource_new, name="resource-new"),
    path("<int:pk>/", views.resource_detail, name="resource-detail"),
    path("<int:pk>/edit/", views.resource_edit, name="resource-edit"),
    path("<int:pk>/publish/", views.resource_publish, name="resource-publish"),
    path("<int:pk>/withdraw/", views.resource_withdraw, name="resource-withdraw"),
    path("<int:pk>/print/", views.resource_print, name="resource-print"),
    path("<int:pk>/pdf/", views.resource_pdf, name="resource-pdf"),
    path("link/", views_links.link_pick, name="link-pick"),
    path("link/add/", views_links.link_add, name="link-add"),
    path("link/<int:pk>/remove/", views_links.link_remove, name="link-remove"),
]
