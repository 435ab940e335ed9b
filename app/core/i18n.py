"""Locale selection: the user's choice (cookie or account), Vietnamese by default; and the
catalogue of the request's locale, looked up once per request."""

from flask import current_app, g, request
from flask_babel import Domain
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

LOCALE_COOKIE = "lang"


def select_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LOCALE_COOKIE) if request else None
    if chosen in supported:
        return chosen
    try:
        user_locale = getattr(current_user, "locale", None) if current_user else None
    except SQLAlchemyError:  # the database is unavailable: the error page still has a language
        user_locale = None
    if user_locale in supported:
        return user_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


class OncePerRequest(Domain):
    """The app's message domain, whose catalogue is found once per request. Flask-Babel finds
    the locale and then the catalogue again on every call (about 10 µs; a page calls `_()`
    tens to hundreds of times). The catalogue is kept on Flask-Babel's own request state, in
    the attribute its `refresh()` deletes and its `force_locale()` sets aside and puts back,
    so a change of locale within a request is seen as before."""

    def get_translations(self):
        state = _babel_state()
        found = getattr(state, "babel_translations", None)
        if found is None:
            found = super().get_translations()
            state = _babel_state()  # made by the lookup
            if state is not None:
                state.babel_translations = found
        return found


def _babel_state():
    """Flask-Babel's state on `g`, or None (none yet, or no app context): `g` is looked up
    once, not twice (`if g` and `g.get`), on every `_()`."""
    try:
        return g._get_current_object().get("_flask_babel")
    except RuntimeError:  # no app context
        return None


def register(app) -> None:
    """Choose the locale afresh for every request (Flask-Babel caches it on the app context,
    which a test client or a CLI command may share between requests); look the catalogue up
    once per request, for the templates' `_()` as for the code's."""
    from flask_babel import refresh

    from app.extensions import babel

    app.before_request(refresh)
    # What flask_babel.get_domain() gives every request (a cached property of the extension).
    domain = vars(babel).get("domain_instance")
    if not isinstance(domain, OncePerRequest):
        domain = babel.domain_instance = OncePerRequest(
            domain=app.extensions["babel"].default_domain)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
        newstyle=True)
    # `_()` in a template, directly (Jinja's alias looks `gettext` up in the template's
    # context and calls it through the context, twice over, on every call).
    app.jinja_env.globals["_"] = _template_gettext(domain)


def _template_gettext(domain: Domain):
    """Jinja's new-style `gettext` (escaping, `%(name)s` filled from keyword arguments, a
    literal % written %%), reading the request's catalogue."""

    @pass_eval_context  # not the template's context: Jinja copies it for each call in a loop
    def gettext(eval_ctx, string: str, **variables) -> str:
        text = domain.get_translations().ugettext(string)
        if eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 - the catalogue's text, as Jinja's gettext trusts it
        # Nothing to fill and no "%%" to write as "%": the text as it is (formatting a Markup
        # escapes and copies it).
        return text % variables if variables or "%" in text else text

    return gettext
