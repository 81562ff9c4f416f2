"""Moving photos and view counts into their own apps (issue #14) keeps every row and every right.

The test database is migrated back to the schema of before the move (articles 0011) and given
rows in each moved table, the two roles as articles/migrations/0003 made them, a custom group and
a person with rights of their own; migrated forward as `manage.py migrate` does, everything is
there under the new apps, with the same ids. Each test leaves the database at the latest
migrations, so the tests after it are unaffected.

Migrations must give the same result whatever the code says later: none may import our apps'
code, except the field callables Django's migration writer references (checked with `ast`).
"""

import ast
import importlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps as live_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from tests.conftest import image_bytes

BEFORE_THE_MOVE = [
    ("articles", "0011_integrity"),
    ("photos", None),
    ("popularity", None),
    ("staff", None),
]
# Each moved model (its content type's `model`) and the app that holds it now.
MOVED = {
    "image": "photos",
    "viewbucket": "popularity",
    "bufferedview": "popularity",
    "flushedbatch": "popularity",
}
CUSTOM_GROUP = "Thư ký toà soạn"
CUSTOM_GROUP_RIGHTS = {"articles": ["delete_image", "view_viewbucket"]}
DESK_GROUP = "Ban thời sự"
PHOTO_BYTES = image_bytes(size=(64, 48))
RENDITIONS = {
    "webp": [[64, 48, "images/2026/11/hoi-nghi/64.webp"]],
    "jpeg": [[64, 48, "images/2026/11/hoi-nghi/64.jpg"]],
}


def migrate(targets=None):
    """Migrate the test database as `manage.py migrate` does (to the latest migrations unless
    told otherwise), post_migrate included; returns the models as they are then."""
    executor = MigrationExecutor(connection)
    if targets is None:
        targets = executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets)
    state = executor.migrate(targets, plan=plan)
    state.clear_delayed_apps_cache()
    emit_post_migrate_signal(0, False, connection.alias, apps=state.apps, plan=plan)
    # Django caches content types by id and by name: the migrations renamed some.
    ContentType.objects.clear_cache()
    return state.apps


@pytest.fixture
def before_the_move(transactional_db):
    """The models of before the move, the test database migrated back to then; migrated to the
    latest migrations again afterwards, whatever the test did."""
    try:
        yield migrate(BEFORE_THE_MOVE)
    finally:
        migrate()


def rights(permissions):
    """{"app_label.codename", ...} of a permission queryset (of any model state)."""
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename")
    }


def rights_of_roles(role_permissions):
    return {
        f"{app_label}.{codename}"
        for app_label, codenames in role_permissions.items()
        for codename in codenames
    }


def the_0003_roles():
    return importlib.import_module("articles.migrations.0003_editorial_groups")


