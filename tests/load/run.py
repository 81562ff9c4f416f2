"""Load and fault test (`make loadtest`): not a unit test, a measurement with targets.

The site is served as `make serve` serves it (gunicorn with 2 x cores + 1 sync workers, DEBUG
off, collected static files) over a PostgreSQL 15 cluster and a Redis of its own, made in a
temporary folder on ports of their own (tests/load/services.py), with `manage.py flush_views
--every 5` beside it as in production (started again when it exits, as systemd would). The
database holds LOADTEST_ARTICLES articles (3,000, from `generate_articles`). Three runs follow,
each of LOADTEST_SECONDS (60) with LOADTEST_READERS readers (50) on loopback, each reader
asking for a page and, after an article page, sending its view beacon, over and over
(tests/load/readers.py):

1. steady: nothing goes wrong. Target: no 5xx, no request unanswered, no view lost.
2. postgres-restart: `pg_ctl restart -m fast` at half time. Target: errors only from the
   restart to LOADTEST_ERROR_WINDOW seconds (10) after it, none in the run's last quarter (the
   site recovers by itself), no view lost.
3. redis-stop: Redis stopped at half time, started again after the run. Target: no 5xx and
   nothing unanswered (pages come from the database), no view lost: views go to the database
   buffer while Redis is down, and those Redis held come back from its append-only file, as
   docs/operations.md asks of a production Redis (reported apart).

After each run every buffered view is flushed, then each article's `view_count` must have grown
by exactly the beacons answered 204 for it: "lost" views were accepted and never counted,
"extra" ones counted beyond what was accepted (allowed only for beacons whose answer never
came). The daily ViewBucket rows must agree.

wrk sends the readers' mix for LOADTEST_CALIBRATION_SECONDS (10) before the runs, to warm the
caches, and again right after the steady run: its rate next to the readers' in the second half
of that run shows whether the Python client or the server sets the pace, as do the readers'
share of time spent waiting for answers (near 1) and their share of the CPU. Each run says
where the CPU went: the site, the readers, other programs (the machine may be shared).

Prints a table and a JSON summary (requests, req/s, latency p50/p99, answers by class, error
window, beacons accepted, views counted, lost); exits 1 when a target is missed. Logs
(gunicorn's error log, the flusher's, PostgreSQL's, Redis's, summary.json) stay in
LOADTEST_LOG_DIR (a new folder under /tmp by default); everything else is removed, also after a
failure or Ctrl-C. LOADTEST_COMMIT=HEAD serves that commit (exported into the temporary folder)
instead of the working tree.
"""

import contextlib
import http.client
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import database
import readers
from cpu import Meter
from services import PrivatePostgres, PrivateRedis, require_free_port

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT / "tests" / "bench"))
from views import environment  # noqa: E402  (tests/bench/views.py)

SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
READERS = int(os.environ.get("LOADTEST_READERS", "50"))
CLIENT_PROCESSES = int(os.environ.get("LOADTEST_CLIENT_PROCESSES", "2"))
ARTICLES = int(os.environ.get("LOADTEST_ARTICLES", "3000"))
ERROR_WINDOW = float(os.environ.get("LOADTEST_ERROR_WINDOW", "10"))
CALIBRATION_SECONDS = int(os.environ.get("LOADTEST_CALIBRATION_SECONDS", "10"))
COMMIT = os.environ.get("LOADTEST_COMMIT", "")
PORT = int(os.environ.get("LOADTEST_PORT", "8199"))
PG_PORT = int(os.environ.get("LOADTEST_PG_PORT", "5499"))
REDIS_PORT = int(os.environ.get("LOADTEST_REDIS_PORT", "6399"))
DATABASE = "newsroom_load"
CORES = len(os.sched_getaffinity(0))  # what `nproc` says
WORKERS = 2 * CORES + 1  # as `make serve`
FLUSH_EVERY = 5
STARTED = time.monotonic()


def say(message):
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def exported(commit, root):
    """The project as of `commit`, in the temporary folder: what is measured then does not
    change while others edit the working tree."""
    app = root / "project"
    app.mkdir()
    archive = subprocess.run(
        ["git", "archive", commit], cwd=PROJECT, capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(app)], input=archive.stdout, check=True)
    return app


