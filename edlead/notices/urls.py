from django.urls import URLPattern, URLResolver, path

from edlead.notices import views

app_name = "notices"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.notice_list, name="notice-list"),
    path("badge", views.inbox_badge, name="inbox-badge"),
    path("read-all", views.notice_read_all, name="notice-read-all"),
    path("preferences/", views.preference_edit, name="preference-edit"),
    path("<int:pk>/read", views.notice_read, name="notice-read"),
    path("<int:pk>/open", views.notice_open, name="notice-open"),
]
