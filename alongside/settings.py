"""Alongside settings: every value comes from the environment, with safe demo defaults.

See docs/configuration.md for the full list.
"""

import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url

from alongside.lib.env import env, envbool, envint, envlist
from alongside.lib.idle import session_age

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env("ALONGSIDE_VAR_DIR", str(BASE_DIR.parent / "var")))

DEBUG = envbool("DEBUG", False)
# The fallback key exists only so the demo runs with zero configuration;
# `check --deploy` flags it (it is short and prefixed "django-insecure").
SECRET_KEY = env("SECRET_KEY", "django-insecure-alongside-demo-key-change-me")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://localhost:8000")

INSTALLED_APPS = [
    # Our apps come first so that their templates (sign-in, password reset) win.
    "alongside.audit",
    "alongside.oversight",
    "alongside.accounts",
    "alongside.organizations",
    "alongside.people",
    "alongside.intake",
    "alongside.matching",
    "alongside.worklist",
    "alongside.tasks",
    "alongside.encounters",
    "alongside.plans",
    "alongside.messaging",
    "alongside.scheduling",
    "alongside.web",
    "alongside.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' vendored Swagger UI (the CSP forbids a CDN)
    "django.forms",  # Django's form templates, after ours (web/templates/django/forms)
]

# Forms render through the templates above, so the app's own form templates (labels without
# Django's colon, "Choose…" instead of "---------", choices beside their labels) apply to
# every form without each one having to ask.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "alongside.audit.middleware.RequestContextMiddleware",
    "alongside.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alongside.accounts.sessions.IdleTimeoutMiddleware",
    # The interface language: the staff user's preference, else the browser's; a
    # handed-over device (below) then switches to the person's (docs/development.md).
    "alongside.accounts.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "alongside.intake.middleware.HandedOverMiddleware",
    # A NUL in a query string or form: a 400 that says so, on either database.
    "alongside.web.middleware.UnstorableTextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "alongside.oversight.middleware.DeniedAccessMiddleware",
]

ROOT_URLCONF = "alongside.urls"
WSGI_APPLICATION = "alongside.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alongside.web.context_processors.interface",
            ],
            "builtins": ["alongside.lib.when", "alongside.lib.links"],
        },
    },
]

# SQLite by default so the demo needs nothing installed; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'alongside.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL: the reads a page sends together (and the person page's read of the person)
# run as prepared statements, planned once per connection. Off behind a connection pooler
# that cannot keep prepared statements (PgBouncer before 1.21 in transaction mode).
DATABASE_PREPARED_STATEMENTS = envbool("DATABASE_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fuzzy name search (people/search.py) ranks by word similarity above this bar.
    # JIT off: a page's queries read a few rows through indexes, but a planner estimate
    # over a million people can pass jit_above_cost, and compiling then costs more than
    # the query (55 ms of JIT for a 2 ms read of the worklist's due tasks, bench/README.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c pg_trgm.word_similarity_threshold=0.4 -c jit=off"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures (django-axes): per username and address.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0) or None
AXES_VERBOSE = False

# Idle timeout: the session ends this long after the last request, never sooner (see
# alongside/lib/idle.py for why the store keeps it a little longer).
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_MINUTES", 30) * 60
# An API token read from the database is used again for this long without reading it
# (per server process; 0 reads it on every request). Revoking a token, or changing its
# user or their memberships, takes effect at once in the process that made the change
# and within this many seconds in the others (alongside/accounts/tokens.py).
API_TOKEN_CACHE_SECONDS = envint("API_TOKEN_CACHE_SECONDS", 0)
SESSION_COOKIE_AGE = session_age(SESSION_IDLE_SECONDS)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE = envbool("SECURE", not DEBUG and not SECRET_KEY.startswith("django-insecure"))
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envint("TRUSTED_PROXY_COUNT", 0):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Alongside <alongside@localhost>")
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3600)

# Denied attempts (404s on a person's records) by one user: this many within this many
# minutes are emailed to their organization's admins, once per burst. 0 turns alerts off.
DENIED_ALERT_THRESHOLD = envint("DENIED_ALERT_THRESHOLD", 5)
DENIED_ALERT_MINUTES = envint("DENIED_ALERT_MINUTES", 10)

# A person on a coordinator's caseload with no contact for this many days is on their
# worklist ("no contact for 34 days"); see docs/worklist.md.
WORKLIST_NO_CONTACT_DAYS = envint("WORKLIST_NO_CONTACT_DAYS", 30)

# Scheduling: how long a chosen slot is held while the booking is filled in, how long a
# waitlist offer stays open, the step between slot starts, how close to its start a
# cancellation counts as late, and who may deliberately overbook or book outside
# availability (with a reason, audited).
SCHEDULING_HOLD_MINUTES = envint("SCHEDULING_HOLD_MINUTES", 10)
SCHEDULING_OFFER_HOURS = envint("SCHEDULING_OFFER_HOURS", 24)
SCHEDULING_SLOT_STEP_MINUTES = envint("SCHEDULING_SLOT_STEP_MINUTES", 30)
SCHEDULING_LATE_CANCEL_HOURS = envint("SCHEDULING_LATE_CANCEL_HOURS", 24)
SCHEDULING_OVERBOOK_ROLES = envlist("SCHEDULING_OVERBOOK_ROLES", "supervisor,scheduler,org_admin")

