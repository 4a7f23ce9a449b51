"""Staff feedback on an administrator: the evaluator's pages (signed in, through the cycle's access rule)
and the public answer pages (no account; the key is never in a URL — see views_feedback)."""

from django.urls import URLPattern, URLResolver, path

from edlead.evaluations import views_feedback as views

app_name = "staff_feedback"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cycle/<int:cycle_pk>/", views.cycle_surveys, name="cycle"),
    path("survey/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("survey/<int:pk>/open/", views.survey_open, name="survey-open"),
    path("survey/<int:pk>/close/", views.survey_close, name="survey-close"),
    path("survey/<int:pk>/invite/", views.survey_invite, name="survey-invite"),
    path("survey/<int:pk>/code/", views.survey_code, name="survey-code"),
    path("answer/", views.answer, name="answer"),
    path("meeting/", views.answer, {"kind": "code"}, name="meeting"),
    path("answer/submit/", views.answer_submit, name="answer-submit"),
    path("thanks/", views.thanks, name="thanks"),
]
