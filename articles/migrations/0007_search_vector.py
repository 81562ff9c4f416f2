"""Full-text search on PostgreSQL in place of the trigram indexes.

A stored `search_vector` (the folded search text as 'simple' lexemes) with a GIN index. Unlike
`LIKE` over long texts, whose selectivity PostgreSQL cannot estimate, a tsvector column has
statistics of its most common words: the planner reads the newest articles first for a common
word and the index for a rare one, so search stays fast at a million articles. SQLite keeps
its `LIKE` scan; both find the same articles (each word must begin a word of the text).
"""

from django.db import migrations

TRIGRAM_INDEXES = [
    ("article_search_text_trgm", "search_text"),
    ("article_search_title_trgm", "search_title"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        "ALTER TABLE articles_article ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX article_search_vector ON articles_article USING gin (search_vector)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE articles_article DROP COLUMN search_vector")
    for name, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON articles_article USING gin ({column} gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_listing_indexes")]

    operations = [migrations.RunPython(create, drop)]
