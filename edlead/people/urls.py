from django.urls import path

from edlead.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("<int:pk>/", views.person_detail, name="person-detail"),
    path("corrections/", views.correction_list, name="correction-list"),
    path("corrections/new/", views.correction_start, name="correction-start"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction-detail"),
    path("corrections/<int:pk>/save/", views.correction_save, name="correction-save"),
    path("corrections/<int:pk>/send/", views.correction_submit, name="correction-submit"),
    path("corrections/<int:pk>/decide/", views.correction_decide, name="correction-decide"),
    path("corrections/<int:pk>/<slug:step>/", views.correction_step, name="correction-step"),
    path("<int:pk>/<slug:action>/", views.person_change, name="person-change"),
]
