"""A search's text as the literal part of a LIKE pattern, for statements built once per process
whose search is a parameter (`column.contains(bindparam("q"), escape=ESCAPE)` with
`literal(text)` as its value): what SQLAlchemy's `contains(text, autoescape=True)` does to a
literal string, which a parameter cannot have done for it. A "%" or "_" typed in a search
finds that character, not any."""

ESCAPE = "/"


def literal(text: str) -> str:
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