def write_rows_of_before(apps):
    """Rows in every moved table and the rights over them, written with the models of before the
    move; returns what the tests compare afterwards."""
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentTypeThen = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    Section = apps.get_model("sections", "Section")
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("articles", "Image")
    ViewBucket = apps.get_model("articles", "ViewBucket")
    BufferedView = apps.get_model("articles", "BufferedView")
    FlushedBatch = apps.get_model("articles", "FlushedBatch")

    # The roles exactly as articles/migrations/0003 made them (an earlier test may have flushed
    # the groups, or left others behind).
    roles = the_0003_roles()
    Group.objects.filter(name__in=[roles.REPORTER, roles.EDITOR]).delete()
    roles.create_groups(apps, None)
    custom_group = Group.objects.create(name=CUSTOM_GROUP)
    custom_group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=CUSTOM_GROUP_RIGHTS["articles"]
        )
    )
    secretary = User.objects.create(username="thuky", password="!", is_staff=True)
    secretary.user_permissions.add(
        Permission.objects.get(content_type__app_label="articles", codename="change_image")
    )
    secretary.groups.add(custom_group)
    reporter = User.objects.create(username="phongvien", password="!", is_staff=True)
    reporter.groups.add(Group.objects.get(name=roles.REPORTER))
    editor = User.objects.create(username="bientap", password="!", is_staff=True)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    # Before the move, editing anyone's article also meant changing anyone's photo: a desk's own
    # group and a person granted that right alone keep it.
    edit_any = Permission.objects.get(
        content_type__app_label="articles", codename="edit_any_article"
    )
    Group.objects.create(name=DESK_GROUP).permissions.add(edit_any)
    deputy = User.objects.create(username="phobientap", password="!", is_staff=True)
    deputy.user_permissions.add(edit_any)

    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    file_name = default_storage.save("images/2026/11/hoi-nghi.jpg", ContentFile(PHOTO_BYTES))
    photo = Image.objects.create(
        file=file_name,
        caption="Đại biểu dự hội nghị tại Thái Nguyên.",
        credit="Ảnh: Minh Khang",
        alt_text="Hội trường đông kín đại biểu",
        width=64,
        height=48,
        renditions=RENDITIONS,
        uploaded_by=reporter,
    )
    section = Section.objects.create(name="Thời sự", slug="thoi-su", description="")
    article = Article.objects.create(
        title="Hội nghị tổng kết công tác năm",
        slug="hoi-nghi-tong-ket-cong-tac-nam",
        sapo="Các đại biểu đánh giá kết quả một năm.",
        body="<p>Nội dung bài viết.</p>",
        body_text="Nội dung bài viết.",
        search_title="hoi nghi tong ket cong tac nam",
        search_text="hoi nghi tong ket cong tac nam noi dung bai viet",
        status="published",
        publish_at=now - timedelta(hours=2),
        section=section,
        lead_image=photo,
        view_count=17,
    )
    hourly = ViewBucket.objects.create(
        article=article, granularity="h", period_start=hour, views=12
    )
    daily = ViewBucket.objects.create(article=article, granularity="d", period_start=day, views=17)
    waiting = BufferedView.objects.create(article_id=article.pk, hour=hour, views=3)
    batch = FlushedBatch.objects.create(batch="b7e1c0de")
    history = LogEntry.objects.create(
        user=editor,
        content_type=ContentTypeThen.objects.get(app_label="articles", model="image"),
        object_id=str(photo.pk),
        object_repr=photo.caption,
        action_flag=2,
        change_message='[{"changed": {"fields": ["caption"]}}]',
    )

    moved_types = ContentTypeThen.objects.filter(app_label="articles", model__in=MOVED)
    assert moved_types.count() == len(MOVED)
    return {
        "photo": {
            "id": photo.pk,
            "file": file_name,
            "caption": photo.caption,
            "credit": photo.credit,
            "alt_text": photo.alt_text,
            "width": 64,
            "height": 48,
            "renditions": RENDITIONS,
            "created_at": photo.created_at,
            "uploaded_by_id": reporter.pk,
        },
        "article": article.pk,
        "view_buckets": {
            hourly.pk: (article.pk, "h", hour, 12),
            daily.pk: (article.pk, "d", day, 17),
        },
        "buffered_views": {waiting.pk: (article.pk, hour, 3)},
        "flushed_batches": {batch.pk: ("b7e1c0de", batch.flushed_at)},
        "history": history.pk,
        "content_types": {ct.model: ct.pk for ct in moved_types},
        "permissions": {
            (permission.content_type.model, permission.codename): permission.pk
            for permission in Permission.objects.filter(content_type__in=moved_types)
        },
        "users": {
            "secretary": secretary.pk,
            "reporter": reporter.pk,
            "editor": editor.pk,
            "deputy": deputy.pk,
        },
    }


