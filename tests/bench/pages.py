"""Benchmark of public pages (`make bench`, after the view-counting one): not a test.

For each size in BENCH_SIZES (articles made with `generate_articles` on PostgreSQL), gunicorn
(DEBUG off, one sync worker per core, Redis cache) serves home, a section, an article and a
search, with the page cache on and off, beside a bare Django view returning 30 KB through the
same server: wrk -t2 -c32 for BENCH_SECONDS each on loopback. Prints requests/s, p50, p99 and
each page's ratio to the bare view.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request

from views import (  # tests/bench/views.py
    DATABASE_URL,
    PROJECT,
    REDIS_URL,
    ensure_wrk,
    environment,
    fresh_database,
    serve,
)

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "10000").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PORT = 8125


def serve_pages(page_cache):
    settings = {"REDIS_URL": REDIS_URL, "PAGE_CACHE": page_cache, "BENCHMARK_VIEW": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT,
        env=environment(**settings),
        check=True,
    )
    return serve(PORT, **settings)


def wrk(path):
    url = f"http://127.0.0.1:{PORT}{path}"
    # Warm the workers (and the page cache); then ask as browsers do, accepting gzip.
    for _ in range(4):
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        urllib.request.urlopen(request, timeout=30).read()
    output = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{SECONDS}s", "--latency", "-H", "Accept-Encoding: gzip", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(output.split("Requests/sec:")[1].split()[0])
    latency = {
        line.split()[0]: line.split()[1]
        for line in output.splitlines()
        if line.strip().startswith(("50%", "99%"))
    }
    non_2xx = 0
    for line in output.splitlines():
        if "Non-2xx" in line:
            non_2xx = int(line.split(":")[1])
    return {"requests_per_s": round(rate), "p50": latency["50%"], "p99": latency["99%"],
            "non_2xx": non_2xx}  # fmt: skip


def pages():
    import django

    os.environ.update(environment())
    sys.path.insert(0, str(PROJECT))
    django.setup()
    from articles.models import Article
    from sections.models import Section

    article = Article.objects.live().newest_first().first()
    section = Section.objects.get(slug="thoi-su")
    paths = {
        "home": "/",
        "section": section.get_absolute_url(),
        "article": article.get_absolute_url(),
        "search": "/tim-kiem/?q=giao+thong",
    }
    from django.db import connections

    connections.close_all()  # the next size drops this database
    return paths


def generate(count):
    fresh_database()
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "generate_articles",
            "--count",
            str(count),
            "--batch",
            "10000",
        ],  # fmt: skip
        cwd=PROJECT,
        env=environment(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return round(seconds)


def main():
    ensure_wrk()
    report = {"machine": f"{os.cpu_count()} cores", "seconds_per_run": SECONDS, "sizes": {}}
    for size in SIZES:
        generation = generate(size)
        paths = pages()
        results = {"generate_seconds": generation}
        for page_cache in ("1", "0"):
            server = serve_pages(page_cache)
            try:
                bare = wrk("/bench/bare/")
                label = "cached" if page_cache == "1" else "uncached"
                results[f"bare ({label} run)"] = bare
                for name, path in paths.items():
                    result = wrk(path)
                    result["x_bare"] = round(result["requests_per_s"] / bare["requests_per_s"], 2)
                    results[f"{name} {label}"] = result
            finally:
                server.terminate()
                server.wait()
        report["sizes"][size] = results
        print(json.dumps({size: results}, indent=2), flush=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
