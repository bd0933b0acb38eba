"""Prep settings: one module, every per-deploy value read from the environment.

Defaults make a fresh clone run on SQLite with a filesystem Celery broker and e-mails written to
files, so `make run` needs no services. Production sets DEBUG=0 and the variables in README.md.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration

from ops.sentry import sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PREP_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_fraction(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise ImproperlyConfigured(f"{name} must be a number from 0 to 1, not {raw!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# A fresh clone is a developer's machine; production says DEBUG=0.
DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Only ever used with DEBUG on, so it never signs anything a real user relies on.
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_guid",
    "csp",
    "simple_history",
    "accounts",
    "rounds",
    "questions",
    "practice",
    "studyplan",
    "reminders",
    "search",
    "stories",
    "mocks",
    "ops",
    "prep",
]

MIDDLEWARE = [
    # First and (PrometheusAfterMiddleware) near last, as django-prometheus requires: the first
    # counts every request and its whole latency, the second labels them by view and status.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Before anything logs, so every line of the request carries its id (X-Request-ID).
    "django_guid.middleware.guid_middleware",
    # /healthz, /readyz and /metrics answer here: no host check, HTTPS redirect, page cache, CSP
    # or session for load balancers and Prometheus (see ops.middleware).
    "ops.middleware.ProbeMiddleware",
    "ops.middleware.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the page cache, so a cached page gets the policy too (it holds no nonce to go stale).
    "csp.middleware.CSPMiddleware",
    # Before anything reads the path, query, cookies or form: NUL answers 400 (prep/bad_input.py).
    "prep.bad_input.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache: API answers from the cache get the caller's allowance too.
    "prep.api_throttles.RateLimitHeadersMiddleware",
    # Before the session, CSRF and auth layers, so a cached page skips them all (prep.caching).
    "prep.caching.PageCacheMiddleware",
    # Inside the page cache, so a signed-in page stored by it keeps the header (prep/headers.py).
    "prep.headers.PrivateCacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside authentication and messages: the page it renders for a 405 has the usual header.
    "prep.not_allowed.MethodNotAllowedPageMiddleware",
    # A page not found with capitals in its address: once more in lower case (slugs are).
    "prep.lowercase_paths.LowercasePathRedirectMiddleware",
    # After authentication: content history records the signed-in user as the author of a change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes requires, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "prep.urls"
WSGI_APPLICATION = "prep.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'prep.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` (web, worker and beat) writes from several threads and processes. SQLite's
    # deferred transactions fail at once with "database is locked" when two write together (six
    # simultaneous API saves: one 201, five 500s); IMMEDIATE takes the write lock at BEGIN and
    # waits up to `timeout` seconds for it, and WAL lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out address is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "studyplan:dashboard"
LOGOUT_REDIRECT_URL = "rounds:home"

# Login throttling (django-axes): lock an e-mail + IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# One lockout per account however the address is typed (" V@X.TEST" is v@x.test), as login
# itself matches addresses case-insensitively.
AXES_USERNAME_CALLABLE = "accounts.lockout.login_username"
AXES_VERBOSE = False
# Days a record of a login (address, IP, browser) is kept; accounts.tasks purges older ones daily.
LOGIN_RECORD_RETENTION_DAYS = env_int("LOGIN_RECORD_RETENTION_DAYS", 30)
# Account e-mails anyone can trigger (confirmation, password reset, change of address): at most one
# per address and kind every N minutes, and M per client IP per hour (accounts.mail_throttle).
ACCOUNT_MAIL_INTERVAL_MINUTES = env_int("ACCOUNT_MAIL_INTERVAL_MINUTES", 5)
ACCOUNT_MAIL_PER_IP_PER_HOUR = env_int("ACCOUNT_MAIL_PER_IP_PER_HOUR", 20)
# The same client address as the API throttles (prep/client_ip.py, TRUSTED_PROXY_COUNT below).
AXES_CLIENT_IP_CALLABLE = "prep.client_ip.client_ip"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
# Prep is written in British English only and translates nothing. Without the translation
# machinery Django no longer looks up the active language for every number and date a page
# prints (a question bank page prints about a hundred): ~1-2 ms of a page built from scratch.
# Formats still follow LANGUAGE_CODE.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in production; plain files in development and tests, where
    # collectstatic has not run.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

REDIS_URL = env_str("REDIS_URL")
# The cache holds the page cache, the content and candidate versions that invalidate it, the API
# throttles and e-mail cooldowns, so every process must share one: a recruiter's edit saved by one
# web worker, the Celery worker or a management command must reach every other process at once.
# Redis when there is one. Otherwise a table in the database, which all of them share already (on
# any number of machines, unlike a file cache) for one query per cached page. "memory" is each
# process's own, only right for a single process; `check --deploy` refuses it (prep/checks.py).
CACHE_BACKEND = env_str("CACHE_BACKEND", "redis" if REDIS_URL else "database")
if CACHE_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("CACHE_BACKEND=redis needs REDIS_URL")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "prep"),
        }
    }
elif CACHE_BACKEND == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            # Created by `migrate` (prep.CacheEntry), whichever backend is configured then.
            "LOCATION": "prep_cache",
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "prep"),
            # Django's default of 300 would cull pages faster than visitors reuse them; a third of
            # the entries goes whenever the table grows past this.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 10_000)},
        }
    }
elif CACHE_BACKEND == "memory":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_BACKEND must be redis, database or memory, not {CACHE_BACKEND!r}"
    )
# Production with Redis sets django.contrib.sessions.backends.cached_db: signed-in pages then read
# the session from Redis instead of the database, and the database copy keeps everyone signed in
# if Redis is flushed.
SESSION_ENGINE = env_str("SESSION_ENGINE", "django.contrib.sessions.backends.db")

# E-mail: written to files under var/mail/ unless an SMTP server is configured.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Prep <noreply@prep.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport so `make run`
# works with nothing installed.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Worker control messages (ping, shutdown) too, or kombu writes them under the cwd.
        "control_folder": str(_broker_dir / "control"),
    }
else:
    # Longer than any retry backoff, so a delayed retry is never delivered twice (celery#2599).
    # It is also how long a task whose worker was killed waits before it is delivered again.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    }
    # Lets several deployments (or test runs) share one Redis database without seeing each
    # other's queues or unacknowledged tasks.
    if env_str("CELERY_KEY_PREFIX"):
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = env_str("CELERY_KEY_PREFIX")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "prep")
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat only triggers the dispatcher; what is due is worked out from the database each time, so a
# missed tick or a second beat is harmless (run one anyway, celery#2856).
REMINDER_DISPATCH_EVERY_SECONDS = env_int("REMINDER_DISPATCH_EVERY_SECONDS", 300)
CELERY_BEAT_SCHEDULE = {
    "dispatch-due-reminders": {
        # reminders.tasks.dispatch_due_reminders_task, under the name it was registered with first.
        "task": "studyplan.tasks.dispatch_due_reminders_task",
        "schedule": REMINDER_DISPATCH_EVERY_SECONDS,
        # A dispatch still queued when the next one is due is dropped: the next one covers it.
        "options": {"expires": REMINDER_DISPATCH_EVERY_SECONDS},
    },
    "purge-login-records": {
        "task": "accounts.tasks.login_records_purge_task",
        "schedule": 24 * 60 * 60,
    },
}
REMINDER_DISPATCH_BATCH_SIZE = env_int("REMINDER_DISPATCH_BATCH_SIZE", 500)
# E-mails sent by one task over one SMTP connection; small enough that chunks spread over workers.
REMINDER_SEND_CHUNK_SIZE = env_int("REMINDER_SEND_CHUNK_SIZE", 50)
# Celery's Django fix-up otherwise closes the database connection after every task, and connecting
# to PostgreSQL again for every e-mail costs more than building the e-mail.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 100)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 5)
REMINDER_RETRY_BASE_SECONDS = env_int("REMINDER_RETRY_BASE_SECONDS", 60)
# Every retry countdown stays under the Redis visibility timeout above, or the delayed retry would
# also be redelivered as "lost" and sent twice (celery#2599).
REMINDER_RETRY_MAX_SECONDS = min(
    env_int("REMINDER_RETRY_MAX_SECONDS", 1800),
    CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600) // 2,
)
# A pending delivery whose send task was queued this long ago and not yet taken by a worker is taken
# as lost (Redis restarted without persistence, or the broker was down when it was queued) and the
# next dispatch queues it again. A second copy of a task that was only slow is harmless: the send's
# claim lets one copy through. Lease plus one dispatch interval bounds the recovery time.
REMINDER_QUEUE_LEASE_SECONDS = env_int("REMINDER_QUEUE_LEASE_SECONDS", 180)
# A worker claims a delivery in its own committed step before talking to SMTP. A claim older than
# this belongs to a worker that died before the server accepted the e-mail, and it is sent again.
# It must stay above the send tasks' hard time limit (REMINDER_SEND_TIME_LIMIT), so a live worker's
# claim is never taken over; lease plus one dispatch interval (9 minutes) bounds the recovery.
REMINDER_CLAIM_LEASE_SECONDS = env_int("REMINDER_CLAIM_LEASE_SECONDS", 240)
# A chunk stops claiming after half of this and queues the rest, so the limit itself (which could
# strike between the SMTP server's 250 and the "sent" mark) is only a backstop.
REMINDER_SEND_TIME_LIMIT = env_int("REMINDER_SEND_TIME_LIMIT", 180)
# How long a worker keeps reconnecting to record "sent" after the SMTP server's 250 (and to claim
# the next delivery) while the database connection is down.
REMINDER_DB_RETRY_SECONDS = env_int("REMINDER_DB_RETRY_SECONDS", 60)


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as "120/minute", checked at start-up rather than on a request."""
    value = env_str(name, default)
    count, _, period = value.partition("/")
    if not count.isdigit() or period not in {"second", "minute", "hour", "day"}:
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per second, minute, hour or day, "
            f"e.g. 120/minute, not {value!r}"
        )
    return value


