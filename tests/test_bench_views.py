"""The reference views `make bench` compares the article page with (tests/bench/bench_views.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.bench import bench_views as bench


def test_reference_views_send_the_newest_article_page_as_its_view_built_it(
    rf, make_article, monkeypatch
):
    monkeypatch.setattr(bench, "_stored", {})
    make_article(title="Bài cũ hơn")
    newest = make_article(title="Cầu Rồng phun lửa dịp cuối tuần")

    page = bench.stored_article(rf.get("/bench/stored-article/")).content

    assert "Cầu Rồng phun lửa dịp cuối tuần".encode() in page
    assert page.startswith(b"<!doctype html>") and len(page) > 5_000
    with CaptureQueriesContext(connection) as queries:
        after_query = bench.stored_article_after_query(rf.get("/bench/x/")).content
    assert after_query == page
    assert len(queries) == 1
    assert "articles_article" in queries[0]["sql"] and f"id = {newest.pk} AND" in queries[0]["sql"]
