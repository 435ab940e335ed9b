"""Security headers on every response: CSP without inline scripts, no sniffing, no framing.
Requests carrying a NUL character are refused (400): PostgreSQL cannot store or even compare
text holding one, so it would otherwise be an error 500 wherever that text meets a query."""

from flask import Flask, abort, request, session

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _has_nul(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_nul():
        if "\x00" in request.path or _has_nul(request.args) or (
                request.method == "POST" and (_has_nul(request.form) or any(
                    "\x00" in (f.filename or "") for _k, f in request.files.items(multi=True)))):
            abort(400)

    fixed = (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
             ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"))
    hsts = (("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),)

    @app.after_request
    def _headers(response):
        headers = response.headers
        # The names the response has (a set: werkzeug's Headers answers "not there" with an
        # exception, five times a response).
        present = {name.lower() for name, _value in headers}
        if request.endpoint != "static" and "_user_id" in session \
                and not ("cache-control" in present and response.cache_control.private):
            # A signed-in page or file (personal data) is never kept by a browser or proxy; a
            # view that allows its own user's browser to keep it says so (`private`: the
            # images and files of a lesson).
            headers["Cache-Control"] = "no-store"
        wanted = fixed + hsts if app.config.get("SESSION_COOKIE_SECURE") else fixed
        for name, value in wanted:
            if name.lower() not in present:  # unless the view set its own
                headers.add(name, value)
        return response
