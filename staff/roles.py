"""The newsroom's two roles, as groups: "Phóng viên" (reporters) and "Biên tập viên" (editors).

Migrations create them, each with a frozen copy of the roles as they were then (a migration never
imports this module: it must give the same groups whatever the code says later). load_demo and
the tests call ensure_roles() too, since a flushed test database keeps permissions but loses
groups. A change to ROLE_PERMISSIONS needs a new migration with the new copy
(staff/migrations/).
"""

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"

# Reporters write and submit their own articles (articles/workflow.py limits "change" to their
# own drafts and returned articles) and add photos and tags; they change only their own photos
# (photos/rules.py), editors any.
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
        # Failed logins (django-axes): editors unlock a locked-out colleague, superusers
        # excepted (staff/admin.py, FailedLoginAdmin).
        "axes": ["view_accessattempt", "delete_accessattempt"],
    },
}  # fmt: skip


def ensure_roles(group_model, permission_model):
    """Create both groups with their permissions (idempotent); returns {name: group}."""
    groups = {}
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for app_label, codenames in wanted.items():
            permissions = permission_model.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
            group.permissions.add(*permissions)
        groups[name] = group
    return groups
