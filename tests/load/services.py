"""The load test's own PostgreSQL 15 cluster and Redis, in a temporary folder, on their own ports.

They are never the machine's own servers (127.0.0.1:5432 and :6379), which other test runs
use: the load test restarts and stops its servers on purpose. Each is started in its own
session, so that a Ctrl-C reaches only the script, which then stops them itself.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import redis

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_SETTINGS = """
# The load test's private cluster: loopback only, no password, no durability needed.
port = {port}
listen_addresses = '127.0.0.1'
unix_socket_directories = '{socket_dir}'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
min_wal_size = 32MB
"""


def port_is_free(port):
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def require_free_port(port, what):
    if not port_is_free(port):
        raise SystemExit(f"Port {port} for the load test's {what} is in use; choose another.")


def as_postgres(command):
    """initdb and pg_ctl refuse to run as root: run them as the postgres user then."""
    command = [str(part) for part in command]
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PrivatePostgres:
    """A throwaway cluster under `root`/postgres, trust authentication, user `postgres`."""

    def __init__(self, root, port):
        self.dir = Path(root) / "postgres"
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.port = port
        self.started = False

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self):
        require_free_port(self.port, "PostgreSQL")
        self.dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        initdb = [PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust"]
        initdb += ["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        subprocess.run(as_postgres(initdb), check=True, capture_output=True)
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(PG_SETTINGS.format(port=self.port, socket_dir=self.dir))
        self.pg_ctl("start", "-w", "-t", "60")
        self.started = True

    def pg_ctl(self, *args, check=True):
        # The server inherits pg_ctl's output: its log goes on in the same file after a restart.
        with open(self.log, "ab") as log:
            return subprocess.run(
                as_postgres([PG_BIN / "pg_ctl", "-D", self.data, *args]),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=check,
                start_new_session=True,
            )

    def restart(self):
        """`pg_ctl restart -m fast`: clients are disconnected, the server stops and starts."""
        self.pg_ctl("restart", "-m", "fast", "-w", "-t", "60")

    def create_database(self, name):
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def stop(self):
        if self.started:
            result = self.pg_ctl("stop", "-m", "fast", "-w", "-t", "30", check=False)
            if result.returncode:
                self.pg_ctl("stop", "-m", "immediate", "-w", check=False)
            self.started = False


class PrivateRedis:
    """redis-server as a child process, with its append-only file in the temporary folder."""

    def __init__(self, root, port):
        self.dir = Path(root) / "redis"
        self.log = self.dir / "redis.log"
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def client(self):
        return redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)

    def start(self):
        require_free_port(self.port, "Redis")
        self.dir.mkdir(exist_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    # As docs/operations.md asks of production: the view buffer survives a restart.
                    "--appendonly",
                    "yes",
                    "--appendfsync",
                    "everysec",
                    "--daemonize",
                    "no",
                    "--dir",
                    str(self.dir),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        for _ in range(100):
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise SystemExit(f"The load test's Redis did not start; see {self.log}")

    def stop(self):
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
