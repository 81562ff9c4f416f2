"""The newsroom's two roles, as groups: "Phóng viên" (reporters) and "Biên tập viên" (editors).

A migration creates them; load_demo and the tests call ensure_roles() too, since a flushed test
database keeps permissions but loses groups. A change to ROLE_PERMISSIONS needs a new migration
that calls ensure_roles() again.
"""

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"

# Reporters write and submit their own articles (articles/workflow.py limits "change" to their
# own drafts and returned articles) and manage photos and tags.
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
