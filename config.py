"""Configuration classes. Every secret and every deployment setting comes from the environment.

A setting that is wrong or missing stops the app with one line (`ConfigError`) that names the
variable and says what to do: `create_app` raises it, `wsgi.py` prints it and exits.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("TAPHUAN_INSTANCE", BASE_DIR / "instance"))


class ConfigError(RuntimeError):
    """A deployment setting is wrong or missing; the message is one line for the operator."""


_UNREADABLE: list[str] = []  # settings read at import that were not numbers (see Config.check)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        _UNREADABLE.append(f"{name}={value} không phải số nguyên: hãy ghi một số, "
                           f"ví dụ {name}={default}, hoặc bỏ biến này đi.")
        return default


class Config:
    # None: a random key is made once and kept in the instance folder (development only;
    # production refuses to start without SECRET_KEY).
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'taphuan.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    INSTANCE_PATH = str(INSTANCE_DIR)
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = _env_int("MAX_UPLOAD_MB", 20) * 1024 * 1024
    # Course images wider than this are scaled down; with more pixels than this, refused.
    COURSE_IMAGE_MAX_WIDTH = _env_int("COURSE_IMAGE_MAX_WIDTH", 1280)
    COURSE_IMAGE_MAX_PIXELS = _env_int("COURSE_IMAGE_MAX_PIXELS", 16_000_000)
    # A lesson's audio (or any audio course file) is at most this large: sized for weak data.
    COURSE_AUDIO_MAX_BYTES = _env_int("COURSE_AUDIO_MAX_MB", 5) * 1024 * 1024

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TZ_NAME", "Asia/Ho_Chi_Minh")
    LANGUAGES = ("vi", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = _env_int("REMEMBER_DAYS", 30) * 86400
    PERMANENT_SESSION_LIFETIME = _env_int("SESSION_HOURS", 12) * 3600

    WTF_CSRF_TIME_LIMIT = None  # tied to the session; forms stay valid during long classes
    PASSWORD_MIN_LENGTH = _env_int("PASSWORD_MIN_LENGTH", 8)
    # zxcvbn's estimate of the guesses a new password needs, as a power of ten (8: its score 3,
    # "safely unguessable"): app/auth/passwords.py.
    PASSWORD_MIN_GUESSES = _env_int("PASSWORD_MIN_GUESSES", 8)
    # Two-factor sign-in (app/auth/two_factor.py): 1 makes it required for admins; the name an
    # authenticator app shows beside the account.
    TWO_FACTOR_FOR_ADMINS = bool(_env_int("TWO_FACTOR_FOR_ADMINS", 0))
    TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Tập huấn")
    PAGE_SIZE = _env_int("PAGE_SIZE", 50)

    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_COUNT = _env_int("PROXY_COUNT", 0)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Failed sign-ins (app/auth/throttle.py): successful ones never count.
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT",
                                                "5 per 5 minutes; 10 per hour")
    LOGIN_FAILURES_PER_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ADDRESS",
                                                "30 per 10 minutes; 100 per day")
    LOGIN_LOCK_AFTER = os.environ.get("LOGIN_LOCK_AFTER", "15 per day")
    LOGIN_LOCK_MINUTES = _env_int("LOGIN_LOCK_MINUTES", 60)
    RATELIMIT_HEADERS_ENABLED = False
    # The public verification of certificates (/verify): requests per address.
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute; 300 per day")
    # The read-only API (/api/v1/): calls per token (app/api/auth.py).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute; 5000 per hour")
    # The address printed on certificates and in their QR codes ("https://taphuan.sonha.gov.vn");
    # empty: the address of the request that printed them.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")

    # gzip for HTML, CSS and JS (weak mobile data); brotli is not needed on a LAN.
    COMPRESS_ALGORITHM = ["gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["gzip", "deflate"]  # static files are sent as streams
    COMPRESS_MIMETYPES = ["text/html", "text/css", "application/javascript", "text/javascript",
                          "application/json", "image/svg+xml"]
    COMPRESS_MIN_SIZE = 500

    @classmethod
    def check(cls) -> None:
        """Stop with one line when a setting cannot be used."""
        if _UNREADABLE:
            raise ConfigError(" ".join(_UNREADABLE))


class DevelopmentConfig(Config):
    DEBUG = False  # the debugger would allow code execution; enable with FLASK_DEBUG=1 if needed


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast hashing in tests only


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def check(cls) -> None:
        super().check()
        missing = []
        if not os.environ.get("SECRET_KEY"):
            missing.append("SECRET_KEY (một chuỗi ngẫu nhiên dài, ví dụ in ra bởi: python3 -c "
                           "'import secrets; print(secrets.token_hex(32))')")
        if not os.environ.get("DATABASE_URL"):  # never the development SQLite file
            missing.append("DATABASE_URL (cơ sở dữ liệu PostgreSQL, ví dụ "
                           "postgresql+psycopg://taphuan:MẬT_KHẨU@127.0.0.1:5432/taphuan)")
        if missing:
            raise ConfigError("TAPHUAN_CONFIG=production cần biến môi trường "
                              + " và ".join(missing) + ": hãy đặt rồi chạy lại.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_named(name: str | None = None) -> type[Config]:
    """The config class called `name`, by default the one TAPHUAN_CONFIG names (development
    when it is unset)."""
    name = name or os.environ.get("TAPHUAN_CONFIG") or "development"
    if name not in CONFIGS:
        raise ConfigError(f"TAPHUAN_CONFIG={name} không hợp lệ: hãy đặt TAPHUAN_CONFIG là "
                          "development, production hoặc testing (bỏ trống là development).")
    return CONFIGS[name]