class Site:
    """The served site: private PostgreSQL and Redis, gunicorn, the flusher, their logs."""

    def __init__(self, root, logs, app):
        self.root, self.logs, self.app = root, logs, app
        self.postgres = PrivatePostgres(root, PG_PORT)
        self.redis = PrivateRedis(root, REDIS_PORT)
        self.gunicorn = self.flusher = None
        self.flusher_restarts = 0
        self.flushing = False
        self.flusher_lock = threading.Lock()
        self.error_log = logs / "gunicorn-error.log"
        self.flusher_log = logs / "flusher.log"
        self.env = environment(
            DATABASE_URL=self.postgres.url(DATABASE),
            REDIS_URL=self.redis.url,
            STATIC_ROOT=str(root / "static"),
            MEDIA_ROOT=str(root / "media"),
            SERVE_MEDIA="1",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            HTTPS="0",  # plain http on loopback, as `make serve`
        )

    def manage(self, *args, **kwargs):
        command = [sys.executable, "manage.py", *args]
        return subprocess.run(command, cwd=self.app, env=self.env, **kwargs)

    def set_up(self):
        require_free_port(PORT, "gunicorn")
        say(f"PostgreSQL 15 on 127.0.0.1:{PG_PORT}, Redis on 127.0.0.1:{REDIS_PORT}")
        self.postgres.start()
        self.redis.start()
        self.postgres.create_database(DATABASE)
        say(f"migrate, generate_articles --count {ARTICLES}, collectstatic")
        self.manage("migrate", "--noinput", "-v0", check=True)
        self.manage("generate_articles", "--count", str(ARTICLES), check=True,
                    stdout=subprocess.DEVNULL)  # fmt: skip
        self.manage("collectstatic", "--noinput", "-v0", check=True)
        self.serve()
        self.flushing = True
        threading.Thread(target=self.keep_flushing, daemon=True).start()

    def serve(self):
        """gunicorn as `make serve` starts it; errors go to the kept log."""
        say(f"gunicorn, {WORKERS} workers, on 127.0.0.1:{PORT}")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        options = f"--workers {WORKERS} --bind 127.0.0.1:{PORT} --access-logfile - "
        options += "--log-level warning"
        with open(self.error_log, "ab") as errors, open(self.root / "access.log", "ab") as access:
            self.gunicorn = subprocess.Popen(
                [gunicorn, "newsroom.wsgi", *options.split()],
                cwd=self.app,
                env=self.env,
                stdout=access,
                stderr=errors,
                start_new_session=True,
            )
        for _ in range(300):
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            try:
                connection.request("GET", "/robots.txt")
                status = connection.getresponse().status
            except OSError:
                if self.gunicorn.poll() is not None:
                    break
                time.sleep(0.1)
                continue
            finally:
                connection.close()
            if status != 200:
                raise SystemExit(f"gunicorn answers {status} for /robots.txt; see {self.error_log}")
            return
        raise SystemExit(f"gunicorn did not start; see {self.error_log}")

    def keep_flushing(self):
        """`flush_views --every 5`, started again a second after it exits (as systemd's
        Restart=always would); the restarts are counted."""
        while True:
            with self.flusher_lock, open(self.flusher_log, "ab") as log:
                if not self.flushing:
                    return
                self.flusher = subprocess.Popen(
                    [sys.executable, "manage.py", "flush_views", "--every", str(FLUSH_EVERY)],
                    cwd=self.app,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            code = self.flusher.wait()
            with self.flusher_lock, open(self.flusher_log, "a") as log:
                if not self.flushing:
                    return
                self.flusher_restarts += 1
                log.write(f"--- {datetime.now():%H:%M:%S} the flusher exited ({code}): again\n")
            time.sleep(1)

    def settled_counts(self, timeout=90):
        """((view counts, daily bucket total), views still buffered), once flushes have
        emptied the buffers and the counts stayed still for a flusher's period."""
        deadline = time.time() + timeout
        previous = None
        while time.time() < deadline:
            flushed = self.manage("flush_views", capture_output=True, text=True)
            if flushed.returncode == 0 and database.views_buffered(self.redis.client()) == 0:
                counts = database.view_counts()
                if counts == previous:
                    return counts, 0
                previous = counts
                time.sleep(FLUSH_EVERY + 1)
            else:
                time.sleep(1)
        say("views still buffered after the flushes")
        return database.view_counts(), database.views_buffered(self.redis.client())

    def pids(self):
        """The site's root processes now: gunicorn, the flusher, Redis, PostgreSQL."""
        pids = [
            process.pid
            for process in (self.gunicorn, self.flusher, self.redis.process)
            if process is not None and process.poll() is None
        ]
        with contextlib.suppress(OSError, IndexError, ValueError):  # between a stop and a start
            pids.append(int((self.postgres.data / "postmaster.pid").read_text().split()[0]))
        return pids

    def tear_down(self):
        with self.flusher_lock:
            self.flushing = False
        # SIGQUIT is gunicorn's quick shutdown (SIGTERM waits for idle workers' time-outs).
        for process, stop in ((self.flusher, signal.SIGTERM), (self.gunicorn, signal.SIGQUIT)):
            if process is not None and process.poll() is None:
                process.send_signal(stop)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)  # its own session: it and its workers
                    process.wait()
        self.redis.stop()
        self.postgres.stop()
        for log in (self.postgres.log, self.redis.log):
            if log.exists():
                shutil.copy(log, self.logs / log.name)


