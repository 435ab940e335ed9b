"""Jinja filters, the navigation shown to each role, and the page frame's fragments made
once."""

from typing import NamedTuple

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from app.core import recent
from app.numbers import format_money, format_number
from app.timeutil import format_moment
from app.vietnamese import format_date, format_date_long


def add_nav(app: Flask, endpoint: str, label, order: int = 50) -> None:
    """Features add their main page to the navigation. It is shown to those the page's own
    route lets in (`view.access`, set by app.auth.decorators), so the two never disagree."""
    app.extensions["nav"].append((order, endpoint, label))


def _may_open(endpoint: str) -> bool:
    access = getattr(current_app.view_functions[endpoint], "access", None)
    return not isinstance(access, frozenset) or current_user.has_role(*access)


def nav_items():
    """[(href, label)] of the navigation the signed-in user may open. What `_may_open` lets
    in depends on the roles alone and the links on the app's root alone, so the list is made
    once per set of roles (per worker) and then read: labels stay lazy, translated when
    rendered."""
    if not current_user.is_authenticated:
        return []
    key = (frozenset(current_user.roles), request.script_root)
    made = current_app.extensions.setdefault("nav_by_roles", {})
    items = made.get(key)
    if items is None:
        entries = sorted(current_app.extensions["nav"], key=lambda e: e[0])
        items = made[key] = tuple((url_for(endpoint), label)
                                  for _order, endpoint, label in entries
                                  if _may_open(endpoint))
    return items


class Navigation(NamedTuple):
    items: tuple  # ((href, label), ...): nav_items()
    here: tuple  # the hrefs of the entries the page is under (shown as the current one)
    key: tuple  # what the navigation's HTML depends on, with the locale and the app's root


def navigation() -> Navigation:
    """The signed-in user's navigation and the entries the requested page is under: an entry
    is current on its own page and the pages below it (the home page only on itself)."""
    if not current_user.is_authenticated:
        return Navigation((), (), ())
    items = nav_items()
    path = request.path
    here = tuple(href for href, _label in items
                 if path == href or (href != "/" and path.startswith(href)))
    return Navigation(items, here, (frozenset(current_user.roles), here))


FRAGMENTS = 512  # parts kept per worker: the frame's few, and one per policy form shown


@pass_context
def fragment(context, *key, caller) -> Markup:
    """`{% call fragment('footer') %}...{% endcall %}`: the block rendered once per key, locale
    and app root (per worker), then copied. For the page frame's parts that depend on nothing
    else (labels, links to static files and to fixed pages); a part that depends on more says
    so in its key (the navigation: the roles and the current entry). Never for anything
    personal: a name, a CSRF token, the user's data."""
    made = recent.of_app("fragments", FRAGMENTS)
    full = (key, context.get("current_locale") or str(get_locale()), request.script_root)
    found = made.get(full)
    if found is None:
        found = Markup(caller())  # noqa: S704 - the template's own output
        made.put(full, found)
    return found


_MARK = 1_234_567_890  # an id standing for every id in a link built once


class Links:
    """`url_for(endpoint, **{arg: id}, **fixed)` for every row of a list, the route built
    once for the page (`{% set detail = links('classes.detail', 'class_id') %}`, then
    `detail(c.id)`): `url_for` per row was the dearest part of a list's rows. For an
    integer argument, which the URL writes as is."""

    __slots__ = ("head", "tail")

    def __init__(self, endpoint: str, arg: str, **fixed) -> None:
        self.head, self.tail = url_for(endpoint, **{arg: _MARK}, **fixed).split(str(_MARK))

    def __call__(self, value: int) -> str:
        return f"{self.head}{int(value)}{self.tail}"


def translated(labels: dict) -> dict:
    """{key: label in the user's language}: a list's labels translated once for the page
    instead of once per row (`{% set status_text = statuses|translated %}`)."""
    return {key: gettext(label) for key, label in labels.items()}


def register(app: Flask) -> None:
    app.jinja_env.filters["translated"] = translated
    app.jinja_env.globals["links"] = Links
    app.jinja_env.globals["fragment"] = fragment
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["date_long"] = format_date_long
    app.jinja_env.filters["datetime"] = format_moment
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["number"] = format_number

    @app.context_processor
    def _globals():
        return {"navigation": navigation, "current_locale": str(get_locale())}
