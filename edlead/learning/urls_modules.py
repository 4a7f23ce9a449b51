"""Routes of the learning app's online modules (added to edlead/learning/urls.py)."""

from django.urls import URLPattern, path

from edlead.learning import views_modules

urlpatterns: list[URLPattern] = [
    path("programs/<int:pk>/module/", views_modules.module, name="module"),
    path("programs/<int:pk>/module/items/new/", views_modules.item_new, name="module-item-new"),
    path("module/items/<int:pk>/", views_modules.item, name="module-item"),
    path("module/items/<int:pk>/edit/", views_modules.item_edit, name="module-item-edit"),
    path("module/items/<int:pk>/move/", views_modules.item_move, name="module-item-move"),
    path("module/items/<int:pk>/remove/", views_modules.item_remove, name="module-item-remove"),
]
