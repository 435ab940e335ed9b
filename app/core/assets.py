"""Static files that cost a few kilobytes (issue 14): built once, named by their content,
kept by browsers for a year, compressed once.

- **One stylesheet, only the rules the templates use.** `css/site.css` is Bootstrap and the
  app's own `css/app.css` with every rule dropped whose class no template, script or module
  names (parsed with tinycss2; a class written with a Jinja or f-string suffix, such as
  `text-bg-{{ badge }}`, keeps every rule of that prefix).
- **Content-hashed names.** Each file under `app/static/` (and the built stylesheet) is copied
  to `static/build/` as `<name>.<hash>.<ext>`; `url_for('static', filename='js/app.js')` gives
  the hashed URL (a `url_defaults` hook reading `build/manifest.json`), so templates keep
  writing the plain names.
- **Served by WhiteNoise** in front of Flask: a hashed file with
  `Cache-Control: public, max-age=31536000, immutable`, its `.br` or `.gz` twin (written once,
  at build) to a browser that accepts it. A stale hashed name (a page cached before a
  release) is redirected to the current file, never a broken page.

The build runs at start-up when an input changed (`ensure_built`, a few hundred milliseconds)
and with `flask assets build`; `build/` is not in git.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

import tinycss2
from flask import Flask, abort, current_app, redirect, url_for

STATIC = Path(__file__).resolve().parents[1] / "static"
APP = STATIC.parent
BUILD = STATIC / "build"
MANIFEST = BUILD / "manifest.json"
SITE_CSS = "css/site.css"
SITE_SOURCES = ("vendor/bootstrap/bootstrap.min.css", "css/app.css")
ONE_YEAR = "public, max-age=31536000, immutable"
BUILDER_VERSION = "1"
HASHED = re.compile(r"^build/(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<ext>\.[A-Za-z0-9]+)$")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# "text-bg-{{ …", f"alert-{kind}", "alert-" + kind, 'btn-' ~ kind: a prefix of class names
_PREFIX = re.compile(r"([a-z][a-z0-9-]*-)(?:\{\{|\{|[\"']\s*[+~])")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")


# --------------------------------------------------------------------------- what is used

def _sources_using_classes() -> list[Path]:
    return sorted([*APP.glob("templates/**/*.html"), *STATIC.glob("js/*.js"),
                   *(p for p in APP.glob("**/*.py") if "build" not in p.parts)])


def used_names() -> tuple[set[str], tuple[str, ...]]:
    """Every word the templates, scripts and modules hold (a superset of the class names
    they use), and the prefixes of class names built from a value."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for path in _sources_using_classes():
        text = path.read_text(encoding="utf-8")
        words.update(_WORD.findall(text))
        prefixes.update(_PREFIX.findall(text))
    return words, tuple(sorted(prefixes))


def template_classes() -> set[str]:
    """The class names written literally in the templates' class attributes."""
    found: set[str] = set()
    for path in APP.glob("templates/**/*.html"):
        for value in re.findall(r'class="([^"]*)"', path.read_text(encoding="utf-8")):
            value = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", value)
            found.update(w for w in value.split() if re.fullmatch(r"[a-z][a-z0-9-]*", w)
                         and not w.endswith("-"))
    return found


def selectors(css: str) -> set[str]:
    """Every selector of a stylesheet (those inside @media too), as written."""
    found: set[str] = set()

    def walk(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                found.update(_split_selectors(rule.prelude))
            elif rule.type == "at-rule" and rule.content is not None and \
                    rule.lower_at_keyword in ("media", "supports", "layer", "container"):
                walk(tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                    skip_whitespace=True))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found


def classes_of(selector: str) -> set[str]:
    return set(_CLASS.findall(re.sub(r"\[[^\]]*\]", "", selector)))


def defined_classes(css: str) -> set[str]:
    """The class names a stylesheet's selectors name."""
    found: set[str] = set()

    def walk(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                found.update(_CLASS.findall(_selector_text(rule.prelude)))
            elif rule.type == "at-rule" and rule.content is not None and \
                    rule.lower_at_keyword in ("media", "supports", "layer", "container"):
                walk(tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                    skip_whitespace=True))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found


# --------------------------------------------------------------------------- the purge

def _selector_text(prelude) -> str:
    # attribute values ([type="checkbox"]) are not classes
    return re.sub(r"\[[^\]]*\]", "", tinycss2.serialize(prelude))


def _split_selectors(prelude) -> list[str]:
    parts, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return [tinycss2.serialize(p).strip() for p in parts if p]


def purge(css: str, words: set[str], prefixes: tuple[str, ...]) -> str:
    """The stylesheet without the selectors naming a class nobody uses (and without the rules
    left with no selector)."""

    def used(selector: str) -> bool:
        return all(name in words or name.startswith(prefixes)
                   for name in _CLASS.findall(re.sub(r"\[[^\]]*\]", "", selector)))

    def walk(rules) -> str:
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                kept = [s for s in _split_selectors(rule.prelude) if used(s)]
                if kept:
                    out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content).strip()
                               + "}")
            elif rule.type == "at-rule":
                if rule.content is not None and rule.lower_at_keyword in (
                        "media", "supports", "layer", "container"):
                    inner = walk(tinycss2.parse_blocks_contents(
                        rule.content, skip_comments=True, skip_whitespace=True))
                    if inner:
                        out.append(f"@{rule.at_keyword}"
                                   + tinycss2.serialize(rule.prelude).rstrip() + "{" + inner + "}")
                else:
                    out.append(tinycss2.serialize([rule]).strip())
        return "".join(out)

    return walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


