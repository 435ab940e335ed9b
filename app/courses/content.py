"""Markdown -> safe HTML for lessons and course descriptions.

Markdown (tables, lists, headings, images, links) is rendered by `markdown`, then everything
goes through an allow-list sanitiser (nh3): only the tags and attributes below survive, URLs
may only be relative, http(s), mailto or tel, images may only be this course's own files
(`files/<name>`), and no `style`, event handler, iframe, object, form or script gets through.
Links to the course's files are written `files/<name>` in Markdown and rewritten to the
course's file URL.

Malformed input must never crash or hang the server. `problems()` refuses, with a line
number, what cannot be rendered safely: a text over MAX_SOURCE_CHARS, lines nested deeper than
MAX_DEPTH (lists, quotes, indentation: Python-Markdown recurses once per level) and runs of more
than MAX_BLOCK_LINES lines without a blank line (some block processors look at the whole
remaining block for every line). The renderer itself is kept linear on what is left:
unmatched or absurdly nested `[` / `](` (the link parsers scan to the end of the paragraph for
each of them) are neutralised exactly as a backslash would, a start tag left open to the end
of the text is scanned once instead of once per `<`, the table test reads two lines instead of
the whole block, and a paragraph with an absurd amount of inline markup is shown as plain
text. A RecursionError that still happens becomes a ContentError.

The result is cached on the row with a hash of (renderer version, files base, source): it is
rendered again only when one of these changes, never on every request.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import html as html_lib
import re
from urllib.parse import quote, unquote

import markdown
import nh3
from flask_babel import gettext as _
from markdown import util as md_util
from markdown.extensions import Extension
from markdown.extensions.tables import PIPE_LEFT, PIPE_NONE, PIPE_RIGHT, TableProcessor
from markdown.htmlparser import HTMLExtractor, htmlparser
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from app.core.refusal import Refusal
from app.i18n_markers import N_

# Bump when the rendering or the allow-list changes: every cache becomes stale.
RENDERER_VERSION = "2"

MAX_SOURCE_CHARS = 100_000  # the editor's limit, also applied to packages and the preview
MAX_DEPTH = 20  # list / quote / indentation levels on one line
MAX_BLOCK_LINES = 300  # lines in a row without a blank line (outside fenced code)
# Estimated characters scanned by the link parsers in one paragraph before the unmatched and
# deeply nested brackets are neutralised (a normal paragraph stays far below).
BRACKET_BUDGET = 200_000
MAX_BRACKET_DEPTH = 8
# Inline markup characters x paragraph length above which a paragraph is shown as plain text
# (every inline match copies the paragraph once: quadratic). A 20 000-character paragraph may
# hold 10 000 marks; real ones hold a few dozen.
INLINE_BUDGET = 200_000_000
INLINE_MARKS = ("*", "_", "`", "[", "<", "&", "\\", "  \n")

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
LINK_REL = "noopener noreferrer"
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Tags removed together with their content (the rest keep their text).
DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed",
                     "svg", "math", "textarea", "select", "title", "xmp", "noembed", "noframes"}
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}

_HIDDEN_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
FILES_PREFIX = re.compile(r"^(?:\.\./|\./)?files/(?P<name>[^?#]+)$")
# A course file's name as it may appear in an image URL (what safe_filename produces, plus
# blanks and letters of older names): no "/", "\", "..", "?" or "#".
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._ ()-]*")
# Hints for the editor: things in the source that the sanitiser will remove.
_UNSAFE_HINT = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|form|svg|math|link|meta|base)\b"
    r"|\son[a-z]+\s*=|javascript\s*:|vbscript\s*:|data\s*:\s*text/html|\sstyle\s*=",
    re.IGNORECASE)


class ContentError(Refusal, ValueError):
    """Markdown that cannot be rendered safely; the message is for the author (in their
    language), `line` (1-based, in the Markdown text) when known."""

    status = 400

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line

    def __str__(self) -> str:
        if self.line:
            return _("Dòng %(line)s: %(message)s", line=self.line, message=self.message)
        return self.message


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


# --- checking the source -----------------------------------------------------------------

_FENCE = re.compile(r"(`{3,}|~{3,})")
# An opening fence as the fenced_code extension reads it: the fence, then only a language or
# {attributes} (and hl_lines); anything else on the line makes it no fence.
_OPENING = re.compile(r"(`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*"
                      r"(?:hl_lines=(\"|').*?\2[ ]*)?)$")
_LEAD = re.compile(r"[ \t]*")
# A list or quote marker at the start of a line (after indentation): each is one more level.
_MARKER = re.compile(r"(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))[ \t]*")
_HR = re.compile(r"^[ ]{0,3}(?:(?:-+[ ]{0,2}){3,}|(?:_+[ ]{0,2}){3,}|(?:\*+[ ]{0,2}){3,})[ ]*$")


def _depth(line: str) -> int:
    """Nesting levels a line opens: indentation (4 columns a level, tabs to the next stop)
    plus the list and quote markers it starts with ("- - - x", "> > x")."""
    lead = _LEAD.match(line).group()
    depth = len(lead.expandtabs(4)) // 4
    if _HR.match(line):
        return depth
    pos = len(lead)
    while True:
        found = _MARKER.match(line, pos)
        if found is None or found.end() == pos:
            return depth
        depth += 1
        pos = found.end()


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside fenced code blocks (fence and content), as the fenced_code
    extension finds them: a fence at the start of a line, closed by the same fence alone on a
    later line. An unclosed fence is no fence. Linear: the closing lines are looked up."""
    closing: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        found = _FENCE.match(line)
        if found and not line[found.end():].strip(" "):
            closing.setdefault(found.group(1), []).append(index)
    inside: set[int] = set()
    index = 0
    while index < len(lines):
        found = _OPENING.match(lines[index])
        if found:
            candidates = closing.get(found.group(1), [])
            at = bisect.bisect_right(candidates, index)
            if at < len(candidates):
                end = candidates[at]
                inside.update(range(index, end + 1))
                index = end + 1
                continue
        index += 1
    return inside


