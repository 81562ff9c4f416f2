"""Where the machine's CPU went during a run: the site (gunicorn, the flusher, PostgreSQL,
Redis), the readers, and everything else (other people's work on a shared machine).

Linux only: /proc/stat for the whole machine, /proc/<pid>/stat for process trees. A tree's time
is its live processes' own and reaped children's time, so short-lived children are included.
"""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def machine_seconds():
    """(busy, total) CPU seconds of all cores since boot."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / TICKS, sum(fields) / TICKS


def _processes():
    """{pid: (parent pid, CPU seconds of it and its reaped children)}."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        # After the name: state, ppid, ... utime (14th field of the line), stime, cutime, cstime.
        found[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]) / TICKS)
    return found


def tree_seconds(roots):
    """CPU seconds of the processes `roots` and all their descendants."""
    processes = _processes()
    children = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    total, stack = 0.0, [pid for pid in roots if pid in processes]
    while stack:
        pid = stack.pop()
        total += processes[pid][1]
        stack += children.get(pid, [])
    return total


class Meter:
    """CPU shares over a stretch of time. `site_roots()` gives the site's root pids when asked:
    they change when PostgreSQL restarts or Redis or the flusher starts again. A root that is
    gone by the end takes its time with it (a second or so of a restart); a new one counts from
    its start."""

    def __init__(self, site_roots):
        self.site_roots = site_roots

    def start(self):
        self.machine = machine_seconds()
        self.roots = {pid: tree_seconds([pid]) for pid in self.site_roots()}

    def stop(self, client_seconds):
        busy, total = machine_seconds()
        site = sum(
            max(0.0, tree_seconds([pid]) - self.roots.get(pid, 0.0)) for pid in self.site_roots()
        )
        span = total - self.machine[1]
        busy -= self.machine[0]
        return {
            "machine_busy": round(busy / span, 2),
            "site": round(site / span, 2),
            "readers": round(client_seconds / span, 2),
            "others": round(max(0.0, busy - site - client_seconds) / span, 2),
        }
