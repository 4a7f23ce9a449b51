from django.urls import path

from edlead.learning import (
    urls_cohorts,
    urls_modules,
    views,
    views_feeds,
    views_manage,
    views_run,
    views_surveys,
)

app_name = "learning"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("mine/", views.my_learning, name="mine"),
    path("mine/calendar.ics", views_feeds.my_calendar, name="my-calendar"),
    path("feeds/<str:token>/calendar.ics", views_feeds.feed, name="feed"),
    path("programs/new/", views_manage.program_new, name="program-new"),
    path("programs/<int:pk>/", views.program_detail, name="program-detail"),
    path("programs/<int:pk>/edit/", views_manage.program_edit, name="program-edit"),
    path("programs/<int:pk>/sessions/new/", views_manage.session_new, name="session-new"),
    path("sessions/<int:pk>/cancel/", views_manage.session_cancel, name="session-cancel"),
    path("programs/<int:pk>/effectiveness/", views_run.effectiveness, name="effectiveness"),
    path("sessions/<int:pk>/register/", views.session_register, name="session-register"),
    path("sessions/<int:pk>/calendar.ics", views_feeds.session_calendar, name="session-calendar"),
    path("sessions/<int:pk>/roster/", views_run.roster, name="roster"),
    path("sessions/<int:pk>/roster.csv", views_run.roster_csv, name="roster-csv"),
    path("sessions/<int:pk>/complete/", views_run.complete, name="complete"),
    path("meetings/<int:pk>/attendance/", views_run.attendance, name="attendance"),
    path("enrollments/<int:pk>/cancel/", views.enrollment_cancel, name="enrollment-cancel"),
    path("enrollments/<int:pk>/assessment/", views_run.assessment, name="assessment"),
    path("enrollments/<int:pk>/certificate.pdf", views_surveys.certificate, name="certificate"),
    path("enrollments/<int:pk>/survey/", views_surveys.survey, name="survey"),
    path("approvals/", views_run.approvals, name="approvals"),
    path("participation/", views_run.participation, name="participation"),
    path("approvals/<int:pk>/decide/", views_run.decide, name="decide"),
    path("needs/", views_surveys.needs_assessment, name="needs"),
    path("recommendations/", views_surveys.recommendations, name="recommendations"),
    path("home-part/", views_surveys.home_part, name="home-part"),
    path("people/<int:pk>/", views_surveys.person_part, name="person-learning"),
    path("people/<int:pk>/growth/", views_surveys.person_growth, name="person-growth"),
    path("people/<int:pk>/colleagues/", views_surveys.staff_ratings, name="staff-ratings"),
]

urlpatterns += urls_modules.urlpatterns + urls_cohorts.urlpatterns