def problems(source: str) -> list[ContentError]:
    """What makes a Markdown text unfit to render (empty list when fine): too long, nested
    too deep, too many lines without a blank line. Each problem has its line."""
    source = source or ""
    found: list[ContentError] = []
    if len(source) > MAX_SOURCE_CHARS:
        found.append(ContentError(_(
            "Nội dung quá dài: %(n)s ký tự, tối đa %(max)s ký tự. Hãy chia thành nhiều bài.",
            n=f"{len(source):,}".replace(",", "."),
            max=f"{MAX_SOURCE_CHARS:,}".replace(",", "."))))
        return found
    lines = source.split("\n")
    fenced = _fenced_lines(lines)
    run = 0
    deep = long_run = False
    for index, line in enumerate(lines):
        if index in fenced or not line.strip():
            run = 0
            continue
        run += 1
        if run > MAX_BLOCK_LINES and not long_run:
            long_run = True
            found.append(ContentError(_(
                "từ dòng này có hơn %(n)s dòng liền nhau không có dòng trống. Hãy thêm dòng "
                "trống để chia đoạn (bảng quá dài: chia thành nhiều bảng).", n=MAX_BLOCK_LINES),
                index + 1 - MAX_BLOCK_LINES))
        if not deep and _depth(line) > MAX_DEPTH:
            deep = True
            found.append(ContentError(_(
                "thụt lề hoặc danh sách/trích dẫn lồng nhau quá sâu (hơn %(n)s mức). Hãy bớt "
                "thụt lề ở dòng này.", n=MAX_DEPTH), index + 1))
        if deep and long_run:
            break
    return found


def check(source: str) -> None:
    """Raise ContentError (the first problem) if the text cannot be rendered; renders it
    once to be sure (the result is kept for the save that follows)."""
    found = problems(source)
    if found:
        raise found[0]
    _render(source or "", None)


# --- keeping the renderer linear ---------------------------------------------------------


class _LazyTables(TableProcessor):
    """The tables test, reading the first two lines instead of splitting the whole block for
    every line of it (same answers: the separator row is checked before the other rows)."""

    def test(self, parent, block: str) -> bool:
        first, newline, rest = block.partition("\n")
        if not newline:
            return False
        header0 = first.strip(" ")
        second = rest.partition("\n")[0].strip(" ")
        self.border = PIPE_NONE
        if header0.startswith("|"):
            self.border |= PIPE_LEFT
        if self.RE_END_BORDER.search(header0) is not None:
            self.border |= PIPE_RIGHT
        row0_len = len(self._split_row(header0))
        if row0_len < 1 or (row0_len == 1 and not self.border):
            return False
        row = self._split_row(second)
        if not (len(row) == row0_len and set("".join(row)) <= set("|:- ")):
            return False
        if row0_len == 1:  # each row of a one-column table needs a pipe
            for line in rest.split("\n"):
                line = line.strip(" ")
                if not line.startswith("|") and self.RE_END_BORDER.search(line) is None:
                    return False
        self.separator = row
        return True


