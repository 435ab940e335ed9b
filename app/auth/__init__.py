"""Accounts, roles and sign-in."""


def init_app(app):
    from app.auth.cli import users_cli
    from app.auth.views import bp

    app.register_blueprint(bp, url_prefix="/auth")
    app.cli.add_command(users_cli)
