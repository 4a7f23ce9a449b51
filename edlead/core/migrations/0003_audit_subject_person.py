from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_scope_and_open_verbs"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="subject_person_id",
            field=models.BigIntegerField(
                blank=True,
                help_text="The person whose record the event is about (their 'who has seen my record').",
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["subject_person_id", "-at"], name="audit_subject_idx"),
        ),
    ]