def assert_rows_moved(before):
    """Every row of before the move is there, read through the models of today."""
    from articles.models import Article
    from photos.models import Image
    from popularity.models import BufferedView, FlushedBatch, ViewBucket

    photo = Image.objects.get(pk=before["photo"]["id"])
    assert {
        field: photo.file.name if field == "file" else getattr(photo, field)
        for field in before["photo"]
    } == before["photo"]
    with photo.file.open("rb") as stored:
        assert stored.read() == PHOTO_BYTES
    article = Article.objects.get(pk=before["article"])
    assert article.lead_image == photo
    assert isinstance(article.lead_image, Image)
    assert {
        bucket.pk: (bucket.article_id, bucket.granularity, bucket.period_start, bucket.views)
        for bucket in ViewBucket.objects.all()
    } == before["view_buckets"]
    assert {
        row.pk: (row.article_id, row.hour, row.views) for row in BufferedView.objects.all()
    } == before["buffered_views"]
    assert {row.pk: (row.batch, row.flushed_at) for row in FlushedBatch.objects.all()} == before[
        "flushed_batches"
    ]
    # The ranking reaches the buckets through the relation popularity declares.
    assert list(
        Article.objects.live().most_viewed(since=timedelta(days=1)).values_list("pk", "views")
    ) == [(article.pk, 12)]
    assert list(
        Article.objects.live().most_viewed(since=timedelta(days=7)).values_list("pk", "views")
    ) == [(article.pk, 17)]