# The runs --------------------------------------------------------------------------------------


def drive(site_map, meter, fault=None):
    """The readers for SECONDS, in CLIENT_PROCESSES processes; `fault(start)` at half time.
    Returns (samples, beacons accepted by article, CPU shares, start, end, the fault's report)."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start = time.time() + 3  # the processes' start-up is not measured
    processes = [
        context.Process(
            target=readers.read,
            args=(PORT, site_map, count, start, start + SECONDS, n + 1, results),
            daemon=True,
        )
        for n, count in enumerate(
            READERS // CLIENT_PROCESSES + (n < READERS % CLIENT_PROCESSES)
            for n in range(CLIENT_PROCESSES)
        )
    ]
    for process in processes:
        process.start()
    time.sleep(max(0.0, start - time.time()))
    meter.start()
    fault_report = None
    if fault is not None:
        time.sleep(max(0.0, start + SECONDS / 2 - time.time()))
        fault_report = fault(start)
    samples, accepted, cpu = [], Counter(), 0.0
    for _ in processes:
        result = results.get(timeout=SECONDS + readers.TIMEOUT + 60)
        samples += result["samples"]
        accepted.update(result["accepted"])
        cpu += result["cpu_seconds"]
    for process in processes:
        process.join()
    end = max([start + SECONDS] + [started + ms / 1000 for started, _, _, ms in samples])
    return samples, accepted, meter.stop(cpu), start, end, fault_report


def latency(samples):
    ordered = sorted(ms for _, _, _, ms in samples)
    if not ordered:
        return {"p50": None, "p99": None}
    at = {"p50": 0.5, "p99": 0.99}
    return {name: round(ordered[int(share * (len(ordered) - 1))], 1) for name, share in at.items()}


def status_class(status):
    return "no_answer" if status == readers.NO_ANSWER else f"{status // 100}xx"


def is_error(status):
    return not 200 <= status < 400


EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Timeout))\b")
CHAINED = ("During handling of the above exception", "The above exception was the direct cause")


def server_errors(site, offset):
    """What gunicorn's error log says since `offset`: Django's lines for 5xx answers ("Service
    Unavailable: /path"), each traceback's last exception (not those it was chained from),
    and worker time-outs."""
    found = Counter()
    with open(site.error_log, errors="replace") as log:
        log.seek(offset)
        lines = log.read().splitlines()
    for n, line in enumerate(lines):
        if match := EXCEPTION_LINE.match(line):
            following = [later for later in lines[n + 1 : n + 10] if later[:1].strip()]
            if not following or not following[0].startswith(CHAINED):
                found[match.group(1)] += 1
        elif line.startswith(("Internal Server Error: ", "Service Unavailable: ")):
            found["logged: " + line.split(":")[0]] += 1
        elif "WORKER TIMEOUT" in line:
            found["gunicorn: WORKER TIMEOUT"] += 1
    return dict(found.most_common())


def load_run(name, site, site_map, before, fault=None, after_fault=None):
    """One run: the readers (and the fault), the fault undone, the views settled; measured."""
    say(f"run {name}: {READERS} readers for {SECONDS:g} s")
    log_offset = site.error_log.stat().st_size
    restarts = site.flusher_restarts
    load_average = os.getloadavg()[0]
    samples, accepted, cpu, start, end, fault_report = drive(site_map, Meter(site.pids), fault)
    if after_fault is not None:
        after_fault()
    (counts, daily), still_buffered = site.settled_counts()
    if fault_report and "held" in fault_report:
        # Only now is it known which batches held in Redis a flush had written before the stop.
        fault_report["views_in_redis_when_stopped"] = database.unflushed(fault_report.pop("held"))
    old_counts, old_daily = before
    counted = Counter({pk: counts.get(pk, 0) - old_counts.get(pk, 0) for pk in counts})
    articles = accepted.keys() | counted.keys()

    # An error is placed when its answer came: a request sent before a restart fails with it.
    errors = sorted(
        started + ms / 1000 - start for started, _, status, ms in samples if is_error(status)
    )
    fault_at = fault_report["at_s"] if fault_report else None
    beacons = [sample for sample in samples if sample[1] == readers.BEACON]
    kinds = [kind for kind, _ in readers.MIX] + [readers.BEACON]
    statuses = Counter(status_class(status) for _, _, status, _ in samples)
    return {
        "run": name,
        "seconds": round(end - start, 1),
        "requests": len(samples),
        "requests_per_second": round(len(samples) / (end - start)),
        "second_half_requests_per_second": round(
            sum(start + SECONDS / 2 <= started < start + SECONDS for started, *_ in samples)
            / (SECONDS / 2)
        ),
        "latency_ms": latency(samples),
        # Near 1 when the readers spend their time waiting for answers: the server sets the
        # pace, not the client.
        "readers_waiting_share": round(
            sum(ms for _, _, _, ms in samples) / 1000 / ((end - start) * READERS), 2
        ),
        "answers": {key: statuses[key] for key in ("2xx", "3xx", "4xx", "5xx", "no_answer")},
        "by_kind": {
            kind: {
                "requests": len(these),
                "errors": sum(is_error(status) for _, _, status, _ in these),
                **latency(these),
            }
            for kind in kinds
            for these in [[sample for sample in samples if sample[1] == kind]]
        },
        "beacon_answers": dict(Counter(str(status) for _, _, status, _ in beacons)),
        "errors": {
            "count": len(errors),
            "first_s": round(errors[0], 2) if errors else None,
            "last_s": round(errors[-1], 2) if errors else None,
            "window_s": round(errors[-1] - errors[0], 2) if errors else 0,
            "last_after_fault_s": round(errors[-1] - fault_at, 2) if errors and fault_at else None,
            "per_second": {str(s): n for s, n in sorted(Counter(map(int, errors)).items())},
        },
        "fault": fault_report,
        "beacons_accepted": sum(accepted.values()),
        "views_counted": sum(counted.values()),
        "daily_bucket_views_counted": daily - old_daily,
        "lost_views": sum(max(0, accepted[pk] - counted[pk]) for pk in articles),
        "extra_views": sum(max(0, counted[pk] - accepted[pk]) for pk in articles),
        "views_still_buffered": still_buffered,
        "flusher_restarts": site.flusher_restarts - restarts,
        "server_errors": server_errors(site, log_offset),
        "cpu_share": cpu,
        "load_average_before": round(load_average, 2),
    }, (counts, daily)


def restart_postgres(site):
    def fault(start):
        began = time.time()
        say("pg_ctl restart -m fast")
        site.postgres.restart()
        took = time.time() - began
        return {"what": "pg_ctl restart -m fast", "at_s": round(began - start, 2),
                "took_s": round(took, 2)}  # fmt: skip

    return fault


def stop_redis(site):
    def fault(start):
        began = time.time()
        say("Redis stopped")
        client = site.redis.client()
        # Writes wait from here on, so that what the buffer holds when Redis goes is known.
        client.execute_command("CLIENT", "PAUSE", "10000", "WRITE")
        held = database.views_in_redis(client)
        site.redis.stop()
        return {"what": "Redis stopped (SIGTERM), started again after the run",
                "at_s": round(began - start, 2), "held": held}  # fmt: skip

    return fault


def calibrate(site_map, root, meter, seed):
    """wrk sending the readers' mix (a beacon after each article page) over as many
    connections: the server's pace when the client costs next to nothing."""
    rng = random.Random(seed)
    plans = []
    for _thread in range(2):  # each of wrk's two threads has a plan of its own
        requests = []
        for _ in range(5_000):
            _, path, article_id = readers.choose(rng, site_map)
            requests.append(f'{{"GET", "{path}"}}')
            if article_id is not None:
                requests.append(f'{{"POST", "{readers.BEACON_PATH}", "id={article_id}"}}')
        plans.append("{" + ",\n".join(requests) + "}")
    page = ", ".join(f'["{k}"] = "{v}"' for k, v in readers.PAGE_HEADERS.items())
    beacon = ", ".join(f'["{k}"] = "{v}"' for k, v in readers.beacon_headers(PORT).items())
    script = root / "mix.lua"
    script.write_text(
        f"local page = {{{page}}}\nlocal beacon = {{{beacon}}}\n"
        "local threads, requests, counter = 0, {}, 0\n"
        "setup = function(thread)\n  threads = threads + 1\n  thread:set('plan', threads)\nend\n"
        "init = function(args)\n  local plans = {" + ",\n".join(plans) + "}\n"
        "  for i, r in ipairs(plans[plan]) do\n"
        "    requests[i] = wrk.format(r[1], r[2], r[3] and beacon or page, r[3])\n  end\nend\n"
        "request = function()\n  counter = counter + 1\n"
        "  return requests[(counter - 1) % #requests + 1]\nend\n"
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    meter.start()
    command = f"wrk -t2 -c{READERS} -d{CALIBRATION_SECONDS}s --timeout {readers.TIMEOUT}s --latency"
    command += f" -s {script}"
    output = subprocess.run(
        [*command.split(), f"http://127.0.0.1:{PORT}"], capture_output=True, text=True, check=True
    ).stdout
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = meter.stop(used.ru_utime + used.ru_stime - children.ru_utime - children.ru_stime)
    lines = output.splitlines()
    percentiles = dict(line.split()[:2] for line in lines if line.strip()[:3] in {"50%", "99%"})
    return {
        "wrk_requests_per_second": round(float(output.split("Requests/sec:")[1].split()[0])),
        "wrk_non_2xx": sum(int(line.split(":")[1]) for line in lines if "Non-2xx" in line),
        "wrk_socket_errors": sum(
            int(part.split()[1])
            for line in lines
            if "Socket errors" in line
            for part in line.split(":", 1)[1].split(",")
        ),
        "wrk_p50": percentiles.get("50%"),
        "wrk_p99": percentiles.get("99%"),
        "wrk_cpu_share": cpu,
    }


# Targets and the report ------------------------------------------------------------------------


def missed_targets(report):
    """The targets this run missed, in words."""
    missed = []
    name, answers, errors, fault = (report[key] for key in ("run", "answers", "errors", "fault"))
    failed = answers["5xx"] + answers["no_answer"]
    if report["lost_views"]:
        missed.append(f"{name}: {report['lost_views']} views accepted but not counted")
    unanswered = int(report["beacon_answers"].get(str(readers.NO_ANSWER), 0))
    if report["extra_views"] > unanswered:
        missed.append(f"{name}: {report['extra_views']} views counted that were not accepted")
    if report["daily_bucket_views_counted"] != report["views_counted"]:
        missed.append(f"{name}: the daily buckets gained {report['daily_bucket_views_counted']}")
    if report["views_still_buffered"]:
        missed.append(f"{name}: {report['views_still_buffered']} views still buffered")
    if name in ("steady", "redis-stop") and failed:
        missed.append(
            f"{name}: {answers['5xx']} answers 5xx and {answers['no_answer']} unanswered, from "
            f"{errors['first_s']} s to {errors['last_s']} s"
            + (f" (Redis stopped at {fault['at_s']} s)" if fault else "")
        )
    if name == "postgres-restart" and errors["count"]:
        if errors["first_s"] < fault["at_s"] or errors["last_after_fault_s"] > ERROR_WINDOW:
            missed.append(
                f"{name}: errors from {errors['first_s']} s to {errors['last_s']} s, not only in "
                f"the {ERROR_WINDOW:g} s after the restart at {fault['at_s']} s"
            )
        if errors["last_s"] > report["seconds"] * 0.75:
            missed.append(f"{name}: errors in the run's last quarter: not recovered")
    return missed


def table(reports):
    header = "run|requests|req/s|p50 ms|p99 ms|2xx|4xx|5xx|none|errors at s|beacons 204|"
    header += "views counted|lost|CPU site/readers/others"
    rows = [header.split("|")]
    for r in reports:
        errors, answers = r["errors"], r["answers"]
        window = f"{errors['first_s']}-{errors['last_s']}" if errors["count"] else "-"
        cpu = "{site:.0%}/{readers:.0%}/{others:.0%}".format(**r["cpu_share"])
        rows.append(
            [r["run"], r["requests"], r["requests_per_second"], *r["latency_ms"].values()]
            + [answers[key] for key in ("2xx", "4xx", "5xx", "no_answer")]
            + [window, r["beacons_accepted"], r["views_counted"], r["lost_views"], cpu]
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    )


def machine():
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), "?")
    return f"{CORES} cores ({cpu}), {os.uname().sysname} {os.uname().release}"


