"""Editors unlock a locked-out colleague: the roles as they were when this migration was written,
editors now holding django-axes' rights to see and clear failed logins (`axes.view_accessattempt`,
`axes.delete_accessattempt`; staff/admin.py keeps superusers' records to superusers).

The roles are copied here, not imported from staff/roles.py: a migration must make the same
groups whatever the code says later. Going back takes the two rights from editors again.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"

ROLE_PERMISSIONS = {
    REPORTER: {
        "articles": [
            "add_article", "change_article", "view_article",
            "add_byline", "change_byline", "delete_byline", "view_byline",
            "view_transition",
            "add_tag", "view_tag", "view_author",
        ],
        "photos": ["add_image", "change_image", "view_image"],
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
            "add_tag", "change_tag", "delete_tag", "view_tag",
            "add_author", "change_author", "view_author",
        ],
        "photos": [
            "add_image", "change_image", "change_any_image", "delete_image", "view_image",
        ],
        "sections": ["view_section"],
        "axes": ["view_accessattempt", "delete_accessattempt"],
    },
}  # fmt: skip
NEW_RIGHTS = {EDITOR: {"axes": ["view_accessattempt", "delete_accessattempt"]}}


def grant_roles(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now (django-axes' among
    # them), so that a fresh database gets complete groups.
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


def revoke_new_rights(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, rights in NEW_RIGHTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, codenames in rights.items():
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_roles_with_photos"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_roles, revoke_new_rights)]
