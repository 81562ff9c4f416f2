"""The roles after photos moved to their own app, as they were when this migration was written.

Photos' permissions kept their rows when their content type moved (photos/migrations/0001), so
every group kept its rights; this adds the right that is new: editors change any photo
(`change_any_image`), which reporters do not. Until now, changing anyone's photo came with
`articles.edit_any_article`; every other group and person holding that right (a desk's own
group, a grant to one person) gets the new one too, so nobody loses what they could do. The roles are copied here, not imported from
staff/roles.py: a migration must make the same groups whatever the code says later.
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
    },
}  # fmt: skip


def grant_roles(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now (the new
    # change_any_image among them), so that a fresh database gets complete groups.
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
    carry_over_photo_rights(apps)


def carry_over_photo_rights(apps):
    """Whoever could change anyone's photo before (through edit_any_article) still can."""
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    edit_any = Permission.objects.filter(
        content_type__app_label="articles", codename="edit_any_article"
    ).first()
    change_any = Permission.objects.get(
        content_type__app_label="photos", codename="change_any_image"
    )
    if edit_any is None:
        return
    for group in Group.objects.filter(permissions=edit_any):
        group.permissions.add(change_any)
    for user in User.objects.filter(user_permissions=edit_any):
        user.user_permissions.add(change_any)


def revoke_new_right(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="photos", codename="change_any_image"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_photos_and_view_counts_moved"),
        ("photos", "0001_initial"),
        ("popularity", "0001_initial"),
        ("sections", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_roles, revoke_new_right)]