def served_code():
    """(what is served, for the summary; the commit to export, if any): a commit resolved now,
    as others may commit while the test runs, or the working tree on top of one."""
    command = ["git", "rev-parse", COMMIT or "HEAD"]
    commit = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, check=True)
    commit = commit.stdout.strip()
    if COMMIT:
        return f"commit {commit[:7]}", commit
    return f"working tree (on {commit[:7]})", None


def measure(site, root, code):
    """Calibration and the three runs: the summary."""
    database.setup_django(site.app, site.env)
    site_map = database.site_paths()
    say(f"warming the caches: wrk with the readers' mix for {CALIBRATION_SECONDS} s")
    calibrate(site_map, root, Meter(site.pids), seed=98)
    counts, _ = site.settled_counts()
    reports = []
    for name, fault, after_fault in [
        ("steady", None, None),
        ("postgres-restart", restart_postgres(site), None),
        ("redis-stop", stop_redis(site), site.redis.start),
    ]:
        report, counts = load_run(name, site, site_map, counts, fault, after_fault)
        report["missed_targets"] = missed_targets(report)
        reports.append(report)
        if name == "steady":
            # Right after the steady run, with its caches: compared with its second half.
            say(f"calibration: wrk with the readers' mix for {CALIBRATION_SECONDS} s")
            calibration = calibrate(site_map, root, Meter(site.pids), seed=99)
            counts, _ = site.settled_counts()
    readers_rate = reports[0]["second_half_requests_per_second"]
    calibration["readers_requests_per_second"] = readers_rate
    calibration["readers_to_wrk"] = round(
        readers_rate / max(1, calibration["wrk_requests_per_second"]), 2
    )
    return {
        "machine": machine(),
        "code": code,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "articles": ARTICLES,
        "readers": READERS,
        "client_processes": CLIENT_PROCESSES,
        "gunicorn_workers": WORKERS,
        "seconds_per_run": SECONDS,
        "calibration": calibration,
        "runs": reports,
        "missed_targets": [missed for report in reports for missed in report["missed_targets"]],
        "logs": str(site.logs),
    }


