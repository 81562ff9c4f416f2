"""The processes of a running site: Procfile (production, `make serve`) and Procfile.dev
(`make run`), each a web server, the view flusher and the schedule refresher, run by honcho."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.management import call_command, get_commands, load_command_class
from django.db import DatabaseError
from django.utils import timezone
from honcho.environ import parse_procfile

from articles.management.commands.refresh_published import LAST_RUN_KEY
from newsroom.formats import vi_datetime

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv's bin, as the Makefile puts on PATH
PROCFILES = ["Procfile", "Procfile.dev"]
PROCESSES = ["web", "flusher", "refresher"]
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
# What `make run` promises a reader of the demo: a counted view is in "Xem nhiều nhất" by then.
RANKING_DEADLINE = 60


def procfile(name):
    return parse_procfile((ROOT / name).read_text(encoding="utf-8")).processes


def shell_words(command, **env):
    """The arguments the shell passes for a Procfile line, its variables at their defaults."""
    result = subprocess.run(
        ["sh", "-c", f'printf "%s\\0" {command}'],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split("\0")[:-1]


@pytest.mark.parametrize("name", PROCFILES)
def test_each_procfile_runs_the_web_server_the_flusher_and_the_refresher(name):
    assert list(procfile(name)) == PROCESSES


@pytest.mark.parametrize("name", PROCFILES)
@pytest.mark.parametrize("process", ["flusher", "refresher"])
def test_the_flusher_and_the_refresher_are_management_commands_that_keep_running(name, process):
    words = shell_words(procfile(name)[process])
    assert words[:2] == ["python", "manage.py"]
    command = words[2]
    assert command in get_commands()
    parser = load_command_class(get_commands()[command], command).create_parser(
        "manage.py", command
    )
    # honcho stops every process when one ends: these two must loop, not run once.
    assert parser.parse_args(words[3:]).every > 0


def test_production_flushes_views_every_30_seconds_unless_told_otherwise():
    flusher = procfile("Procfile")["flusher"]
    assert shell_words(flusher)[2:] == ["flush_views", "--every", "30"]
    assert shell_words(flusher, FLUSH_EVERY="5")[2:] == ["flush_views", "--every", "5"]


def test_the_development_web_server_listens_on_the_port_honcho_gives_it():
    words = shell_words(procfile("Procfile.dev")["web"], PORT="8123")
    assert words[:3] == ["python", "manage.py", "runserver"]
    options = load_command_class("django.core", "runserver").create_parser("manage.py", "runserver")
    assert options.parse_args(words[3:]).addrport == "127.0.0.1:8123"


def test_the_production_web_server_loads_the_site_as_gunicorn_is_told():
    words = shell_words(procfile("Procfile")["web"], BIND="127.0.0.1:8124")
    assert words[0] == "gunicorn"
    assert words[words.index("--bind") + 1] == "127.0.0.1:8124"
    assert int(words[words.index("--workers") + 1]) >= 3
    # --check-config parses every option and imports the WSGI application, then exits.
    checked = subprocess.run(
        [BIN / "gunicorn", *words[1:], "--check-config"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "0", "SECRET_KEY": "tests-only-not-a-secret"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_refresher_keeps_running_while_the_database_is_away(monkeypatch, capsys):
    outcomes = iter([DatabaseError("connection refused"), 0, 2])
    windows = []

    def refresh(*, since, until):
        windows.append(since)
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    class Stop(Exception):
        pass

    rounds = []

    def sleep(seconds):
        rounds.append(seconds)
        if len(rounds) == 3:
            raise Stop

    command = "articles.management.commands.refresh_published"
    last_run = timezone.now() - timedelta(seconds=30)
    cache.set(LAST_RUN_KEY, last_run)
    checks = []
    monkeypatch.setattr(f"{command}.refresh_published", refresh)
    monkeypatch.setattr(f"{command}.time.sleep", sleep)
    # Each round first drops a connection the database closed meanwhile (here, none is open).
    monkeypatch.setattr(f"{command}.close_old_connections", lambda: checks.append(1))
    with pytest.raises(Stop):
        call_command("refresh_published", every=30)
    output = capsys.readouterr()
    assert rounds == [30, 30, 30]
    assert len(checks) == 3
    assert "sẽ thử lại" in output.err
    # The failed round leaves its window open: the next one looks back as far.
    assert windows[:2] == [last_run, last_run]
    assert windows[2] > last_run
    # A quiet round says nothing; a round that found articles says so.
    assert output.out.splitlines()[1:] == [
        f"2 bài đến giờ xuất bản hoặc gỡ từ {vi_datetime(windows[2], 'time')}."
    ]


def test_the_refresher_run_once_reports_what_it_found_even_when_nothing(monkeypatch):
    monkeypatch.setattr(
        "articles.management.commands.refresh_published.refresh_published",
        lambda *, since, until: 0,
    )
    out = StringIO()
    call_command("refresh_published", stdout=out)
    assert re.fullmatch(r"0 bài đến giờ xuất bản hoặc gỡ từ \d\d:\d\d:\d\d\.\n", out.getvalue())


# The development processes, for real -----------------------------------------------------------

SEED = """
import json
from datetime import timedelta
from django.utils import timezone
from articles.models import Article
from sections.models import Section
section = Section.objects.create(name="Thời sự", slug="thoi-su")
articles = [
    Article.objects.create(
        title=f"Bài thử số {number}", sapo="Tóm tắt bài thử.", body="<p>Nội dung bài thử.</p>",
        section=section, status=Article.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(hours=number),
    )
    for number in range(1, 4)
]
print("SEEDED", json.dumps([[a.pk, a.get_absolute_url()] for a in articles]))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url, *, data=None, headers=None):
    request = urllib.request.Request(
        url, data=data, headers={"User-Agent": BROWSER, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def fetch_or_none(url):
    try:
        status, body = fetch(url)
    except OSError:  # not listening yet
        return None
    return body if status == 200 else None


def most_viewed(page):
    """The links of the page's "Xem nhiều nhất" block (includes/most_viewed.html)."""
    block = re.search(r'<section class="sidebar-block most-viewed".*?</section>', page, re.S)
    return re.findall(r'href="([^"]+)"', block.group(0)) if block else []


def process_group_exists(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user took the number meanwhile
        return False
    return True


@pytest.mark.slow
def test_a_view_counted_in_make_run_shows_in_most_viewed_within_a_minute(tmp_path):
    """`make run`'s processes (Procfile.dev through honcho, as the Makefile starts them) over a
    fresh SQLite database: a reader's beacon reaches "Xem nhiều nhất" on the home page and on
    an article page within RANKING_DEADLINE seconds, and Ctrl-C stops every process."""
    # A developer's shell with nothing configured, as `make run` expects; the secret key file
    # and the database stay in tmp_path.
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEV_SECRET_KEY_FILE": str(tmp_path / "secret_key"),
        "PYTHONUNBUFFERED": "1",
    }
    manage = [BIN / "python", "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    seeded = subprocess.run([*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    articles = json.loads(re.search(r"^SEEDED (.*)$", seeded.stdout, re.M).group(1))
    article_id, article_path = articles[1]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "honcho.log"
    honcho = subprocess.Popen(
        # -e: a developer's .env in the checkout stays out of this run.
        [BIN / "honcho", "start", "-f", "Procfile.dev", "-p", str(port),
         "-e", str(tmp_path / "none.env")],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    groups = {}

    def page_at(path):
        """The page once the server answers it (at start, and while it reloads for a file
        changed in the checkout)."""
        deadline = time.monotonic() + 60
        while (page := fetch_or_none(base + path)) is None:
            assert honcho.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        return page

    try:
        page_at("/")
        groups = dict(re.findall(r"(\w+)\.1 started \(pid=(\d+)\)", log.read_text()))
        assert sorted(groups) == sorted(PROCESSES)

        # The reader opens the article; its page carries the beacon ({% view_beacon %}).
        page = page_at(article_path)
        assert article_path not in most_viewed(page_at("/"))
        beacon = re.search(r'<script src="[^"]*beacon\.js" data-article="(\d+)" '
                           r'data-endpoint="([^"]+)"', page)  # fmt: skip
        assert beacon and int(beacon.group(1)) == article_id
        # As navigator.sendBeacon sends it: a form body, the page's origin, a browser's agent.
        status, _ = fetch(
            base + beacon.group(2),
            data=urlencode({"id": beacon.group(1)}).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
                "Origin": base,
                "Referer": base + article_path,
            },
        )
        sent = time.monotonic()
        assert status == 204

        seen = {}
        while len(seen) < 3 and time.monotonic() - sent < RANKING_DEADLINE + 5:
            if "flushed" not in seen and "Đã ghi 1 lượt xem." in log.read_text():
                seen["flushed"] = time.monotonic() - sent
            for where, path in (("home", "/"), ("article", articles[0][1])):
                # None while the server reloads for a file changed in the checkout.
                page = fetch_or_none(base + path)
                if where not in seen and page and article_path in most_viewed(page):
                    seen[where] = time.monotonic() - sent
            time.sleep(0.5)
        print(f"beacon -> flushed / home / article page: {seen}")
        assert "flushed" in seen, f"the view was not counted: {log.read_text()}"
        assert seen.get("home", RANKING_DEADLINE + 1) < RANKING_DEADLINE
        assert seen.get("article", RANKING_DEADLINE + 1) < RANKING_DEADLINE

        # Ctrl-C: honcho stops every process, the development server's reloader child too.
        honcho.send_signal(signal.SIGINT)
        assert honcho.wait(timeout=30) == 130
        output = log.read_text()
        for process in PROCESSES:
            assert f"{process}.1 stopped" in output
        deadline = time.monotonic() + 5
        while any(process_group_exists(int(pid)) for pid in groups.values()):
            assert time.monotonic() < deadline, "a process outlived honcho"
            time.sleep(0.1)
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    finally:
        # Whatever failed above, nothing of this run is left behind.
        for pgid in [honcho.pid, *map(int, groups.values())]:
            if process_group_exists(pgid):
                os.killpg(pgid, signal.SIGKILL)
        honcho.wait(timeout=10)
