"""Page numbers for lists: read ?page= and give the template what the `pager` macro needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

MAX_PAGE = 1_000_000  # an offset beyond the database's integer range would fail there


def page_number(args: Mapping[str, str]) -> int:
    """The requested page, 1 when missing or not a positive number; at most MAX_PAGE."""
    try:
        return min(max(int(args.get("page", 1)), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


@dataclass(frozen=True)
class Pager:
    page: int
    size: int
    total: int
    args: dict = field(default_factory=dict)  # the list's other query arguments (filters)

    @property
    def pages(self) -> int:
        return max(-(-self.total // self.size), 1)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def url_args(self, page: int) -> str:
        """The query string of another page of the same list."""
        return urlencode({**self.args, "page": page})

    def context(self) -> dict:
        """Template variables for `pager(page, pages, page_args)`."""
        return {"page": self.page, "pages": self.pages, "page_args": self.url_args,
                "total": self.total, "offset": self.offset}
