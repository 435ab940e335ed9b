"""Static files that cost a few kilobytes (issue 14): hashed names kept a year, compressed
once, a stale name redirected, and a stylesheet holding every class the templates use."""

import re

from whitenoise.compress import Compressor

from app.core import assets


def test_no_class_used_in_a_template_is_missing_from_the_stylesheet(app):
    built = (assets.STATIC / app.extensions["assets"][assets.SITE_CSS]).read_text("utf-8")
    sources = "\n".join((assets.STATIC / name).read_text("utf-8")
                        for name in assets.SITE_SOURCES)
    used = assets.template_classes()
    assert used & assets.defined_classes(sources), "the templates use Bootstrap's classes"
    # every selector made only of classes the templates write is kept (".nav-fill .nav-item"
    # may go: no template writes nav-fill)
    applying = {s for s in assets.selectors(sources) if assets.classes_of(s) <= used}
    missing = sorted(applying - assets.selectors(built))
    assert not missing, missing[:20]
    assert {c for s in applying for c in assets.classes_of(s)} <= assets.defined_classes(built)
    # and the purge does drop what nobody uses
    assert "carousel" not in assets.defined_classes(built)
    assert len(built) < len(sources) / 2


def test_a_class_built_from_a_value_keeps_its_rules():
    css = ".text-bg-danger{color:red}.text-bg-info{color:blue}.carousel{x:y}.a,.b{c:d}"
    kept = assets.purge(css, {"a"}, ("text-bg-",))
    assert kept == ".text-bg-danger{color:red}.text-bg-info{color:blue}.a{c:d}"
    nested = assets.purge("@media (min-width:1px){.a{c:d}.z{c:d}}@media print{.z{c:d}}",
                          {"a"}, ())
    assert nested == "@media (min-width:1px){.a{c:d}}"


def test_hashed_files_are_kept_a_year_compressed_and_stale_names_redirected(client):
    page = client.get("/auth/login").get_data(as_text=True)
    css = re.search(r'href="(/static/build/css/site\.[0-9a-f]{12}\.css)"', page)[1]
    response = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Accept-Encoding" in response.headers["Vary"]
    # a page cached before a release asks for an older name: sent to the current file
    stale = client.get("/static/build/css/site.0123456789ab.css")
    assert stale.status_code == 302 and stale.location.endswith(css)
    assert client.get("/static/build/css/nothing.0123456789ab.css").status_code == 404


def test_url_for_gives_the_hashed_name(app):
    from flask import url_for

    with app.test_request_context():
        assert re.fullmatch(r"/static/build/js/app\.[0-9a-f]{12}\.js",
                            url_for("static", filename="js/app.js"))


def test_a_built_file_is_never_there_without_its_compressed_twins(tmp_path, monkeypatch):
    """Two processes starting at once (the test passes, gunicorn's workers) may build together:
    one that finds a hashed file already written skips it, and its WhiteNoise lists what is
    there, so a file written before its .gz and .br was served uncompressed (CI, 07/12). Each
    file's twins are in place before the file itself."""
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "app.css").write_text(".a{color:red}" * 200)
    (static / "vendor" / "bootstrap").mkdir(parents=True)
    (static / "vendor" / "bootstrap" / "bootstrap.min.css").write_text(".b{color:blue}" * 200)
    (static / "js").mkdir()
    (static / "js" / "x.js").write_text("console.log('a');\n" * 200)
    monkeypatch.setattr(assets, "STATIC", static)
    monkeypatch.setattr(assets, "BUILD", static / "build")
    monkeypatch.setattr(assets, "MANIFEST", static / "build" / "manifest.json")
    monkeypatch.setattr(assets, "used_names", lambda: ({"a", "b"}, ()))
    monkeypatch.setattr(assets, "_inputs_hash", lambda: "inputs")
    written = []
    write = assets._write_atomic

    def noting(path, data):
        write(path, data)
        written.append((path.name, {p.name for p in path.parent.iterdir()}))

    monkeypatch.setattr(assets, "_write_atomic", noting)
    manifest = assets.build()
    assert "js/x.js" in manifest and assets.SITE_CSS in manifest
    twins = (".gz", ".br") if Compressor(quiet=True).use_brotli else (".gz",)
    for logical, hashed in manifest.items():
        name = hashed.rsplit("/", 1)[1]
        there = next(names for path, names in written if path == name)
        assert {name + twin for twin in twins} <= there, logical
