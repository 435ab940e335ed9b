"""Photos of signed sign-in sheets read back into attendance (issue #19): the sheet is printed
as a recorded print (`prints.py`: ArUco corner markers, a QR code naming the print and the
page under a short HMAC, every signature cell kept as drawn), a photo of each signed page is
read (`reader.py`), and what it proposes is confirmed by a person (`service.py`); the marks
then go through attendance's own service. README, "Reading photos of signed sheets"."""


def init_app(app):
    from flask import current_app

    from app.attendance import sheets
    from app.sheetphotos import codes, prints
    from app.sheetphotos.views import bp

    app.register_blueprint(bp, url_prefix="/classes")

    def printer(actor, klass, cadres, sessions, org, *, every, title):
        key = codes.key_of(current_app.config["SECRET_KEY"])
        return prints.print_sheet(actor, klass, cadres, sessions, org, every=every,
                                  title=title, key=key)

    sheets.register_printer(app, printer)
