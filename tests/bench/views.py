"""Benchmark of view counting (`make bench`): not a test, a measurement to re-run.

1. Counted views per second through the beacon endpoint, served by gunicorn (DEBUG off) over
   PostgreSQL with the Redis buffer, driven by wrk on loopback for BENCH_SECONDS; then a flush,
   and a check that every 2xx answer became exactly one counted view (none lost).
2. The same with the database buffer (no Redis).
3. The 7-day "Xem nhiều nhất" query over 1,000,000 ViewBucket rows (median of 30 runs).

Needs PostgreSQL and Redis on 127.0.0.1 and Debian's wrk (installed here when missing and
running as root). It works in its own database, BENCH_DATABASE_URL, dropped and made anew.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
PORT = 8123
ARTICLES = 300
BUCKET_ROWS = 1_000_000

# Requests are formatted once per wrk thread, so that wrk spends its CPU sending, not in Lua.
WRK_SCRIPT = """
local ids = {%s}
local requests = {}
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "http://127.0.0.1:%d"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36"
init = function(args)
  for i, id in ipairs(ids) do
    requests[i] = wrk.format(nil, "/luot-xem/", nil, "id=" .. id)
  end
end
request = function()
  counter = counter + 1
  return requests[(counter * 7919) %% #requests + 1]
end
"""


def environment(**extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 30,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS": "0",  # plain http on loopback
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": "",
        # Every simulated reader sends from 127.0.0.1: the per-address ceiling would drop their
        # beacons, and the load test counts each answered beacon as a view.
        "VIEW_CEILING_PER_MINUTE": "1000000000",
        **extra,
    }
    return env


def setup_django(redis_url=""):
    os.environ.update(environment(REDIS_URL=redis_url))
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def fresh_database(url=DATABASE_URL):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    migrate(url)


def migrate(url=DATABASE_URL):
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=PROJECT,
        env=environment(DATABASE_URL=url),
        check=True,
    )


def make_articles(count):
    """Live articles, made as `generate_articles` makes them; returns all their ids."""
    from io import StringIO

    from django.core.management import call_command

    from articles.models import Article

    call_command("generate_articles", count=count, batch=5000, stdout=StringIO())
    return list(Article.objects.values_list("pk", flat=True))


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("wrk is needed: apt-get install wrk")
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)


def serve(port=PORT, **env):
    """gunicorn over the bench database, one sync worker a core (wrk shares the two cores)."""
    workers = os.environ.get("BENCH_WORKERS", str(os.cpu_count()))
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "newsroom.wsgi",
            "--workers",
            workers,
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=PROJECT,
        env=environment(**env),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    sys.exit("gunicorn did not start")


def run_wrk(ids):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % (",".join(map(str, ids)), PORT))
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--latency",
            "-s",
            script.name,
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    output = result.stdout
    requests = int(output.split(" requests in ")[0].split()[-1])
    non_2xx = 0
    for line in output.splitlines():
        if "Non-2xx or 3xx responses" in line:
            non_2xx = int(line.split(":")[1])
    errors = 0
    if "Socket errors" in output:
        line = next(li for li in output.splitlines() if "Socket errors" in li)
        errors = sum(int(part.split()[1]) for part in line.split(":", 1)[1].split(","))
    latency = {
        line.split()[0]: line.split()[1]
        for line in output.splitlines()
        if line.strip().startswith(("50%", "99%"))
    }
    return {"answered_2xx": requests - non_2xx, "non_2xx": non_2xx, "socket_errors": errors,
            "p50": latency.get("50%"), "p99": latency.get("99%")}  # fmt: skip


def counting_run(label, redis_url, ids):
    from django.conf import settings
    from django.db.models import Sum

    from articles.models import Article
    from popularity import counting

    settings.REDIS_URL = redis_url
    counting.view_buffer().clear()
    Article.objects.update(view_count=0)
    server = serve(REDIS_URL=redis_url)
    try:
        result = run_wrk(ids)
    finally:
        server.terminate()
        server.wait()
    started = time.perf_counter()
    flushed = counting.flush_views()
    flush_seconds = time.perf_counter() - started
    counted = Article.objects.aggregate(total=Sum("view_count"))["total"] or 0
    result.update(
        buffer=label,
        counted=counted,
        flushed=flushed,
        # wrk stops counting answers at the deadline; requests then in flight are still counted.
        lost=max(0, result["answered_2xx"] - counted),
        counted_after_deadline=max(0, counted - result["answered_2xx"]),
        counted_per_second=round(counted / SECONDS),
        flush_seconds=round(flush_seconds, 2),
    )
    return result


def ranking_query_time():
    """Fill ViewBucket with BUCKET_ROWS rows (mostly daily, 72 hours of hourly), then time the
    7-day ranking of live articles."""
    from datetime import timedelta

    from django.db import connection

    from articles.models import Article

    make_articles(10_000 - Article.objects.count())
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE articles_viewbucket")
        # 10,000 articles, about 27 a day over a year; each read on each of the 100 days after
        # it was published (up to today), and the newest 2,000 hourly for 72 hours: ~1,000,000
        # rows, of which ~20,000 fall in the last 7 days.
        cursor.execute(
            """
            INSERT INTO articles_viewbucket (article_id, granularity, period_start, views)
            SELECT a.id, 'd', date_trunc('day', now()) - make_interval(days => (a.age - d)::int),
                   1 + (random() * 500)::int
            FROM (SELECT id, (row_number() OVER (ORDER BY id DESC)) * 365 / 10000 AS age
                  FROM articles_article) a,
                 generate_series(0, 99) AS d
            WHERE a.age - d >= 0
            """
        )
        cursor.execute(
            """
            INSERT INTO articles_viewbucket (article_id, granularity, period_start, views)
            SELECT a.id, 'h', date_trunc('hour', now()) - make_interval(hours => h),
                   1 + (random() * 50)::int
            FROM (SELECT id FROM articles_article ORDER BY id DESC LIMIT 2000) a,
                 generate_series(0, 71) AS h
            """
        )
        # What autovacuum does on a running site: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM articles_viewbucket")
        rows = cursor.fetchone()[0]
    timings = {}
    for label, since in [("24 hours", timedelta(hours=24)), ("7 days", timedelta(days=7)),
                         ("30 days", timedelta(days=30))]:  # fmt: skip
        runs = []
        for _ in range(30):
            started = time.perf_counter()
            list(Article.objects.live().most_viewed(since=since).values_list("pk", "views")[:10])
            runs.append((time.perf_counter() - started) * 1000)
        timings[label] = round(statistics.median(runs), 2)
    return {"bucket_rows": rows, "ranking_ms_median": timings}


def main():
    ensure_wrk()
    fresh_database()
    setup_django()
    ids = make_articles(ARTICLES)
    report = {
        "machine": f"{os.cpu_count()} cores, {os.uname().sysname} {os.uname().machine}",
        "seconds_per_run": SECONDS,
        "connections": CONNECTIONS,
        "gunicorn_workers": os.environ.get("BENCH_WORKERS", str(os.cpu_count())),
        "runs": [counting_run("redis", REDIS_URL, ids), counting_run("database", "", ids)],
    }
    report.update(ranking_query_time())
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
