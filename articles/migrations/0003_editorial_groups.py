"""The two newsroom roles as groups, as they were when this migration was written.

The roles are copied here, not imported: a migration must make the same groups whatever the code
says later (staff/roles.py holds today's roles, staff/migrations/ the changes since).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"

# Reporters write and submit their own articles and manage photos and tags; editors also
# publish, correct, feature and delete.
ROLE_PERMISSIONS = {
    REPORTER: {
        "articles": [
            "add_article", "change_article", "view_article",
            "add_byline", "change_byline", "delete_byline", "view_byline",
            "view_transition",
            "add_image", "change_image", "view_image",
            "add_tag", "view_tag", "view_author",
        ],
        "sections": ["view_section"],
    },
    EDITOR: {
        "articles": [
            "add_article", "change_article", "delete_article", "view_article",
            "publish_article", "feature_article", "correct_article", "edit_any_article",
            "view_articleforreview", "view_scheduledarticle",
            "add_byline", "change_byline", "delete_byline", "view_byline",
            "add_relatedarticle", "change_relatedarticle", "delete_relatedarticle",
            "view_relatedarticle", "view_transition",
            "add_image", "change_image", "delete_image", "view_image",
            "add_tag", "change_tag", "delete_tag", "view_tag",
            "add_author", "change_author", "view_author",
        ],
        "sections": ["view_section"],
    },
}  # fmt: skip


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now so that a fresh
    # database gets complete groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in wanted.items():
            permissions = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
            group.permissions.add(*permissions)


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
