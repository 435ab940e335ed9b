"""The lesson editor's preview (issue 14): the same rendering and warnings for the button and
the script; an external image is named before the sanitiser drops it, raw HTML is cleaned."""

from app.courses import content

TEXT = ("## Họp dân\n\n![sơ đồ](https://example.com/a.png) ![ảnh](files/anh.png)\n\n"
        '<img src="//evil.example/p.gif"> <script>alert(1)</script> **đậm**')


def test_the_images_the_sanitiser_drops_by_its_own_rule():
    base = "/courses/k/files/"
    assert content.stripped_images(TEXT, base) == ["https://example.com/a.png",
                                                   "//evil.example/p.gif"]
    assert content.stripped_images("![x](files/anh.png)", base) == []
    # the rendered page agrees: neither image source is kept
    html = content.render_markdown(TEXT, base)
    assert "example.com" not in html and "evil.example" not in html
    assert 'src="/courses/k/files/anh.png"' in html


def test_the_preview_for_the_script(client, login, make_course):
    course = make_course()
    login("trainer")
    url = f"/courses/{course.slug}/edit/preview"
    response = client.post(url, data={"title": "Họp", "body": TEXT})
    assert response.status_code == 200
    data = response.get_json()
    assert "<strong>đậm</strong>" in data["html"] and "<script" not in data["html"]
    assert any("https://example.com/a.png" in w for w in data["warnings"])
    assert any("mã HTML không được phép" in w for w in data["warnings"])
    # bad input: a clear message, a 400
    response = client.post(url, data={"title": "Dài", "body": "a" * 100_001})
    assert response.status_code == 400 and "Bài học quá dài" in response.get_json()["error"]
    # the button's page says the same (JavaScript off)
    page = client.post(f"/courses/{course.slug}/edit/lessons/new", data={
        "title": "Họp", "body": TEXT, "action": "preview"}).get_data(as_text=True)
    assert "https://example.com/a.png" in page and "<strong>đậm</strong>" in page


def test_only_its_trainers_preview(client, login, make_course):
    course = make_course(trainers=[])
    login("trainer")
    assert client.post(f"/courses/{course.slug}/edit/preview",
                       data={"title": "x", "body": "y"}).status_code in (403, 404)
