"""Low bandwidth: a lesson page (HTML + the CSS/JS it links, gzip-compressed as sent, without
the lesson's own images) stays under 60 KB, and nothing it references leaves the origin.

Measured the way a phone gets it: every byte counted is the body as sent (compressed by
Flask-Compress), for the lesson HTML (asked with `Accept-Encoding: gzip`) and each same-origin
stylesheet, script and icon the page links. Static files are sent as streams, which
Flask-Compress 1.25 compresses only with COMPRESS_ALGORITHM_STREAMING (default zstd, br,
deflate: no gzip), so they are asked with "gzip, deflate", the least any browser accepts
(Chromium sends "gzip, deflate, br, zstd" and gets the smaller zstd). The largest starter
lesson is used.
"""

import gzip
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from app.courses import progress
from app.demo import courses as courses_demo

BUDGET = 60 * 1024
GZIP = {"Accept-Encoding": "gzip"}
BROWSER = {"Accept-Encoding": "gzip, deflate"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if attrs.get(name):
                self.urls.append((tag, name, attrs[name]))
        if tag == "link" and attrs.get("href"):
            self.resources.append(attrs["href"])  # stylesheets, icons, preloads
        if tag == "script" and attrs.get("src"):
            self.resources.append(attrs["src"])


def _same_origin(url: str, page_url: str) -> bool:
    parts = urlsplit(urljoin(page_url, url))
    return parts.scheme in ("http", "") and parts.netloc in ("localhost", "")


@pytest.fixture()
def demo(db, users, upload_dir):
    """The demo courses (app/demo/courses.py), as `flask demo` loads them."""
    ctx = {"users": users}
    courses_demo.load(ctx)
    db.session.commit()
    return ctx["courses"]


def test_lesson_page_is_under_60_kb_and_stays_on_the_origin(client, login, db, demo, users):
    course, biggest = max(((c, x) for c in demo.values() for x in c.active_lessons),
                          key=lambda pair: len(pair[1].html_cache))
    progress.enroll(users["learner"], course)
    db.session.commit()
    n = course.active_lessons.index(biggest) + 1
    login("learner")
    url = f"http://localhost/courses/{course.slug}/lessons/{n}"

    page = client.get(url, headers=GZIP)
    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.data).decode("utf-8")
    assert biggest.title in html
    sizes = {"HTML": len(page.data)}

    links = _Links()
    links.feed(html)
    off_origin = [(tag, name, u) for tag, name, u in links.urls if not _same_origin(u, url)]
    assert off_origin == []
    assert "<script>" not in html and " style=" not in html  # nothing inline (CSP)

    for resource in links.resources:
        response = client.get(urljoin(url, resource), headers=BROWSER)
        assert response.status_code == 200, resource
        if resource.endswith((".css", ".js")):
            assert response.headers.get("Content-Encoding") in ("gzip", "deflate"), resource
        sizes[resource] = len(response.data)  # as sent
        response.close()
    total = sum(sizes.values())
    assert total < BUDGET, sizes
    # the lesson works without JavaScript: reading, marking done and moving on are links
    # and forms
    assert f'action="/courses/{course.slug}/lessons/{n}/done"' in html


def test_every_course_page_stays_on_the_origin(client, login, db, demo, users):
    course = demo["binh-dang-gioi-trong-giam-ngheo"]
    progress.enroll(users["learner"], course)
    db.session.commit()
    login("learner")
    for path in ("/courses/", f"/courses/{course.slug}", f"/courses/{course.slug}/quiz",
                 *(f"/courses/{course.slug}/lessons/{i}"
                   for i in range(1, len(course.active_lessons) + 1))):
        url = f"http://localhost{path}"
        response = client.get(url)
        assert response.status_code == 200, path
        links = _Links()
        links.feed(response.get_data(as_text=True))
        assert [u for _t, _n, u in links.urls if not _same_origin(u, url)] == [], path
