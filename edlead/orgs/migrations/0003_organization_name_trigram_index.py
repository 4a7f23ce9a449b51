from django.db import migrations

from edlead.core.migration_ops import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_initial")]

    operations = [trigram_indexes("orgs_organization", ["name"])]
