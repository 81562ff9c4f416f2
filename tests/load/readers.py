"""The load test's readers: threads that read pages as browsers do.

Each reader loops until the deadline: it asks for a page (home, a section, an article, a
search, a feed; newer articles more often) and, after an article page answered 200, sends the
view beacon as popularity/beacon.js makes a browser do (POST /luot-xem/ with the article's
id, a browser's User-Agent and the site's Origin). A reader keeps its connection open where the
server allows it; gunicorn's sync workers close it after each answer, as `make serve` runs them.

Readers are split between a few processes (threads of one Python process would share one core),
each process sends back every request's (start time, kind, status, latency) and the beacons
answered 204, by article.
"""

import http.client
import random
import resource
import threading
import time
from collections import Counter

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
PAGE_HEADERS = {
    "User-Agent": BROWSER,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Encoding": "gzip",
    "Accept-Language": "vi-VN,vi;q=0.9",
}
BEACON_PATH = "/luot-xem/"
# What readers ask for, and how often.
MIX = [("home", 15), ("section", 20), ("article", 50), ("search", 5), ("rss", 10)]
BEACON = "beacon"  # the kind of a beacon's sample; a page's is its kind in MIX
NO_ANSWER = 0  # the status recorded when the connection failed or timed out
TIMEOUT = 30


def beacon_headers(port):
    return {
        "User-Agent": BROWSER,
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        "Origin": f"http://127.0.0.1:{port}",
        "Referer": f"http://127.0.0.1:{port}/",
    }


def choose(rng, site):
    """(kind, path, article id or None) of the next page a reader asks for. `site` holds the
    lists of paths; articles newest first, the newest read most (a third of article reads go
    to the newest 3%, half to the newest 12%)."""
    kind = rng.choices([kind for kind, _ in MIX], weights=[weight for _, weight in MIX])[0]
    if kind == "article":
        article_id, path = site["articles"][int(len(site["articles"]) * rng.random() ** 3)]
        return kind, path, article_id
    if kind == "home":
        return kind, "/", None
    if kind == "section":
        path = rng.choice(site["sections"])
        return kind, path + ("?page=2" if rng.random() < 0.2 else ""), None
    if kind == "search":
        return kind, "/tim-kiem/?q=" + rng.choice(site["searches"]), None
    return kind, rng.choice(site["feeds"]), None


class Reader(threading.Thread):
    def __init__(self, port, site, start_at, stop_at, seed, samples):
        super().__init__(daemon=True)
        self.port, self.site, self.start_at, self.stop_at = port, site, start_at, stop_at
        self.rng = random.Random(seed)
        self.samples = samples  # shared: list.append is atomic
        self.accepted = Counter()  # this reader's own: Counter's += is not
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.beacon_headers = beacon_headers(port)

    def ask(self, kind, method, path, body=None, headers=PAGE_HEADERS):
        started = time.time()
        for attempt in (1, 2):
            reused = self.connection.sock is not None
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    self.connection.close()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                status = NO_ANSWER
                # A browser asks again once when a kept-alive connection turns out closed; a
                # beacon is not sent twice (it may have been counted).
                if not reused or attempt == 2 or method != "GET":
                    break
        self.samples.append((started, kind, status, (time.time() - started) * 1000))
        return status

    def run(self):
        time.sleep(max(0.0, self.start_at - time.time()))
        while time.time() < self.stop_at:
            kind, path, article_id = choose(self.rng, self.site)
            if self.ask(kind, "GET", path) == 200 and article_id is not None:
                status = self.ask(
                    BEACON, "POST", BEACON_PATH, f"id={article_id}", self.beacon_headers
                )
                if status == 204:
                    self.accepted[article_id] += 1
        self.connection.close()


def read(port, site, threads, start_at, stop_at, seed, results):
    """One process's readers; puts a dict of samples, beacons accepted and CPU time used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    samples, accepted = [], Counter()
    readers = [
        Reader(port, site, start_at, stop_at, seed * 1000 + n, samples) for n in range(threads)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
        accepted.update(reader.accepted)
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = used.ru_utime + used.ru_stime - usage.ru_utime - usage.ru_stime
    results.put({"samples": samples, "accepted": accepted, "cpu_seconds": cpu})
