"""A small HTTP client for the benchmarks (standard library only): one keep-alive connection
and its cookies per simulated user, sign-in with the form's CSRF token, timed requests, and a
runner that keeps N users busy for a while and reports latencies."""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _Form(HTMLParser):
    """The fields a browser would send with the form posting to `action` (a form without an
    action posts to its page): hidden and text inputs, checked boxes, each radio group's
    checked option (else its first), textareas. `answer`: a group of boxes none of which is
    checked sends its first (a quiz answered)."""

    def __init__(self, action: str, answer: bool = False) -> None:
        super().__init__()
        self.action, self.inside, self.fields, self.answer = action, False, [], answer
        self.radios: dict[str, str] = {}
        self.boxes: dict[str, str] = {}
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = (a.get("action") or self.action) == self.action
        elif self.inside and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("hidden", "text", "number", "date"):
                self.fields.append((a["name"], a.get("value") or ""))
            elif kind == "checkbox" and "checked" in a:
                self.fields.append((a["name"], a.get("value") or "on"))
                self.boxes[a["name"]] = ""
            elif kind == "checkbox":
                self.boxes.setdefault(a["name"], a.get("value") or "on")
            elif kind == "radio" and ("checked" in a or a["name"] not in self.radios):
                self.radios[a["name"]] = a.get("value") or "on"
        elif self.inside and tag == "textarea":
            self.textarea = a.get("name")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields.append((self.textarea, data))
            self.textarea = None


def form_fields(page: bytes, action: str, answer: bool = False) -> list[tuple[str, str]]:
    parser = _Form(action, answer)
    parser.feed(page.decode())
    unchecked = [(k, v) for k, v in parser.boxes.items() if v] if answer else []
    return parser.fields + list(parser.radios.items()) + unchecked


class Refused(RuntimeError):
    """An unexpected status: counted as an error by the runner."""


class User:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | list | None = None,
                expect: tuple[int, ...] = (200,)) -> tuple[int, bytes]:
        headers = {"Accept-Encoding": "identity", "Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in range(2):  # a keep-alive connection the server closed: once again
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.status not in expect:
            raise Refused(f"{method} {path}: {response.status}")
        return response.status, payload

    def get(self, path: str, expect=(200,)) -> bytes:
        return self.request("GET", path, expect=expect)[1]

    def csrf(self, path: str) -> str:
        match = CSRF.search(self.get(path).decode())
        if not match:
            raise Refused(f"no CSRF token on {path}")
        return match[1]

    def post(self, path: str, data: dict | list, token_from: str | None = None,
             expect=(200, 302, 303)) -> tuple[int, bytes]:
        token = self.csrf(token_from or path)
        if isinstance(data, dict):
            data = {**data, "csrf_token": token}
        else:
            data = [*data, ("csrf_token", token)]
        return self.request("POST", path, data, expect)

    def submit(self, page_path: str, action: str, expect=(200, 302, 303),
               answer: bool = False) -> tuple[int, bytes]:
        """Post the form of `page_path` whose action is `action`, as the page fills it."""
        fields = form_fields(self.get(page_path), action, answer)
        return self.request("POST", action, fields, expect)

    def sign_in(self, username: str, password: str) -> None:
        status, _ = self.post("/auth/login", {"login": username, "password": password},
                              expect=(302, 303))


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0

    def add(self, other: Timings) -> None:
        self.seconds += other.seconds
        self.errors += other.errors

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.wall if self.wall else 0.0

    def percentile(self, p: float) -> float:
        if not self.seconds:
            return float("nan")
        if len(self.seconds) == 1:
            return self.seconds[0]
        return statistics.quantiles(self.seconds, n=100, method="inclusive")[int(p) - 1]


def run(users: list[User], step, seconds: float = 0.0, requests: int = 0) -> Timings:
    """Keep every user busy with `step(user, i) -> None` (one request or a few, timed as one)
    for `seconds`, or until `requests` steps were made in all; latencies and errors."""
    done = Timings()
    lock = threading.Lock()
    count = [0]
    stop_at = time.monotonic() + seconds if seconds else None

    def work(user: User) -> None:
        mine = Timings()
        while True:
            with lock:
                if requests and count[0] >= requests:
                    break
                count[0] += 1
                i = count[0]
            if stop_at and time.monotonic() >= stop_at:
                break
            start = time.perf_counter()
            try:
                step(user, i)
                mine.seconds.append(time.perf_counter() - start)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                mine.errors.append(f"{type(exc).__name__}: {exc}")
        with lock:
            done.add(mine)

    threads = [threading.Thread(target=work, args=(u,)) for u in users]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.wall = time.perf_counter() - start
    return done
