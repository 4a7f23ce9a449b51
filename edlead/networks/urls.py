from django.urls import URLPattern, URLResolver, path

from edlead.networks import views, views_reports

app_name = "networks"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.network_list, name="network-list"),
    path("<int:pk>/", views.network_detail, name="network-detail"),
    path("<int:pk>/meetings/", views.meeting_add, name="meeting-add"),
    path("<int:pk>/pairs/", views.pair_add, name="pair-add"),
    path("pairs/<int:pk>/remove/", views.pair_remove, name="pair-remove"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda-add"),
    path("agenda/<int:pk>/remove/", views.agenda_remove, name="agenda-remove"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance-record"),
    path("meetings/<int:pk>/problems/", views.problem_add, name="problem-add"),
    path("<int:pk>/reports/", views_reports.report_list, name="report-list"),
    path("<int:pk>/reports/generate/", views_reports.report_generate, name="report-generate"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report"),
    path("reports/<int:pk>/save/", views_reports.report_save, name="report-save"),
    path("reports/<int:pk>/send/", views_reports.report_send, name="report-send"),
    path("reports/<int:pk>/report.pdf", views_reports.report_pdf, name="report-pdf"),
]
