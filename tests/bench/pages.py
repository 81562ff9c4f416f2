"""Benchmark of public pages (`make bench`, after the view-counting one): not a test.

For each size in BENCH_SIZES, a PostgreSQL database of that many articles made with
`generate_articles` (newsroom_bench_<size>, kept between runs and made again only when it does
not hold that many; BENCH_FRESH=1 always makes it again). gunicorn (DEBUG off, one sync worker
per core, Redis cache) serves home, a big section, a niche one (one article in a thousand), an
article and a search in three ways:

- cached: the page cache on (what readers get);
- uncached: the page cache off, so every request runs the view; the templates' fragments kept
  in each worker (an article's body, the lists beside it, the menu) are used, as after a change
  to some other article;
- cold: the page cache and the fragments off: every page built from nothing.

Each beside a bare Django view returning 30 KB through the same server (and, in the uncached
run, the article page's own bytes sent with no view work, then after one raw query: the most
any article view could reach here): wrk -t2 -c32 for BENCH_SECONDS each on loopback. Prints
requests/s, p50, p99 and each page's ratio to the bare view, then each page's p50 growth from
the first size to the last.
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
    migrate,
    serve,
)

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "10000").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PORT = 8125
MODES = {
    "cached": {"PAGE_CACHE": "1", "FRAGMENT_CACHE": "1"},
    "uncached": {"PAGE_CACHE": "0", "FRAGMENT_CACHE": "1"},
    "cold": {"PAGE_CACHE": "0", "FRAGMENT_CACHE": "0"},
}


# Beside the uncached article: its page's bytes sent as stored (no query, no template), then
# the same after one raw SQL query; what no article view could beat (tests/bench/bench_views.py).
REFERENCES = {
    "article bytes, no view": "/bench/stored-article/",
    "article bytes after one raw query": "/bench/stored-article-after-query/",
}


def database_url(size):
    return f"{DATABASE_URL}_{size}"


def serve_pages(url, mode):
    settings = {"DATABASE_URL": url, "REDIS_URL": REDIS_URL, "BENCHMARK_VIEW": "1", **MODES[mode]}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT,
        env=environment(**settings),
        check=True,
    )
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=True, capture_output=True)
    return serve(PORT, **settings)


def wrk(path):
    url = f"http://127.0.0.1:{PORT}{path}"
    # Warm the workers (and the caches); then ask as browsers do, accepting gzip.
    for _ in range(6):
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        urllib.request.urlopen(request, timeout=60).read()
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


def beside(bare, result):
    result["x_bare"] = round(result["requests_per_s"] / bare["requests_per_s"], 2)
    return result


def milliseconds(latency):
    for unit, factor in (("us", 0.001), ("ms", 1), ("s", 1000)):
        if latency.endswith(unit) and latency[: -len(unit)].replace(".", "").isdigit():
            return float(latency[: -len(unit)]) * factor
    raise ValueError(latency)


def pages(url):
    """The pages measured: the newest article, a big section and a niche one, a search for a
    common phrase."""
    import psycopg

    with psycopg.connect(url) as conn:
        article_id, slug = conn.execute(
            "SELECT id, slug FROM articles_article WHERE status = 'published' "
            "AND publish_at <= now() ORDER BY publish_at DESC, id DESC LIMIT 1"
        ).fetchone()
    return {
        "home": "/",
        "section": "/thoi-su/",
        "niche section": "/cong-nghe/",  # generate_articles.NICHE_SECTION
        "article": f"/{slug}-{article_id}.html",
        "search": "/tim-kiem/?q=giao+thong",
    }


def article_count(url):
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM articles_article").fetchone()[0]
    except psycopg.Error:  # no such database, or not migrated
        return None


def prepare(size):
    """A database holding `size` articles; returns (url, seconds spent generating or None)."""
    url = database_url(size)
    if os.environ.get("BENCH_FRESH") != "1" and article_count(url) == size:
        migrate(url)
        return url, None
    fresh_database(url)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "generate_articles",
            "--count",
            str(size),
            "--batch",
            "10000",
        ],
        cwd=PROJECT,
        env=environment(DATABASE_URL=url),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = round(time.perf_counter() - started)
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return url, seconds


def main():
    ensure_wrk()
    report = {"machine": f"{os.cpu_count()} cores", "seconds_per_run": SECONDS, "sizes": {}}
    for size in SIZES:
        url, generation = prepare(size)
        paths = pages(url)
        results = {"generate_seconds": generation}
        for mode in MODES:
            server = serve_pages(url, mode)
            try:
                bare = wrk("/bench/bare/")
                results[f"bare ({mode} run)"] = bare
                if mode == "uncached":
                    for name, path in REFERENCES.items():
                        results[name] = beside(bare, wrk(path))
                for name, path in paths.items():
                    results[f"{name} {mode}"] = beside(bare, wrk(path))
            finally:
                server.terminate()
                server.wait()
        report["sizes"][size] = results
        print(json.dumps({size: results}, indent=2), flush=True)
    if len(SIZES) > 1:
        first, last = report["sizes"][SIZES[0]], report["sizes"][SIZES[-1]]
        report["p50_growth"] = {
            name: round(milliseconds(last[name]["p50"]) / milliseconds(first[name]["p50"]) - 1, 2)
            for name in first
            if name in last and isinstance(first[name], dict) and "x_bare" in first[name]
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
