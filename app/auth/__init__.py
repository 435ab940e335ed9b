"""Accounts, roles and sign-in."""


def init_app(app):
    from app.auth.cli import users_cli
    from app.auth.roles import ROLE_LABELS
    from app.auth.sessions import device_of
    from app.auth.throttle import Throttle
    from app.auth.two_factor_views import bp as two_factor_bp
    from app.auth.views import bp

    app.register_blueprint(bp, url_prefix="/auth")
    app.register_blueprint(two_factor_bp, url_prefix="/auth/two-factor")
    app.cli.add_command(users_cli)
    app.add_template_global(ROLE_LABELS, "role_labels")
    app.add_template_filter(device_of, "device")
    app.extensions["login_throttle"] = Throttle.for_app(app.config)
