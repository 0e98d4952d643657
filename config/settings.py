"""All settings, read from the environment in this one place.

Defaults are safe for a developer's machine (`make run`): SQLite, console mail, an
embedded file-system broker. `LB_ENV=production` turns on everything `check --deploy`
asks for and refuses to start without a real SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")


def secret(name: str, default: str | None = None) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


LB_ENV = env.str("LB_ENV", default="development")
PRODUCTION = LB_ENV == "production"
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = secret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105 - development only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
REGION_NAME = env.str("REGION_NAME", default="Region Exempel")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    # Ours, in dependency order: a later app may use an earlier one, never the reverse.
    "notifications",
    "accounts",
    "registry",
    "requests_app",
    "matching",
    "assignments",
    "compensation",
    "evaluations",
    "insights",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.AuditContextMiddleware",
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "accounts.middleware.RequireStaffMFAMiddleware",
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
                "accounts.context_processors.navigation",
                "pages.context_processors.site",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    (BASE_DIR / "var").mkdir(exist_ok=True)  # the embedded SQLite file of `make run`
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The shortlist scores every active person in one query; PostgreSQL's JIT compiles it
    # anew each time and costs more than it saves at this size (bench/shortlist.py).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds rate-limit counters and lock-outs, so several web replicas must share it.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "accounts.backends.AdministratorBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pages:start"
LOGOUT_REDIRECT_URL = "pages:home"

# --- Sign-in (django-allauth) ---------------------------------------------------------
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
# password1 is optional so that the sign-in form has a password field for staff; the
# care-unit signup form drops it (they sign in by code).
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Levande bibliotek] "
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "webbplats"
ACCOUNT_FORMS = {"signup": "accounts.forms.UnitStaffSignupForm"}
# Lock-out: five failed passwords for one address block it for 15 minutes; every
# sign-in and code request is rate limited per IP and per address.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/15m/key",
    "request_login_code": "10/m/ip,3/5m/key",
    "signup": "10/h/ip",
    "reset_password": "10/m/ip,3/15m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Levande bibliotek"
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {}
# Which e-mail domains may create a care-unit staff account themselves.
CARE_UNIT_SIGNUP_DOMAINS = [d.lower().lstrip("@") for d in env.list("CARE_UNIT_SIGNUP_DOMAINS", default=["regionexempel.se"])]

# Sessions end after this much inactivity.
SESSION_IDLE_TIMEOUT_STAFF = timedelta(minutes=env.int("SESSION_IDLE_MINUTES_STAFF", default=30))
SESSION_IDLE_TIMEOUT_OTHERS = timedelta(minutes=env.int("SESSION_IDLE_MINUTES_OTHERS", default=120))
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT_OTHERS.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Language and time -------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files are private: never under STATIC or a public URL; served only by views
# that check permissions. In production this is a volume every web replica mounts.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))

# --- Mail --------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if secret("EMAIL_HOST_PASSWORD"):
    EMAIL_HOST_PASSWORD = secret("EMAIL_HOST_PASSWORD")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Levande bibliotek <levandebibliotek@regionexempel.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
COORDINATORS_EMAIL = env.str("COORDINATORS_EMAIL", default="levandebibliotek@regionexempel.se")

# --- Background work (Celery) ------------------------------------------------------------
# Without CELERY_BROKER_URL, `make run` uses kombu's file-system transport: no Redis needed,
# and the worker and beat still run as in production.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(BASE_DIR / "var" / "broker"),
        "data_folder_out": str(BASE_DIR / "var" / "broker"),
        "processed_folder": str(BASE_DIR / "var" / "broker-processed"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request must never hang on a broker that is down: publishing fails fast and the
# outbox sweep delivers later.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "deliver-pending-emails": {"task": "notifications.tasks.deliver_pending_emails", "schedule": 60.0},
    "registry-yearly-checks": {"task": "registry.tasks.send_yearly_checks", "schedule": 3600.0},
    "matching-inquiry-sweep": {"task": "matching.tasks.sweep_inquiries", "schedule": 900.0},
    "evaluations-sweep": {"task": "evaluations.tasks.sweep_evaluations", "schedule": 3600.0},
    "registry-purge-departed": {"task": "registry.tasks.purge_departed", "schedule": 3600.0 * 6},
    # The statistics page reads summary figures; this is how fresh they are (see insights/figures.py).
    "insights-refresh-figures": {"task": "insights.tasks.refresh_figures", "schedule": 600.0},
    "insights-sweep-reports": {"task": "insights.tasks.sweep_reports", "schedule": 300.0},
}

# --- Security ------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=PRODUCTION) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- The product's own settings -------------------------------------------------------------
# How long after leaving a person's remaining data is purged (days).
RETENTION_DAYS_AFTER_LEAVING = env.int("RETENTION_DAYS_AFTER_LEAVING", default=90)
# Must a person have done the introduction training before they can be asked for assignments?
REGISTRY_REQUIRE_TRAINING = env.bool("REGISTRY_REQUIRE_TRAINING", default=True)
# The yearly "are you still with us?" mail: sent this many days after joining or the last
# answer; unanswered after YEARLY_CHECK_ANSWER_DAYS, the person is on the follow-up list.
YEARLY_CHECK_INTERVAL_DAYS = env.int("YEARLY_CHECK_INTERVAL_DAYS", default=365)
YEARLY_CHECK_ANSWER_DAYS = env.int("YEARLY_CHECK_ANSWER_DAYS", default=30)
# A care unit's cost centre (kostnadsställe) must match this regular expression; regions
# differ (digits only, letters and digits, with a dash), so it is a setting.
COST_CENTRE_PATTERN = env.str("COST_CENTRE_PATTERN", default=r"^\d{4,8}$")
COST_CENTRE_EXAMPLE = env.str("COST_CENTRE_EXAMPLE", default="41230")
# Request attachments: PDF or Word, at most this many megabytes.
REQUEST_ATTACHMENT_MAX_MB = env.int("REQUEST_ATTACHMENT_MAX_MB", default=10)

# Matching: how long people get to answer an inquiry, when the reminder goes, and how long
# the answer link is valid at most.
INQUIRY_REPLY_DAYS = env.int("INQUIRY_REPLY_DAYS", default=7)
INQUIRY_REMINDER_HOURS = env.int("INQUIRY_REMINDER_HOURS", default=48)
INQUIRY_LINK_MAX_DAYS = env.int("INQUIRY_LINK_MAX_DAYS", default=30)

# Evaluations after an assignment: one reminder this many days after the mail, and the
# evaluation closes (the link stops working) this many days after it was sent.
EVALUATION_REMINDER_DAYS = env.int("EVALUATION_REMINDER_DAYS", default=7)
EVALUATION_CLOSE_DAYS = env.int("EVALUATION_CLOSE_DAYS", default=30)
# Follow-up list: an agreement still waiting for signatures after this many days is listed.
FOLLOW_UP_UNSIGNED_DAYS = env.int("FOLLOW_UP_UNSIGNED_DAYS", default=21)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