def main():
    if SECONDS < 4:
        raise SystemExit("LOADTEST_SECONDS must be at least 4")
    stamp = f"newsroom-loadtest-logs-{datetime.now():%Y%m%d-%H%M%S}-"
    logs = Path(os.environ.get("LOADTEST_LOG_DIR") or tempfile.mkdtemp(prefix=stamp))
    logs.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="newsroom-loadtest-"))
    root.chmod(0o755)  # the postgres user works in a folder inside it
    # `kill` ends the script as Ctrl-C does: through the clean-up below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    site = None
    try:
        code, commit = served_code()
        site = Site(root, logs, exported(commit, root) if commit else PROJECT)
        site.set_up()
        summary = measure(site, root, code)
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
    except BaseException:
        say(f"stopped; logs in {logs}")
        raise
    finally:
        say("cleaning up")
        if site is not None:
            site.tear_down()
        shutil.rmtree(root, ignore_errors=True)
    (logs / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    calibration = summary["calibration"]
    print(table(summary["runs"]))
    print(
        f"wrk with the same mix over {READERS} connections: "
        f"{calibration['wrk_requests_per_second']} req/s right after the steady run; the readers "
        f"in its second half: {calibration['readers_requests_per_second']} req/s "
        f"({calibration['readers_to_wrk']:.0%})"
    )
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    if summary["missed_targets"]:
        print("\nMissed targets:\n- " + "\n- ".join(summary["missed_targets"]), file=sys.stderr)
        print(f"Logs: {site.error_log} (gunicorn), {site.flusher_log}", file=sys.stderr)
        sys.exit(1)
    say(f"all targets met; logs in {logs}")


if __name__ == "__main__":
    main()
