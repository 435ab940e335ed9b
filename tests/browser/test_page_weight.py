"""Pages that cost a few kilobytes (issue 14): a lesson on first visit (cold cache, a phone)
is at most 20 KB on the wire, everything it loads included; the next page of any kind asks for
no static file at all (hashed names kept a year, `immutable`)."""

from tests.browser.screen import loaded
from tests.browser.test_phone_hall import _seed, sign_in

BUDGET = 20 * 1024
LESSON = "/courses/chuong-trinh-giam-ngheo-2021-2025/lessons/1"


def test_a_lesson_costs_at_most_20_kb_and_the_next_page_no_static_file(browser, live_app,
                                                                       tmp_path):
    _seed(live_app)
    base = {"base_url": live_app.config["LIVE_URL"], "locale": "vi-VN",
            "viewport": {"width": 360, "height": 740}}
    signing = browser.new_context(**base)
    page = signing.new_page()
    sign_in(page, "learner")
    state = tmp_path / "state.json"
    signing.storage_state(path=str(state))
    signing.close()

    context = browser.new_context(storage_state=str(state), **base)  # a cold cache
    page = context.new_page()
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request))
    page.goto(LESSON)
    loaded(page)
    page.wait_for_load_state("networkidle")
    sizes = {r.url: r.sizes() for r in fetched}
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes.values())
    print(f"lesson, first visit: {total} bytes in {len(sizes)} responses: "
          + ", ".join(f"{url.rsplit('/', 1)[-1]} {s['responseBodySize']}"
                      for url, s in sizes.items()))
    assert any("/static/build/css/site." in url for url in sizes)
    assert all(url.startswith(live_app.config["LIVE_URL"]) for url in sizes)
    assert total <= BUDGET, sizes

    # what reaches the server from now on (a file taken from the browser's cache does not)
    asked = []
    serve = live_app.wsgi_app

    def counting(environ, start_response):
        asked.append(environ["PATH_INFO"])
        return serve(environ, start_response)

    live_app.wsgi_app = counting
    for path in ("/", "/courses/", "/classes/", LESSON.replace("/1", "/2")):
        page.goto(path)
        loaded(page)
    live_app.wsgi_app = serve
    assert len(asked) >= 4, asked  # the pages themselves
    static = [path for path in asked if path.startswith("/static/")]
    assert not static, static
    context.close()
