from django.db import migrations

from edlead.core.migration_ops import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [trigram_indexes("people_person", ["first_name", "last_name", "preferred_name"])]