# --------------------------------------------------------------------------- the build

def _inputs_hash() -> str:
    digest = hashlib.sha256(BUILDER_VERSION.encode())
    for path in [*_sources_using_classes(), *_static_sources()]:
        digest.update(str(path.relative_to(APP)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _static_sources() -> list[Path]:
    return sorted(p for p in STATIC.rglob("*") if p.is_file() and BUILD not in p.parents
                  and p.suffix in (".css", ".js", ".svg", ".png", ".ico", ".woff2"))


def _hashed_name(logical: str, data: bytes) -> str:
    stem, ext = os.path.splitext(logical)
    return f"build/{stem}.{hashlib.sha256(data).hexdigest()[:12]}{ext}"


def build() -> dict[str, str]:
    """Write `static/build/`: the purged stylesheet, each static file under its hashed name
    with its .gz and .br twins, and the manifest (logical name -> hashed name), written last
    and atomically, so that several workers starting at once never read half a build."""
    from whitenoise.compress import Compressor

    inputs = _inputs_hash()
    words, prefixes = used_names()
    files: dict[str, bytes] = {
        str(p.relative_to(STATIC)): p.read_bytes() for p in _static_sources()}
    site = "\n".join(files[name].decode("utf-8") for name in SITE_SOURCES)
    files[SITE_CSS] = purge(site, words, prefixes).encode("utf-8")
    BUILD.mkdir(exist_ok=True)
    compressor = Compressor(quiet=True)
    manifest = {}
    for logical, data in files.items():
        hashed = _hashed_name(logical, data)
        target = STATIC / hashed
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_with_twins(target, data, compressor)
        manifest[logical] = hashed
    _write_atomic(MANIFEST, json.dumps({"inputs": inputs, "files": manifest}, indent=1)
                  .encode("utf-8"))
    return manifest


def _write_with_twins(target: Path, data: bytes, compressor) -> None:
    """`target` with its .gz and .br twins (WhiteNoise's compressor, where compressing pays),
    the twins in place first: another process building at the same moment skips a file it
    finds written, and its WhiteNoise lists the twins it finds then, so a file seen without
    them would be served uncompressed for that process's life."""
    if compressor.should_compress(target.name):
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".tmp-") as tmp:
            staged = Path(tmp) / target.name
            staged.write_bytes(data)
            for twin in compressor.compress(str(staged)):
                os.replace(twin, target.parent / Path(twin).name)
    _write_atomic(target, data)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def ensure_built() -> dict[str, str]:
    """The manifest, building first when an input changed since the last build."""
    try:
        saved = json.loads(MANIFEST.read_text(encoding="utf-8"))
        if saved.get("inputs") == _inputs_hash():
            return saved["files"]
    except (OSError, ValueError):
        pass
    return build()


# --------------------------------------------------------------------------- serving

def register(app: Flask) -> None:
    from whitenoise import WhiteNoise

    manifest = ensure_built()
    current = {v: k for k, v in manifest.items()}
    by_stem = {}
    for logical, hashed in manifest.items():
        found = HASHED.match(hashed)
        by_stem[(found["stem"], found["ext"])] = logical
    app.extensions["assets"] = manifest

    @app.url_defaults
    def _hashed(endpoint, values):
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    def _headers(headers, path, url):
        headers["X-Content-Type-Options"] = "nosniff"
        if HASHED.match(url.removeprefix("/static/")):
            headers["Cache-Control"] = ONE_YEAR

    app.wsgi_app = WhiteNoise(
        app.wsgi_app, root=str(STATIC), prefix="/static/", max_age=3600,
        immutable_file_test=lambda path, url: bool(HASHED.match(url.removeprefix("/static/"))),
        add_headers_function=_headers)

    def static(filename: str):
        """What WhiteNoise did not serve: a hashed name of an older build is redirected to the
        current file (a page cached before a release still finds its stylesheet)."""
        found = HASHED.match(filename)
        if found and filename not in current:
            logical = by_stem.get((found["stem"], found["ext"]))
            if logical is None:
                abort(404)
            response = redirect(url_for("static", filename=logical), 302)
            response.headers["Cache-Control"] = "no-cache"
            return response
        return current_app.send_static_file(filename)

    app.view_functions["static"] = static

    @app.cli.group("assets")
    def assets_group():
        """Static files (hashed names, purged stylesheet, compressed twins)."""

    @assets_group.command("build")
    def build_command():
        """Build static/build/ now (it is also built at start-up when an input changed)."""
        import click

        built = build()
        click.echo(f"{len(built)} tệp tĩnh; {SITE_CSS} -> {built[SITE_CSS]}")
