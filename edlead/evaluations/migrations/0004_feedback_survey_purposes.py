"""Staff surveys serve two purposes: an evaluation's staff feedback (as before) and a leader's colleague
ratings (360) for their growth profile. Every survey now names the leader it asks about (`subject`,
filled from the cycle's educator for the surveys already there), and a 360 has no cycle."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


def fill_subjects(apps, schema_editor):
    FeedbackSurvey = apps.get_model("evaluations", "FeedbackSurvey")
    for survey in FeedbackSurvey.objects.select_related("cycle").only("pk", "cycle__educator_id"):
        FeedbackSurvey.objects.filter(pk=survey.pk).update(subject_id=survey.cycle.educator_id)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0003_staff_feedback_surveys"),
        ("people", "0005_correction_request_record_when_sent"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedbacksurvey",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("evaluation", "Staff feedback for an evaluation"),
                    ("growth", "Colleague ratings (360)"),
                ],
                default="evaluation",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="feedbacksurvey",
            name="subject",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="people.person",
            ),
        ),
        migrations.RunPython(fill_subjects, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="feedbacksurvey",
            name="subject",
            field=models.ForeignKey(
                help_text="The leader asked about.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="people.person",
            ),
        ),
        migrations.AlterField(
            model_name="feedbacksurvey",
            name="cycle",
            field=models.ForeignKey(
                blank=True,
                help_text="The evaluation cycle (evaluation surveys only).",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="feedback_surveys",
                to="evaluations.cycle",
            ),
        ),
        migrations.AddIndex(
            model_name="feedbacksurvey",
            index=models.Index(fields=["subject", "purpose", "status"], name="feedback_subject_idx"),
        ),
        migrations.AddConstraint(
            model_name="feedbacksurvey",
            constraint=models.CheckConstraint(
                condition=Q(purpose="evaluation", cycle__isnull=False)
                | Q(purpose="growth", cycle__isnull=True),
                name="evaluations_feedback_cycle_for_evaluation",
                violation_error_message="An evaluation survey belongs to a cycle; a 360 to no cycle.",
            ),
        ),
    ]
