"""Trigram indexes for search on PostgreSQL: `search_text LIKE '% word%'` stays fast at a million
articles. SQLite has no such index type; its search scans, which suits the embedded default."""

from django.db import migrations

INDEXES = [
    ("article_search_text_trgm", "search_text"),
    ("article_search_title_trgm", "search_title"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON articles_article USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_view_counting")]

    operations = [migrations.RunPython(create, drop)]
