"""Townsquare settings: the only module that reads the environment.

Every variable is listed in .env.example (a test keeps the two in step). With no
configuration at all Townsquare runs embedded: SQLite in the data directory, background
work in the same database, secrets from the generated file in the data directory.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from townsquare.lib.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    read_env_file,
)
from townsquare.lib.secrets_file import SECRETS_FILE_NAME, data_dir_from

PACKAGE_DIR = Path(__file__).resolve().parent

DATA_DIR = data_dir_from(os.environ)
# Real environment variables win over the generated secrets file.
ENV = {**read_env_file(DATA_DIR / SECRETS_FILE_NAME), **os.environ}

DEBUG = env_bool(ENV, "DEBUG", False)

SECRET_KEY = env_str(ENV, "SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        f"SECRET_KEY is not set and {DATA_DIR / SECRETS_FILE_NAME} does not exist. "
        "Run `townsquare setup` once (it writes that file), or set SECRET_KEY."
    )
FIELD_ENCRYPTION_KEYS = env_list(ENV, "FIELD_ENCRYPTION_KEYS", [])

ALLOWED_HOSTS = env_list(ENV, "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list(ENV, "CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str(ENV, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Unset, `townsquare up` gives its children the address it serves on, so links in e-mails
# lead there (`make run PORT=8100` links to :8100).
SITE_URL_CONFIGURED = "SITE_URL" in ENV
# How long the signed public address of a media file works (media/public_urls.py): the
# address Instagram, Threads and Facebook download a post's pictures and videos from.
PUBLIC_MEDIA_URL_HOURS = env_int(ENV, "PUBLIC_MEDIA_URL_HOURS", 24)
SIGNUP_OPEN = env_bool(ENV, "SIGNUP_OPEN", False)
# Townsquare's app at X: its OAuth 2.0 Client ID and Client Secret (docs/networks/x.md says
# where to register it). Unset, the connect page tells the operator what to configure, and X
# accounts stay posted by reminder.
X_CLIENT_ID = env_str(ENV, "X_CLIENT_ID", "").strip()
X_CLIENT_SECRET = env_str(ENV, "X_CLIENT_SECRET", "").strip()
# What the installation's X API plan charges, "<amount> <currency>" (e.g. "0.015 USD"): a post
# (each part of a thread), a post with a link, a media file. The composer shows the cost of a
# post before it is scheduled; unset prices are shown as unknown (docs/networks/x.md, "Cost").
X_API_POST_COST = env_str(ENV, "X_API_POST_COST", "").strip()
X_API_LINK_POST_COST = env_str(ENV, "X_API_LINK_POST_COST", "").strip()
X_API_MEDIA_COST = env_str(ENV, "X_API_MEDIA_COST", "").strip()
for _name, _cost in (
    ("X_API_POST_COST", X_API_POST_COST),
    ("X_API_LINK_POST_COST", X_API_LINK_POST_COST),
    ("X_API_MEDIA_COST", X_API_MEDIA_COST),
):
    if _cost and not re.fullmatch(r"[0-9]+(\.[0-9]+)?\s+[A-Za-z]{3}", _cost):
        # A typo would otherwise show every post's cost as unknown without saying why.
        raise ImproperlyConfigured(
            f"{_name} must be an amount and a currency, like '0.015 USD'; got {_cost!r}."
        )
# Townsquare's app at LinkedIn (docs/networks/linkedin_page.md, "Registering the app"): its
# Client ID and Client Secret. Unset, the connect page tells the operator what to configure,
# and LinkedIn pages and profiles stay posted by reminder. LINKEDIN_API_VERSION (YYYYMM) moves
# the pinned LinkedIn-Version forward when LinkedIn retires it; empty keeps the pinned one.
LINKEDIN_CLIENT_ID = env_str(ENV, "LINKEDIN_CLIENT_ID", "").strip()
LINKEDIN_CLIENT_SECRET = env_str(ENV, "LINKEDIN_CLIENT_SECRET", "").strip()
LINKEDIN_API_VERSION = env_str(ENV, "LINKEDIN_API_VERSION", "").strip()
if LINKEDIN_API_VERSION and not re.fullmatch(r"20[0-9]{2}(0[1-9]|1[0-2])", LINKEDIN_API_VERSION):
    # A typo would otherwise be ignored silently and the retired version kept.
    raise ImproperlyConfigured(
        f"LINKEDIN_API_VERSION must be a LinkedIn version YYYYMM (e.g. 202607); "
        f"got {LINKEDIN_API_VERSION!r}."
    )
# Townsquare's app at Meta, for Facebook Pages and Instagram professional accounts
# (docs/networks/facebook_page.md, "Registering the app"): its App ID and App Secret. Unset,
# the connect page tells the operator what to configure, and both stay posted by reminder.
# The App Secret also signs Meta's webhook deliveries; META_WEBHOOK_VERIFY_TOKEN is the token
# entered beside the callback URL in the app dashboard (unset, /webhooks/meta/ answers 403).
# META_GRAPH_API_VERSION (vNN.0) moves the pinned Graph API version forward when Meta retires
# it; empty keeps the pinned one.
META_APP_ID = env_str(ENV, "META_APP_ID", "").strip()
META_APP_SECRET = env_str(ENV, "META_APP_SECRET", "").strip()
META_WEBHOOK_VERIFY_TOKEN = env_str(ENV, "META_WEBHOOK_VERIFY_TOKEN", "").strip()
META_GRAPH_API_VERSION = env_str(ENV, "META_GRAPH_API_VERSION", "").strip()
# On: connecting also asks for pages_messaging / instagram_manage_messages (optional), and
# accounts that granted it may answer comments privately from the inbox. Needs App Review.
META_PRIVATE_REPLIES = env_bool(ENV, "META_PRIVATE_REPLIES", False)
if META_GRAPH_API_VERSION and not re.fullmatch(r"v[1-9][0-9]\.0", META_GRAPH_API_VERSION):
    # A typo would otherwise be ignored silently and the pinned version kept.
    raise ImproperlyConfigured(
        f"META_GRAPH_API_VERSION must be a Graph API version vNN.0 (e.g. v26.0); "
        f"got {META_GRAPH_API_VERSION!r}."
    )
# Townsquare's app at Threads (docs/networks/threads.md, "Registering the app"): the *Threads*
# App ID and Threads App Secret of the Meta app (App Dashboard > Use cases > Access the
# Threads API > Settings), not its Facebook ones. Unset, the connect page tells the operator
# what to configure, and Threads profiles stay posted by reminder. THREADS_API_VERSION (vN.N)
# moves the pinned Threads API version forward when Meta retires it; empty keeps the pinned one.
THREADS_APP_ID = env_str(ENV, "THREADS_APP_ID", "").strip()
THREADS_APP_SECRET = env_str(ENV, "THREADS_APP_SECRET", "").strip()
THREADS_API_VERSION = env_str(ENV, "THREADS_API_VERSION", "").strip()
if THREADS_API_VERSION and not re.fullmatch(r"v[1-9][0-9]?\.[0-9]", THREADS_API_VERSION):
    # A typo would otherwise be ignored silently and the pinned version kept.
    raise ImproperlyConfigured(
        f"THREADS_API_VERSION must be a Threads API version vN.N (e.g. v1.0); "
        f"got {THREADS_API_VERSION!r}."
    )

INSTALLED_APPS = [
    # The admin, signing in through the same page as the rest of Townsquare (with the
    # second factor and the login rate limits): accounts/admin_site.py.
    "townsquare.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "townsquare.accounts",
    "townsquare.audit",
    "townsquare.workspaces",
    "townsquare.networks",
    "townsquare.ratelimits",
    "townsquare.content",
    "townsquare.planning",
    "townsquare.calendars",
    "townsquare.queues",
    "townsquare.approvals",
    "townsquare.bulk",
    "townsquare.compliance",
    "townsquare.feeds",
    "townsquare.inbox",
    "townsquare.analytics",
    "townsquare.publishing",
    "townsquare.notifications",
    "townsquare.runtime",
    "townsquare.media",
    "townsquare.api",
    "townsquare.ui",
]

MIDDLEWARE = [
    # First, so that every answer carries its headers: static files, redirects to https.
    "townsquare.lib.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A body that stops arriving is a 400, also where the CSRF check would ignore it.
    "townsquare.lib.request_body.UnreadableBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "townsquare.accounts.middleware.UserLanguageMiddleware",
    # With DEBUG on, a missing page is the friendly 404 in the shell, not the debug page.
    "townsquare.ui.views.errors.FriendlyNotFoundMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "townsquare.urls"
WSGI_APPLICATION = "townsquare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "townsquare.ui.context.shell",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
DATABASE_URL = env_str(ENV, "DATABASE_URL", f"sqlite:///{DATA_DIR / 'townsquare.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int(ENV, "DB_CONN_MAX_AGE", 0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
    # BEGIN so concurrent writers queue on the busy timeout instead of failing mid-way.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # A file, not memory: tests start real workers and schedulers in other processes.
    _db["TEST"] = {"NAME": str(DATA_DIR / "test-townsquare.sqlite3")}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the dashboards' aggregates over a year of rows cross PostgreSQL's
    # cost threshold and would spend ~60 ms compiling a query that runs in ~20 ms.
    _db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background work ------------------------------------------------------------------
TASKS_BACKEND = env_choice(ENV, "TASKS_BACKEND", "db", ("db", "celery", "immediate"))
# Inline tasks run in the process that enqueues them, inside its transaction: the
# scheduler would publish inside its claim, a web request would wait for the network. For
# tests only (pytest sets PYTEST_VERSION while it runs).
if TASKS_BACKEND == "immediate" and not ENV.get("PYTEST_VERSION"):
    raise ImproperlyConfigured(
        "TASKS_BACKEND=immediate runs background work inline and is for tests only. "
        "Use TASKS_BACKEND=db (with `townsquare db_worker`) or TASKS_BACKEND=celery."
    )
CELERY_BROKER_URL = env_str(ENV, "CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
_TASK_BACKENDS = {
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "celery": {"BACKEND": "townsquare.runtime.celery_backend.CeleryBackend"},
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}
# Publishing: how long a worker holds a publication before the scheduler may give it to
# another. Well above the networks' HTTP timeouts; a longer call (a video upload) renews it.
PUBLISH_LEASE_SECONDS = env_int(ENV, "PUBLISH_LEASE_SECONDS", 90)
if PUBLISH_LEASE_SECONDS < 5:
    raise ImproperlyConfigured(
        f"PUBLISH_LEASE_SECONDS must be at least 5 (seconds); got {PUBLISH_LEASE_SECONDS}."
    )
# At most this many publications are claimed and not yet finished at once. The rest wait,
# still `scheduled`, until workers have room: more than the workers can start within a lease
# would only expire in the queue and be claimed again, again and again.
PUBLISH_MAX_IN_FLIGHT = env_int(ENV, "PUBLISH_MAX_IN_FLIGHT", 200)
if PUBLISH_MAX_IN_FLIGHT < 1:
    raise ImproperlyConfigured(
        f"PUBLISH_MAX_IN_FLIGHT must be at least 1; got {PUBLISH_MAX_IN_FLIGHT}."
    )
# The task queue of publishing, so that a deployment can give publishing workers of its own.
PUBLISH_TASK_QUEUE = env_str(ENV, "PUBLISH_TASK_QUEUE", "default").strip() or "default"
TASKS = {
    "default": {
        **_TASK_BACKENDS[TASKS_BACKEND],
        "QUEUES": sorted({"default", PUBLISH_TASK_QUEUE}),
    }
}
# Celery's remote control (`celery inspect`) keeps a mailbox per worker in the broker.
CELERY_WORKER_ENABLE_REMOTE_CONTROL = env_bool(ENV, "CELERY_REMOTE_CONTROL", True)
SCHEDULER_HEARTBEAT_SECONDS = env_int(ENV, "SCHEDULER_HEARTBEAT_SECONDS", 15)
SCHEDULER_STALE_AFTER_SECONDS = env_int(ENV, "SCHEDULER_STALE_AFTER_SECONDS", 120)
# Operators read /metrics with this bearer token; unset, the endpoint answers 404.
METRICS_TOKEN = env_str(ENV, "METRICS_TOKEN", "")
# Finished rows of the database task backend are deleted after this many days.
TASK_RESULTS_KEEP_DAYS = env_int(ENV, "TASK_RESULTS_KEEP_DAYS", 7)
# Where the per-network publishing rate limits are counted, shared by every worker: the
# database (embedded) or Redis (at scale; the broker's Redis unless told otherwise).
RATE_LIMIT_BACKEND = env_choice(ENV, "RATE_LIMIT_BACKEND", "db", ("db", "redis"))
_broker_redis = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
RATE_LIMIT_REDIS_URL = env_str(ENV, "RATE_LIMIT_REDIS_URL", _broker_redis)
if RATE_LIMIT_BACKEND == "redis" and not RATE_LIMIT_REDIS_URL:
    raise ImproperlyConfigured("RATE_LIMIT_BACKEND=redis needs RATE_LIMIT_REDIS_URL (redis://...).")
# The cache holds what every web process must agree on, the counts of the sign-in rate
# limits above all (a count kept per process gives an attacker one allowance per worker and
# a fresh one after each restart). The database (embedded) or Redis (at scale: with
# RATE_LIMIT_BACKEND=redis its Redis, unless CACHE_URL says otherwise).
_scale_redis = RATE_LIMIT_REDIS_URL if RATE_LIMIT_BACKEND == "redis" else ""
CACHE_URL = env_str(ENV, "CACHE_URL", _scale_redis or "db")
if CACHE_URL == "db":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            # Created by `townsquare setup` and every `migrate` (accounts/apps.py).
            "LOCATION": "townsquare_cache",
            "KEY_PREFIX": "townsquare",
            # Culling drops entries at random once there are more than this; an attacker
            # who sprays many addresses must not push their own counts out that way.
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    }
elif CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "townsquare",
        }
    }
else:
    raise ImproperlyConfigured(
        "CACHE_URL must be db (the database) or a redis:// or rediss:// address, so that "
        f"every process shares it; got {CACHE_URL!r}."
    )
# How long after a send of unknown outcome the network is asked whether the post arrived.
PUBLISH_RECONCILE_GRACE_SECONDS = env_int(ENV, "PUBLISH_RECONCILE_GRACE_SECONDS", 10)

# --- users and login ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "townsquare.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Townsquare"

# --- email ----------------------------------------------------------------------------
_EMAIL_BACKEND = env_choice(ENV, "EMAIL_BACKEND", "console", ("console", "smtp", "locmem"))
if _EMAIL_BACKEND == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str(ENV, "EMAIL_HOST", "localhost"),
                "port": env_int(ENV, "EMAIL_PORT", 25),
                "username": env_str(ENV, "EMAIL_HOST_USER", ""),
                "password": env_str(ENV, "EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool(ENV, "EMAIL_USE_TLS", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": f"django.core.mail.backends.{_EMAIL_BACKEND}.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str(ENV, "DEFAULT_FROM_EMAIL", "Townsquare <townsquare@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- language and time ----------------------------------------------------------------
LANGUAGE_CODE = env_str(ENV, "LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start otherwise
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env_path(ENV, "MEDIA_ROOT", DATA_DIR / "media")
MEDIA_URL = "/media/"

# --- security -------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
_secure_default = not DEBUG
SESSION_COOKIE_SECURE = env_bool(ENV, "SECURE_COOKIES", _secure_default)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool(ENV, "SECURE_SSL_REDIRECT", _secure_default)
# Load balancers probe health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
SECURE_HSTS_SECONDS = env_int(ENV, "SECURE_HSTS_SECONDS", 31536000 if _secure_default else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool(ENV, "SECURE_HSTS_PRELOAD", False)
if env_bool(ENV, "TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind reverse proxies the sign-in rate limits must count each client's address, not the
# proxy's (or one person's typos would lock everyone out): how many proxies in front of
# Townsquare add to X-Forwarded-For. 0 uses the address of the connection itself.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int(ENV, "TRUSTED_PROXY_COUNT", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sent with every answer (lib/headers.py): no page of Townsquare uses these device features,
# so none may, even if a script got in. Fullscreen stays for the media library's videos.
PERMISSIONS_POLICY = ", ".join(
    [
        *(
            f"{feature}=()"
            for feature in (
                "accelerometer",
                "browsing-topics",
                "camera",
                "display-capture",
                "geolocation",
                "gyroscope",
                "hid",
                "magnetometer",
                "microphone",
                "midi",
                "payment",
                "screen-wake-lock",
                "serial",
                "usb",
                "xr-spatial-tracking",
            )
        ),
        "fullscreen=(self)",
    ]
)

# Outbound requests to loopback and private addresses (webhooks, link cards) are refused
# unless this is on: for tests and for installations that post to their own intranet.
ALLOW_PRIVATE_NETWORK_TARGETS = env_bool(ENV, "ALLOW_PRIVATE_NETWORK_TARGETS", False)

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str(ENV, "LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # httpx logs every request's full URL at INFO; a webhook's URL is a secret.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