# Reverse proxies in front of the app that append the client's address to X-Forwarded-For. 0 (no
# proxy): only REMOTE_ADDR counts, so a client cannot pick its own throttle or lockout identity
# with a forged header. With N, the N-th address from the right counts (DRF's NUM_PROXIES rule).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")

REST_FRAMEWORK = {
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "prep.api_schema.PrepAutoSchema",
    # Token first: an anonymous API call then gets 401 with `WWW-Authenticate: Token`, which
    # clients understand; the site's own pages call the API with their session cookie.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.ApiTokenAuthentication",
        "accounts.api_auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["prep.api_parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "prep.api_http.PagePagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 20),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        # DRF's own, plus RateLimit-* headers (with RateLimitHeadersMiddleware).
        "prep.api_throttles.AnonRateThrottle",
        "prep.api_throttles.UserRateThrottle",
    ],
    # Throttling protects capacity, not data; every candidate query is scoped to its owner.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "120/minute"),
        "user": env_rate("API_THROTTLE_USER", "600/minute"),
    },
    "EXCEPTION_HANDLER": "prep.api_errors.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Prep API",
    "DESCRIPTION": (
        "Interview guides, question bank and study plans, and a candidate's own enrolments and "
        "progress. Public content needs no authentication. Candidate endpoints accept a token "
        "(`Authorization: Token <key>`; `Bearer` works too) or the site's session cookie. "
        "Tokens are made on the website only: sign in and open Settings, API tokens "
        "(/accounts/settings/api-tokens/), name the token and copy the key, which is shown once; "
        "revoke it there too. The API root links to that page as `api_tokens`. Errors are "
        "RFC 9457 problem details (`application/problem+json`) with `code` and `fields` as "
        "extensions, and the earlier body "
        '`{"error": {"code", "message", "fields"}}` kept inside them. Throttled answers carry '
        "`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # UI assets come from the drf-spectacular-sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would otherwise send the schema's address to validator.swagger.io for a badge.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Read-only fields are always in answers, so they stay required (the default, made explicit).
    "COMPONENT_NO_READ_ONLY_REQUIRED": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "prep.api_schema.mark_response_fields_required",
        "prep.api_schema.refuse_unknown_request_fields",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PracticeStatusEnum": "practice.models.PracticeStatus",
        "EnrolmentStatusEnum": "studyplan.models.EnrolmentStatus",
        "QuestionKindEnum": "questions.models.QuestionKind",
        "WeekdayEnum": "accounts.models.Weekday",
        "ProblemCodeEnum": "prep.api_errors.PROBLEM_CHOICES",
        "ReviewCardStateEnum": "practice.review_api.CARD_STATES",
        "ReviewRatingEnum": "practice.review_models.Rating",
        "MockStatusEnum": "mocks.models.MockStatus",
        "MockOutcomeEnum": "mocks.models.Outcome",
    },
}