def assert_rights_moved(before, *, same_ids=True):
    """Content types and permissions now name the new apps, and every group and person holds
    the same rights over photos and view counts as before (editors gained change_any_image).
    `same_ids`: the content types and permissions are the very rows of before the move."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.models import Group, Permission, User

    from photos.models import Image
    from staff.roles import EDITOR, REPORTER, ROLE_PERMISSIONS

    assert not ContentType.objects.filter(app_label="articles", model__in=MOVED).exists()
    assert not Permission.objects.filter(content_type__app_label="articles").filter(
        content_type__model__in=MOVED
    )
    now_types = {
        model: ContentType.objects.get(app_label=app, model=model) for model, app in MOVED.items()
    }
    assert rights(Permission.objects.filter(content_type=now_types["image"])) == {
        "photos.add_image",
        "photos.change_image",
        "photos.change_any_image",
        "photos.delete_image",
        "photos.view_image",
    }
    if same_ids:
        assert {model: ct.pk for model, ct in now_types.items()} == before["content_types"]
        for (model, codename), pk in before["permissions"].items():
            permission = Permission.objects.get(pk=pk)
            assert (permission.content_type_id, permission.codename) == (
                now_types[model].pk,
                codename,
            )

    groups = {group.name: group for group in Group.objects.all()}
    for name in (REPORTER, EDITOR):
        assert rights(groups[name].permissions) == rights_of_roles(ROLE_PERMISSIONS[name])
    assert "photos.change_any_image" in rights(groups[EDITOR].permissions)
    assert "photos.change_any_image" not in rights(groups[REPORTER].permissions)
    assert rights(groups[CUSTOM_GROUP].permissions) == {
        "photos.delete_image",
        "popularity.view_viewbucket",
    }

    secretary = User.objects.get(pk=before["users"]["secretary"])
    assert rights(secretary.user_permissions) == {"photos.change_image"}
    assert secretary.has_perm("photos.change_image")
    assert secretary.has_perm("photos.delete_image")
    assert secretary.has_perm("popularity.view_viewbucket")
    assert not secretary.has_perm("articles.change_image")
    assert not secretary.has_perm("photos.change_any_image")
    editor = User.objects.get(pk=before["users"]["editor"])
    reporter = User.objects.get(pk=before["users"]["reporter"])
    assert editor.has_perm("photos.change_any_image")
    assert reporter.has_perm("photos.change_image")
    assert not reporter.has_perm("photos.change_any_image")
    assert rights(groups[DESK_GROUP].permissions) == {
        "articles.edit_any_article",
        "photos.change_any_image",
    }
    deputy = User.objects.get(pk=before["users"]["deputy"])
    assert rights(deputy.user_permissions) == {
        "articles.edit_any_article",
        "photos.change_any_image",
    }

    # The photo's admin history still leads to the photo.
    history = LogEntry.objects.get(pk=before["history"])
    assert history.content_type == now_types["image"]
    assert history.get_edited_object() == Image.objects.get(pk=before["photo"]["id"])


def test_moving_photos_and_view_counts_keeps_every_row_and_right(before_the_move):
    before = write_rows_of_before(before_the_move)

    migrate()

    assert_rows_moved(before)
    assert_rights_moved(before)


def test_migrating_back_across_the_move_and_forward_again_keeps_rows_and_rights(
    before_the_move,
):
    before = write_rows_of_before(before_the_move)
    migrate()

    apps = migrate(BEFORE_THE_MOVE)

    Image = apps.get_model("articles", "Image")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentTypeThen = apps.get_model("contenttypes", "ContentType")
    photo = Image.objects.get(pk=before["photo"]["id"])
    assert (photo.file.name, photo.caption, photo.renditions) == (
        before["photo"]["file"],
        before["photo"]["caption"],
        RENDITIONS,
    )
    assert apps.get_model("articles", "Article").objects.get(
        pk=before["article"]
    ).lead_image_id == (photo.pk)
    for model, rows in [
        ("ViewBucket", before["view_buckets"]),
        ("BufferedView", before["buffered_views"]),
        ("FlushedBatch", before["flushed_batches"]),
    ]:
        assert set(apps.get_model("articles", model).objects.values_list("pk", flat=True)) == set(
            rows
        )
    assert {
        ct.model: ct.pk
        for ct in ContentTypeThen.objects.filter(app_label="articles", model__in=MOVED)
    } == before["content_types"]
    assert not ContentTypeThen.objects.filter(app_label__in=["photos", "popularity"]).exists()
    roles = the_0003_roles()
    for name in (roles.REPORTER, roles.EDITOR):
        assert rights(Group.objects.get(name=name).permissions) == rights_of_roles(
            roles.ROLE_PERMISSIONS[name]
        )
    assert rights(Group.objects.get(name=CUSTOM_GROUP).permissions) == rights_of_roles(
        CUSTOM_GROUP_RIGHTS
    )
    assert rights(Permission.objects.filter(user__username="thuky")) == {"articles.change_image"}

    migrate()

    assert_rows_moved(before)
    assert_rights_moved(before)


def test_the_move_keeps_rights_when_the_new_content_types_exist_already(before_the_move):
    """Content types and permissions of the new apps made before the move ran (as post_migrate
    with today's models would): the move keeps those, with every right the old ones gave and
    the admin history that named the old ones."""
    before = write_rows_of_before(before_the_move)
    for label in ("photos", "popularity"):
        app_config = live_apps.get_app_config(label)
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)

    migrate()

    assert_rows_moved(before)
    assert_rights_moved(before, same_ids=False)


# Migrations import none of our code, which may change after them; Django's migration writer
# references these field callables (upload_to, validators) by their import path, so they stay.
OUR_PACKAGES = [
    "newsroom", "sections", "photos", "masthead", "articles", "popularity", "staff", "backups",
]  # fmt: skip
CALLABLES_MIGRATIONS_REFERENCE = {
    "photos.cleaning.lead_image_path",
    "photos.cleaning.validate_image_file",
    # The masthead's logo path and link validators: Django's own way of naming a field's
    # callables, kept importable (renaming one needs a migration that names the new one).
    "masthead.models.logo_path",
    "masthead.models.OnNetwork",
}


def names_of_our_code(source):
    """The dotted names of our packages' code that a migration's source reaches: `from a.b
    import c` gives a.b.c, a use of `import a.b` the attribute path read from it (a.b.c), a
    relative import or importlib call its module."""
    tree = ast.parse(source)
    bound = {}  # name bound by an import -> the module path it stands for
    found = set()

    def ours(dotted):
        return dotted.split(".")[0] in OUR_PACKAGES

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                found.add("." * node.level + (node.module or ""))
            elif ours(node.module):
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if ours(alias.name):
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        bound[top] = top
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            name = getattr(function, "attr", None) or getattr(function, "id", None)
            argument = node.args[0]
            if (
                name in {"import_module", "__import__"}
                and isinstance(argument, ast.Constant)
                and isinstance(argument.value, str)
                and ours(argument.value)
            ):
                found.add(argument.value)

    class Uses(ast.NodeVisitor):
        def visit_Attribute(self, node):
            path = []
            base = node
            while isinstance(base, ast.Attribute):
                path.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name) and base.id in bound:
                found.add(".".join([bound[base.id], *reversed(path)]))
            else:
                self.generic_visit(node)

        def visit_Name(self, node):
            if node.id in bound:
                found.add(bound[node.id])

    Uses().visit(tree)
    return found


def migration_files():
    checkout = Path(__file__).resolve().parent.parent
    for label in OUR_PACKAGES:
        folder = checkout / label / "migrations"
        if folder.is_dir():
            yield from sorted(folder.glob("*.py"))


def test_no_migration_imports_our_code_that_may_change():
    reached = {}
    for path in migration_files():
        for name in names_of_our_code(path.read_text(encoding="utf-8")):
            reached.setdefault(name, []).append(f"{path.parent.parent.name}/{path.name}")

    live_imports = {
        name: files for name, files in reached.items() if name not in CALLABLES_MIGRATIONS_REFERENCE
    }
    assert not live_imports, (
        "Migrations import code that may change after them; copy what they need into them: "
        f"{live_imports}"
    )
    # The allowed list holds exactly what migrations reference today.
    assert set(reached) == CALLABLES_MIGRATIONS_REFERENCE


@pytest.mark.parametrize(
    "source, reached",
    [
        ("from staff.roles import ensure_roles", {"staff.roles.ensure_roles"}),
        (
            "import articles.roles\narticles.roles.ensure_roles(1, 2)",
            {"articles.roles.ensure_roles"},
        ),
        ("import photos.cleaning as c\nx = c.clean_photo", {"photos.cleaning.clean_photo"}),
        ("from . import helpers", {"."}),
        ("import importlib\nimportlib.import_module('staff.roles')", {"staff.roles"}),
        (
            "import photos.cleaning\nf = photos.cleaning.lead_image_path",
            {"photos.cleaning.lead_image_path"},
        ),
        ("from django.db import migrations\nimport ckeditor_uploader.fields", set()),
    ],
)
def test_the_import_check_sees_each_way_of_reaching_our_code(source, reached):
    assert names_of_our_code(source) == reached


# Editors unlock failed logins (staff/migrations/0002) ------------------------------------------

BEFORE_EDITORS_UNLOCK = [("staff", "0001_roles_with_photos")]
UNLOCKING = {"axes.view_accessattempt", "axes.delete_accessattempt"}


def latest_roles_migration():
    leaf = MigrationLoader(None).graph.leaf_nodes("staff")[0]
    return importlib.import_module(f"staff.migrations.{leaf[1]}")


def test_the_latest_roles_migration_carries_the_roles_as_the_code_says():
    """A change to staff/roles.py comes with a migration holding the new copy."""
    from staff.roles import ROLE_PERMISSIONS

    assert latest_roles_migration().ROLE_PERMISSIONS == ROLE_PERMISSIONS


def test_editors_gain_and_lose_the_unlocking_rights_with_their_migration(transactional_db):
    from django.contrib.auth.models import Group, Permission

    from staff.roles import EDITOR, REPORTER, ensure_roles

    ensure_roles(Group, Permission)  # an earlier test may have flushed the groups
    try:
        apps = migrate(BEFORE_EDITORS_UNLOCK)
        GroupThen = apps.get_model("auth", "Group")
        assert not UNLOCKING & rights(GroupThen.objects.get(name=EDITOR).permissions)

        migrate()

        assert rights(Group.objects.get(name=EDITOR).permissions) >= UNLOCKING
        assert not UNLOCKING & rights(Group.objects.get(name=REPORTER).permissions)
    finally:
        migrate()