class _Extractor(HTMLExtractor):
    """Raw HTML blocks: a start tag that runs on to the end of the text (e.g. many "<a "
    without ">") is scanned once, not once for every "<" after it; likewise "</x" with no ">"
    after it."""

    def reset(self):
        super().reset()
        self._open_from = None  # (text, index) of a start tag that ran to the end
        self._no_gt_from = None  # (text, index) after which there is no ">"

    def check_for_whole_start_tag(self, i):
        known = self._open_from
        if known is not None and known[0] is self.rawdata and i > known[1]:
            return -1
        result = super().check_for_whole_start_tag(i)
        if result == -1:
            found = htmlparser.locatestarttagend_tolerant.match(self.rawdata, i)
            if found is not None and found.end() >= len(self.rawdata):
                self._open_from = (self.rawdata, i)
        return result

    def parse_endtag(self, i):
        known = self._no_gt_from
        if known is not None and known[0] is self.rawdata and i > known[1]:
            self.handle_data(self.rawdata[i:i + 2])
            return i + 2
        if self.rawdata.find(">", i + 1) == -1:
            self._no_gt_from = (self.rawdata, i)
        return super().parse_endtag(i)


class _HtmlBlocks(Preprocessor):
    def run(self, lines):
        parser = _Extractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


_PLACEHOLDER = f"{md_util.STX}{{}}{md_util.ETX}"
_BACKTICK = re.compile(BACKTICK_RE)
_CODE_SPANS = BacktickInlineProcessor(BACKTICK_RE)
_BRACKET_TOKENS = re.compile(r"\\.|[\[\]()]", re.DOTALL)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """The code spans of a paragraph, found as the backtick processor finds them."""
    spans = []
    pos = 0
    while True:
        found = _BACKTICK.search(text, pos)
        if found is None:
            return spans
        begin = found.start()
        if found.group(1):  # escaped backslashes; the backticks after them may open a span
            spans.append((begin, found.end()))
            begin = found.end()
        start, end = _CODE_SPANS.find_code_spans(begin, text)
        if end is None:
            pos = start
            continue
        spans.append((begin, end + (start - begin)))
        pos = spans[-1][1]


def _neutralise_brackets(text: str) -> str:
    """Replace the `[` that can never start a link (unmatched, or nested deeper than
    MAX_BRACKET_DEPTH) and the `(` after a `]` that is never closed (or nested too deep) with
    the placeholder a backslash escape gives them: the output is the same, but the link
    parsers no longer scan to the end of the paragraph for each of them."""
    spans = _code_spans(text)
    span_at = 0
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []
    neutral: set[int] = set()
    last_close = -2
    for token in _BRACKET_TOKENS.finditer(text):
        pos = token.start()
        while span_at < len(spans) and spans[span_at][1] <= pos:
            span_at += 1
        if span_at < len(spans) and spans[span_at][0] <= pos:
            continue  # inside a code span
        char = token.group()
        if len(char) > 1:
            continue  # a backslash escape
        if char == "[":
            if len(brackets) >= MAX_BRACKET_DEPTH:
                neutral.add(pos)
            else:
                brackets.append(pos)
        elif char == "]":
            if brackets:
                brackets.pop()
                last_close = pos
        elif char == "(":
            link = last_close == pos - 1
            if link and len(parens) >= MAX_BRACKET_DEPTH:
                neutral.add(pos)
            else:
                parens.append((pos, link))
        elif parens:
            parens.pop()
    neutral.update(brackets)
    neutral.update(pos for pos, link in parens if link)
    if not neutral:
        return text
    out = []
    last = 0
    for pos in sorted(neutral):
        out.append(text[last:pos])
        out.append(_PLACEHOLDER.format(ord(text[pos])))
        last = pos + 1
    out.append(text[last:])
    return "".join(out)


def _guard_text(text: str) -> str:
    size = len(text)
    if sum(text.count(mark) for mark in INLINE_MARKS) * size > INLINE_BUDGET:
        return md_util.AtomicString(text)  # absurd amount of markup: shown as plain text
    if text.count("[") * size > BRACKET_BUDGET:
        return _neutralise_brackets(text)
    return text


class _InlineGuard(Treeprocessor):
    """Runs just before the inline processor, on the text of every element."""

    def run(self, root):
        for element in root.iter():
            for name in ("text", "tail"):
                value = getattr(element, name)
                if value and not isinstance(value, md_util.AtomicString):
                    guarded = _guard_text(value)
                    if guarded is not value:
                        setattr(element, name, guarded)


class _Linear(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_HtmlBlocks(md), "html_block", 20)
        md.parser.blockprocessors.register(
            _LazyTables(md.parser, EXTENSION_CONFIGS["tables"]), "table", 75)
        md.treeprocessors.register(_InlineGuard(md), "inline_guard", 25)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "fenced_code", _Linear()],
        extension_configs=EXTENSION_CONFIGS, output_format="html")


# --- sanitising --------------------------------------------------------------------------


