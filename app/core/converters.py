"""URL converters: ids in paths stay inside the database's integer range.

`/cadres/99999999999` would otherwise reach the database and fail there (PostgreSQL: "integer
out of range", SQLite: an OverflowError), a 500 instead of "not found". With the bound, such a
URL simply matches no route: 404.
"""

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.numbers import INT_MAX  # PostgreSQL `integer`, the type of every id column


class BoundedIntConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


def install(app: Flask) -> None:
    """Must run before any blueprint with `<int:...>` routes is registered (rules take their
    converter when they are added); tests/core/test_converters.py checks every route."""
    app.url_map.converters["int"] = BoundedIntConverter
