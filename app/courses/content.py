"""Markdown -> safe HTML for lessons and course descriptions.

Markdown (tables, lists, headings, images, links) is rendered by `markdown`, then everything
goes through an allow-list sanitiser (nh3): only the tags and attributes below survive, URLs
may only be relative, http(s), mailto or tel, images may only come from this server, and no
`style`, event handler, iframe, object, form or script gets through. Links to the course's
files are written `files/<name>` in Markdown and rewritten to the course's file URL.

The result is cached on the row with a hash of (renderer version, files base, source): it is
rendered again only when one of these changes, never on every request.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote, unquote, urlsplit

import markdown
import nh3

# Bump when the rendering or the allow-list changes: every cache becomes stale.
RENDERER_VERSION = "1"

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
    "del", "ins", "mark", "small", "sub", "sup", "abbr", "blockquote", "ul", "ol", "li", "dl",
    "dt", "dd", "code", "pre", "kbd", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "a", "img",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALIGN = {"left", "center", "right"}
TAG_ATTRIBUTE_VALUES = {"th": {"align": ALIGN}, "td": {"align": ALIGN}}
TABLE_CLASS = "table table-sm table-bordered"
SET_ATTRIBUTES = {
    "table": {"class": TABLE_CLASS},
    "img": {"class": "img-fluid", "loading": "lazy"},
    # Headings inside a lesson stay below the lesson's own title (Bootstrap size classes).
    "h1": {"class": "h4"}, "h2": {"class": "h5"}, "h3": {"class": "h6"}, "h4": {"class": "h6"},
    "h5": {"class": "h6"}, "h6": {"class": "h6"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Tags removed together with their content (the rest keep their text).
DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed",
                     "svg", "math", "textarea", "select", "title", "xmp", "noembed", "noframes"}
EXTENSIONS = ["tables", "sane_lists", "fenced_code"]
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}

_HIDDEN_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
FILES_PREFIX = re.compile(r"^(?:\.\./|\./)?files/(?P<name>[^?#]+)$")
# Hints for the editor: things in the source that the sanitiser will remove.
_UNSAFE_HINT = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|form|svg|math|link|meta|base)\b"
    r"|\son[a-z]+\s*=|javascript\s*:|vbscript\s*:|data\s*:\s*text/html|\sstyle\s*=",
    re.IGNORECASE)


def file_links(source: str) -> list[str]:
    """Names of the course files referenced as `files/<name>` in Markdown links or images."""
    names = []
    for match in re.finditer(r"\]\(\s*<?((?:\.\./|\./)?files/[^)\s>]+)", source or ""):
        found = FILES_PREFIX.match(match.group(1))
        if found:
            names.append(unquote(found.group("name")))
    return names


def has_unsafe_markup(source: str) -> bool:
    return bool(_UNSAFE_HINT.search(source or ""))


def _is_off_origin(url: str) -> bool:
    url = url.strip()
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc or url.startswith("//") or url.startswith("\\"))


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src" and _is_off_origin(value):
        return None  # images only from this server: no request leaves the origin
    if attr in ("width", "height") and not value.isdigit():
        return None
    if attr == "start" and not value.isdigit():
        return None
    return value


def _relative_rewriter(files_base: str | None):
    def rewrite(url: str) -> str | None:
        if _HIDDEN_SCHEME.match(re.sub(r"[\x00-\x20\x7f]+", "", url)):
            return None  # "jav ascript:" and the like: a scheme hidden by blanks
        if files_base is not None:
            found = FILES_PREFIX.match(url.strip())
            if found:
                return files_base + quote(unquote(found.group("name")), safe="")
        return url

    return rewrite


def sanitise(html: str, files_base: str | None = None) -> str:
    """Clean an HTML fragment with the allow-list (used for rendered Markdown)."""
    return nh3.clean(
        html, tags=TAGS, clean_content_tags=DROP_WITH_CONTENT, attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter, strip_comments=True, link_rel="noopener noreferrer",
        tag_attribute_values=TAG_ATTRIBUTE_VALUES, set_tag_attribute_values=SET_ATTRIBUTES,
        url_schemes=URL_SCHEMES, url_relative=_relative_rewriter(files_base))


def render_markdown(source: str, files_base: str | None = None) -> str:
    """Markdown source -> sanitised HTML. `files_base` is the URL path (ending in "/") that
    `files/<name>` links point to."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                           output_format="html")
    raw = md.convert(source or "")
    html = sanitise(raw, files_base)
    # Wide tables scroll sideways on a phone. Safe: after sanitising, "<table" and "</table>"
    # can only be real tags (text has its "<" escaped).
    return (html.replace(f'<table class="{TABLE_CLASS}">',
                         f'<div class="table-responsive"><table class="{TABLE_CLASS}">')
            .replace("</table>", "</table></div>"))


def source_hash(source: str, files_base: str | None) -> str:
    text = f"{RENDERER_VERSION}\0{files_base or ''}\0{source or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached(source: str, files_base: str | None, html: str, html_hash: str) -> tuple[str, str]:
    """(html, hash): the cached HTML if still valid for this source, else freshly rendered."""
    wanted = source_hash(source, files_base)
    if html_hash == wanted and html is not None:
        return html, html_hash
    return render_markdown(source, files_base), wanted