def _image_source(value: str, files_base: str | None) -> str | None:
    """An image may only show one of this course's files: `files/<name>` or the course's
    file URL itself. Anything else (other pages of the site, "/\\host", other hosts) is
    dropped, so showing a lesson never makes the reader's browser request anything else."""
    if files_base is None:
        return None
    value = value.strip()
    found = FILES_PREFIX.match(value)
    if found:
        name = found.group("name")
    elif value.startswith(files_base):
        name = value[len(files_base):]
    else:
        return None
    name = unquote(name)
    if not _FILE_NAME.fullmatch(name):
        return None
    return files_base + quote(name, safe="")


def _attribute_filter(files_base: str | None):
    def keep(tag: str, attr: str, value: str) -> str | None:
        if tag == "img" and attr == "src":
            return _image_source(value, files_base)
        if attr in ("width", "height", "start", "colspan", "rowspan") and not value.isdigit():
            return None
        return value

    return keep


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


def sanitise(html: str, files_base: str | None = None, dropped_images: list | None = None) -> str:
    """Clean an HTML fragment with the allow-list (used for rendered Markdown). The source of
    each image the rule drops is added to `dropped_images` when given."""
    keep = _attribute_filter(files_base)
    if dropped_images is not None:
        def watch(tag: str, attr: str, value: str) -> str | None:
            kept = keep(tag, attr, value)
            if tag == "img" and attr == "src" and kept is None:
                dropped_images.append(value)
            return kept
    return nh3.clean(
        html, tags=TAGS, clean_content_tags=DROP_WITH_CONTENT, attributes=ATTRIBUTES,
        attribute_filter=keep if dropped_images is None else watch, strip_comments=True,
        link_rel=LINK_REL, tag_attribute_values=TAG_ATTRIBUTE_VALUES,
        set_tag_attribute_values=SET_ATTRIBUTES, url_schemes=URL_SCHEMES,
        url_relative=_relative_rewriter(files_base))


# --- rendering ---------------------------------------------------------------------------

NESTING_MESSAGE = N_("Nội dung lồng nhau quá sâu (danh sách, trích dẫn hoặc thẻ HTML trong "
                      "nhau) nên không hiển thị được. Hãy bớt thụt lề hoặc bớt các mức lồng "
                      "nhau.")  # translated when raised


@functools.lru_cache(maxsize=16)
def _render(source: str, files_base: str | None) -> str:
    try:
        raw = _markdown().convert(source)
        html = sanitise(raw, files_base)
    except RecursionError as exc:
        raise ContentError(_(NESTING_MESSAGE)) from exc
    # Wide tables scroll sideways on a phone. Safe: after sanitising, "<table" and "</table>"
    # can only be real tags (text has its "<" escaped).
    return (html.replace(f'<table class="{TABLE_CLASS}">',
                         f'<div class="table-responsive"><table class="{TABLE_CLASS}">')
            .replace("</table>", "</table></div>"))


def render_markdown(source: str, files_base: str | None = None) -> str:
    """Markdown source -> sanitised HTML. `files_base` is the URL path (ending in "/") that
    `files/<name>` links point to. ContentError when the text cannot be rendered safely."""
    source = source or ""
    found = problems(source)
    if found:
        raise found[0]
    return _render(source, files_base)


def stripped_images(source: str, files_base: str | None) -> list[str]:
    """The images the sanitiser will drop from the text (an image that is not one of the
    course's files: another site, another page), found by the same rule, for the editor's
    warning. Empty when the text cannot be rendered (its own error says why)."""
    source = source or ""
    if problems(source):
        return []
    dropped: list[str] = []
    try:
        sanitise(_markdown().convert(source), files_base, dropped)
    except RecursionError:
        return []
    return list(dict.fromkeys(dropped))


def plain_html(source: str) -> str:
    """The text as escaped paragraphs: what readers see of a text that cannot be rendered
    (e.g. saved before the checks existed), instead of an error page."""
    paragraphs = [p for p in re.split(r"\n\s*\n", source or "") if p.strip()]
    return "".join("<p>" + html_lib.escape(p).replace("\n", "<br>") + "</p>"
                   for p in paragraphs)


def source_hash(source: str, files_base: str | None) -> str:
    text = f"{RENDERER_VERSION}\0{files_base or ''}\0{source or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached(source: str, files_base: str | None, html: str, html_hash: str) -> tuple[str, str]:
    """(html, hash): the cached HTML if still valid for this source, else freshly rendered
    (plain paragraphs for a text that cannot be rendered: never an error for readers)."""
    wanted = source_hash(source, files_base)
    if html_hash == wanted and html is not None:
        return html, html_hash
    try:
        return render_markdown(source, files_base), wanted
    except ContentError:
        return plain_html(source), wanted