# Deferrable unique constraints (safe reordering) exist on PostgreSQL only; SQLite, used for
# local development, relies on form validation for them instead.
SILENCED_SYSTEM_CHECKS = ["models.W038"]

# Production hardening; each defaults to on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Request ids (django-guid): an incoming X-Request-ID is kept when it is a UUID (with or without
# dashes, as nginx's $request_id, Heroku's router and Envoy send it), otherwise replaced by a new
# one; it goes back in the response's X-Request-ID, on every log line of the request, and with
# every task the request queues, onto the worker's log lines for that task.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    # No cross-origin API clients read it: no need for Access-Control-Expose-Headers.
    "EXPOSE_HEADER": False,
    # use_django_logging: the worker logs through LOGGING below, not Celery's own format.
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True)],
}

# One JSON object per line in production (LOG_FORMAT=json, the default with DEBUG off) for the
# log collector; readable lines on a developer's terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
# Content-Security-Policy (django-csp). Every script and style is a file from our own origin; the
# only inline ones are on the API docs pages (drf-spectacular), which carry this request's nonce
# and are never cached. Public pages have no inline code, so a page served whole from the cache
# needs no nonce and the same header is right for it. htmx's indicator styles are off (base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The two hashes are styles the ReDoc bundle (drf-spectacular-sidecar) inserts while it
        # loads, before it learns the nonce: an empty <style> and perfect-scrollbar's CSS. Only
        # those exact texts pass; a sidecar upgrade that changes them fails the e2e CSP test.
        "style-src": [
            SELF,
            NONCE,
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
            "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
        ],
        # ReDoc's search runs in a worker it builds from a blob; only our own scripts can make one.
        "worker-src": [SELF, "blob:"],
        # Swagger UI draws its icons as data: images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        },
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replacing a malformed X-Request-ID is routine, not worth a line per request.
        "django_guid": {"level": "ERROR"},
        # One line per request in production; runserver prints its own in development.
        "prep.access": {"level": "WARNING" if DEBUG else "INFO"},
    },
}

# Operations (ops/): /healthz, /readyz and /metrics; see "Running in production" in README.md.
# Prometheus sends it as `Authorization: Bearer <token>`; unset, /metrics answers 404.
METRICS_TOKEN = env_str("METRICS_TOKEN")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 characters long")

# Error reporting is off unless SENTRY_DSN is set.
SENTRY_DSN = env_str("SENTRY_DSN")
sentry_init(
    dsn=SENTRY_DSN,
    environment=env_str("SENTRY_ENVIRONMENT"),
    traces_sample_rate=env_fraction("SENTRY_TRACES_SAMPLE_RATE", 0.0),
)
