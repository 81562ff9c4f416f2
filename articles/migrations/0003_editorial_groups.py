"""The two newsroom roles as groups (articles/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from articles.roles import EDITOR, REPORTER, ensure_roles


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now so that a fresh
    # database gets complete groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[REPORTER, EDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("sections", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