# Interface languages: English and Spanish, each named in its own language. Adding one
# is a catalog (alongside/locale/) and a line here; see "Translations" in
# docs/development.md.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One way of writing dates, times and numbers per language ("22 Nov 1965", "22 nov 1965").
FORMAT_MODULE_PATH = ["alongside.formats"]
TIME_ZONE = env("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR.parent / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
# Until `collectstatic` runs, files are served from the apps; no need to warn about it.
warnings.filterwarnings("ignore", message="No directory at")

# Region used to read phone numbers typed without a country code.
PHONE_DEFAULT_REGION = env("PHONE_DEFAULT_REGION", "US")
PAGE_SIZE = envint("PAGE_SIZE", 25)

# Duplicate detection (alongside/matching): summed log2 match weights at or above which a
# pair is a "likely" or a "possible" duplicate. See docs/matching.md.
MATCH_LIKELY_THRESHOLD = float(env("MATCH_LIKELY_THRESHOLD", "22.5"))
MATCH_POSSIBLE_THRESHOLD = float(env("MATCH_POSSIBLE_THRESHOLD", "15.5"))
# Weights saved by `alongside dedupe --weights FILE`: when set, the registration check
# scores with them (and their thresholds) instead of the prior. See docs/matching.md.
MATCH_WEIGHTS_FILE = env("MATCH_WEIGHTS_FILE", "")

# Audit anchors: signed checkpoints of the audit chain kept outside the database
# (docs/access-and-audit.md). The key must not be readable from the database host.
AUDIT_ANCHOR_KEY = env("AUDIT_ANCHOR_KEY")
AUDIT_ANCHOR_PREVIOUS_KEYS = envlist("AUDIT_ANCHOR_PREVIOUS_KEYS")
AUDIT_ANCHOR_PATH = Path(env("AUDIT_ANCHOR_PATH", str(VAR_DIR / "audit-anchors.jsonl")))
AUDIT_ANCHOR_EMAIL = envlist("AUDIT_ANCHOR_EMAIL")
# PostgreSQL: an audit event committed on its own (a read's, a refused attempt's) does not
# wait for the disk by default; a database server crash can lose the last fraction of a
# second of them. True waits, as writes' events always do. See docs/access-and-audit.md.
AUDIT_WAIT_FOR_DISK_ON_READS = envbool("AUDIT_WAIT_FOR_DISK_ON_READS", False)

# Background work (follow-up rules, and later reminders and imports): the Django Tasks API.
# By default the queue is a table in the database and `alongside worker` runs it; with
# ALONGSIDE_TASKS_BACKEND=rq, RQ on Redis (REDIS_URL). "immediate" runs each task in the
# process that enqueues it (no worker; for trying things out). See docs/deployment.md.
TASKS_BACKEND = env("ALONGSIDE_TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ValueError(f"ALONGSIDE_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": env("REDIS_URL", "redis://localhost:6379/0")}}
# How often the worker enqueues the sweep of time-based follow-up rules.
FOLLOW_UP_SWEEP_MINUTES = envint("FOLLOW_UP_SWEEP_MINUTES", 10)
# Other periodic work the worker enqueues with each sweep slot (tasks by dotted path).
PERIODIC_TASKS = [
    "alongside.scheduling.reminders_tasks.sweep_appointment_reminders",
    "alongside.scheduling.reminders_tasks.expire_offers_and_holds",
    "alongside.messaging.background.deliver_due_messages",
]

# Messages to people (docs/messaging.md). Texts go through SMS_GATEWAY: "console" (the
# demo's default: logged, never sent), "file" (one JSON line per text in SMS_FILE_PATH) or
# "twilio" (Twilio's Programmable Messaging API). Emails use the EMAIL_* settings above.
SMS_GATEWAY = env("SMS_GATEWAY", "console")
if SMS_GATEWAY not in {"console", "file", "twilio"}:
    raise ValueError("SMS_GATEWAY must be one of console, file, twilio")
SMS_FILE_PATH = env("SMS_FILE_PATH", str(VAR_DIR / "sms.jsonl"))
TWILIO_API_BASE = env("TWILIO_API_BASE", "https://api.twilio.com")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER")
# The public address Twilio calls back (status and replies), e.g. https://alongside.example.org;
# blank: the address of the request itself. The signature is checked against it.
MESSAGING_PUBLIC_URL = env("MESSAGING_PUBLIC_URL").rstrip("/")
# Appointment reminders, hours before, for programs that set none of their own.
SCHEDULING_DEFAULT_REMINDER_HOURS = [
    int(hours) for hours in envlist("SCHEDULING_DEFAULT_REMINDER_HOURS", "72,24")
]
# How long a reminder's confirm/cancel/reschedule link works at most (it also ends when
# the appointment starts).
SCHEDULING_REPLY_LINK_DAYS = envint("SCHEDULING_REPLY_LINK_DAYS", 14)
# Quiet hours for everyone, in each person's time zone: no message is sent inside them.
MESSAGING_QUIET_HOURS = env("MESSAGING_QUIET_HOURS", "21:00-08:00")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
