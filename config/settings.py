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
# `make run` serves on PORT (default 8000); links in mails point there unless SITE_URL is set.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")
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
    "allauth.socialaccount",
    "allauth.socialaccount.providers.saml",
    "allauth.socialaccount.providers.openid_connect",
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
    "accounts.middleware.NoStoreWhenSignedInMiddleware",
    "accounts.middleware.RequireStaffMFAMiddleware",
    # After CSPMiddleware, so it runs first on the way out: the sign-in pages' forms may go on
    # to the connected identity providers.
    "accounts.sso.csp.SignInFormActionMiddleware",
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
            # config is no app: its template tags are named here
            "libraries": {"quick_fields": "config.quick_fields"},
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
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "config.cache.RedisCache"  # one client per server, not one per call

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
# --- Sign-in through the organisation's identity provider (SAML 2.0, OpenID Connect) ------
# The providers are rows (allauth's SocialApp + our IdentityProvider policy) that
# administrators keep in /admin/; see README "Connecting your identity provider".
SOCIALACCOUNT_ADAPTER = "accounts.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    # Our subclass also keeps the assertion's AuthnContextClassRef, NameID and SessionIndex
    # (for "was the sign-in strong?" and single logout).
    "saml": {"provider_class": "accounts.sso.providers.OrganisationSAMLProvider"},
    # …and always checks the ID token's signature against the provider's keys.
    "openid_connect": {"OAUTH_PKCE_ENABLED": True, "provider_class": "accounts.sso.providers.OrganisationOIDCProvider"},
}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the provider vouches for the address (within its domains)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # an existing account with that address is the same person…
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True  # …but only inside the provider's own domains (adapter)
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # a sign-in starts with a POST (CSRF), never from a link
# Once an identity provider is connected, a region can turn off local passwords for everyone
# but the break-glass administrators (User.break_glass).
LOCAL_PASSWORDS_BREAK_GLASS_ONLY = env.bool("LOCAL_PASSWORDS_BREAK_GLASS_ONLY", default=False)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Levande bibliotek"
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {}
# Which e-mail domains may create a care-unit staff account themselves.
CARE_UNIT_SIGNUP_DOMAINS = [d.lower().lstrip("@") for d in env.list("CARE_UNIT_SIGNUP_DOMAINS", default=["regionexempel.se"])]

# Sessions end after this much inactivity.
SESSION_IDLE_TIMEOUT_STAFF = timedelta(minutes=env.int("SESSION_IDLE_MINUTES_STAFF", default=30))
SESSION_IDLE_TIMEOUT_OTHERS = timedelta(minutes=env.int("SESSION_IDLE_MINUTES_OTHERS", default=120))
# ... and after this long whatever the activity: a session is never kept alive for ever.
SESSION_MAX_AGE_STAFF = timedelta(hours=env.int("SESSION_MAX_HOURS_STAFF", default=12))
SESSION_MAX_AGE_OTHERS = timedelta(hours=env.int("SESSION_MAX_HOURS_OTHERS", default=24))
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
# A mail server that stalls must not hold a worker (or a sign-in page) for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Levande bibliotek <levandebibliotek@regionexempel.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
COORDINATORS_EMAIL = env.str("COORDINATORS_EMAIL", default="levandebibliotek@regionexempel.se")
# Named in mails that say "ring oss" (e.g. to the person chosen for an assignment). Empty:
# the mails ask people to answer by e-mail only. `make run` shows a demo number.
COORDINATORS_PHONE = env.str("COORDINATORS_PHONE", default="" if PRODUCTION else "010-123 45 67")

# --- Background work (Celery) ------------------------------------------------------------
# Without CELERY_BROKER_URL, `make run` uses kombu's file-system transport: no Redis needed,
# and the worker and beat still run as in production.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(BASE_DIR / "var" / "broker"),
        "data_folder_out": str(BASE_DIR / "var" / "broker"),
        "processed_folder": str(BASE_DIR / "var" / "broker-processed"),
        # Without it kombu writes its exchange table to ./control in whatever directory
        # the worker started from.
        "control_folder": str(BASE_DIR / "var" / "broker-control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    # max_retries 0: a publish to a broker that is down fails at once instead of after
    # redis-py's back-off (about 2 s per message); the worker's own connection retries anyway.
    else {"visibility_timeout": 3600, "max_retries": 0, "socket_connect_timeout": 1}
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request must never hang on a broker that is down: publishing fails fast and the
# outbox sweep delivers later.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# After a failed publish, a web process leaves its mails to the sweep for this long.
BROKER_RETRY_SECONDS = env.int("BROKER_RETRY_SECONDS", default=30)
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
    # The shortlist's kept fairness facts (matching.models.FairnessFacts); it counts what came after.
    "matching-refresh-fairness": {"task": "matching.tasks.refresh_fairness", "schedule": 600.0},
    "evaluations-sweep": {"task": "evaluations.tasks.sweep_evaluations", "schedule": 3600.0},
    "registry-purge-departed": {"task": "registry.tasks.purge_departed", "schedule": 3600.0 * 6},
    "assignments-reminders": {"task": "assignments.tasks.sweep_reminders", "schedule": 900.0},
    "assignments-render-missing-documents": {"task": "assignments.tasks.render_missing_documents", "schedule": 600.0},
    "compensation-purge-payouts": {"task": "compensation.tasks.purge_expired_payout_data", "schedule": 3600.0 * 24},
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
# How many proxies of the region's own stand in front of the app. Each appends the address
# it was contacted from to X-Forwarded-For; the visitor's address is taken that many entries
# from the right, never from the left, which the visitor writes. 0: the header is ignored
# and the connection's own address is used. One setting for our limits and allauth's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if PRODUCTION else 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
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
# Joining an existing care unit needs approval: always a coordinator's; with this on, also
# that of someone who already works at the unit.
UNIT_MEMBERS_APPROVE_JOINS = env.bool("UNIT_MEMBERS_APPROVE_JOINS", default=False)
# Request attachments: PDF or Word, at most this many megabytes.
REQUEST_ATTACHMENT_MAX_MB = env.int("REQUEST_ATTACHMENT_MAX_MB", default=10)

# Matching: how long people get to answer an inquiry, when the reminder goes, and how long
# the answer link is valid at most.
INQUIRY_REPLY_DAYS = env.int("INQUIRY_REPLY_DAYS", default=7)
INQUIRY_REMINDER_HOURS = env.int("INQUIRY_REMINDER_HOURS", default=48)
INQUIRY_LINK_MAX_DAYS = env.int("INQUIRY_LINK_MAX_DAYS", default=30)
# The answer link in an event invitation works at most this long after it was sent, and
# never after the event has ended.
EVENT_LINK_MAX_DAYS = env.int("EVENT_LINK_MAX_DAYS", default=180)

# Assignments: an agreement unsigned this many days after it went out reminds whoever has not
# signed (and shows on the coordinator's start page); the person is reminded of the first session
# this many days before; a cancellation this close to a session still pays the fee; the unit is
# reminded to report completion, and the report counts as overdue, this many days after the last session.
AGREEMENT_REMINDER_DAYS = env.int("AGREEMENT_REMINDER_DAYS", default=3)
ASSIGNMENT_REMINDER_DAYS_BEFORE = env.int("ASSIGNMENT_REMINDER_DAYS_BEFORE", default=2)
LATE_CANCELLATION_HOURS = env.int("LATE_CANCELLATION_HOURS", default=48)
COMPLETION_REMINDER_DAYS = env.int("COMPLETION_REMINDER_DAYS", default=5)
COMPLETION_OVERDUE_DAYS = env.int("COMPLETION_OVERDUE_DAYS", default=14)
# Signing: the e-mailed code works this long, once; this many wrong codes lock signing for a while.
SIGNING_CODE_MINUTES = env.int("SIGNING_CODE_MINUTES", default=15)
SIGNING_MAX_WRONG_CODES = env.int("SIGNING_MAX_WRONG_CODES", default=5)
SIGNING_LOCK_MINUTES = env.int("SIGNING_LOCK_MINUTES", default=30)

# The signed agreement's PDF is sealed (PAdES) with the region's certificate and key (PEM files).
# `make run` creates a self-signed pair here for development (manage.py make_seal_cert).
AGREEMENT_SEAL_CERT_FILE = Path(env.str("AGREEMENT_SEAL_CERT_FILE", default=str(BASE_DIR / "var" / "seal" / "cert.pem")))
AGREEMENT_SEAL_KEY_FILE = Path(env.str("AGREEMENT_SEAL_KEY_FILE", default=str(BASE_DIR / "var" / "seal" / "key.pem")))
AGREEMENT_SEAL_KEY_PASSPHRASE = secret("AGREEMENT_SEAL_KEY_PASSPHRASE", default="")
# Intermediate CA certificates (PEM) embedded with the seal, for a certificate from a PKI.
AGREEMENT_SEAL_CHAIN_FILE = env.str("AGREEMENT_SEAL_CHAIN_FILE", default="")
# The public page that checks an agreement PDF: uploads at most this many megabytes, and this
# many checks per client IP address and hour.
AGREEMENT_VERIFY_MAX_MB = env.int("AGREEMENT_VERIFY_MAX_MB", default=10)
AGREEMENT_VERIFY_PER_HOUR = env.int("AGREEMENT_VERIFY_PER_HOUR", default=30)

# Compensation (fees, payee details, payouts). See README "Compensation".
# Payee identity and bank numbers are encrypted with these Fernet keys (comma-separated, newest
# first: the first encrypts, all decrypt, so a key is rotated by putting a new one first and
# running `manage.py reencrypt_payees`). Required in production.
PAYOUT_ENCRYPTION_KEYS = [k for k in (secret("PAYOUT_ENCRYPTION_KEYS") or "").split(",") if k.strip()]
if not PAYOUT_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("PAYOUT_ENCRYPTION_KEYS (or PAYOUT_ENCRYPTION_KEYS_FILE) must be set in production.")
    PAYOUT_ENCRYPTION_KEYS = ["ZGV2LW9ubHktcGF5ZWUta2V5LW5ldmVyLWluLXByb2Q="]  # development only: 32 bytes, base64
SALT_KEY = "levande-bibliotek"  # required by encrypted_fields; our field class uses its own keys above
# Fee lines are attested by a coordinator, or automatically when the completion is confirmed.
COMPENSATION_AUTO_APPROVE = env.bool("COMPENSATION_AUTO_APPROVE", default=False)
# Travel and lost-income claims are accepted this many days after the assignment is done.
TRAVEL_CLAIM_DAYS = env.int("TRAVEL_CLAIM_DAYS", default=60)
RECEIPT_MAX_MB = env.int("RECEIPT_MAX_MB", default=5)
# Payee details and paid lines are kept this many years after a person left (bokföringslagen).
PAYOUT_RETENTION_YEARS = env.int("PAYOUT_RETENTION_YEARS", default=7)
# Pay codes (löneart) in the payroll file, per kind of line.
PAY_CODES = {
    "fee": env.str("PAY_CODE_FEE", default="1310"),
    "mileage_tax_free": env.str("PAY_CODE_MILEAGE_TAX_FREE", default="7310"),
    "mileage_taxable": env.str("PAY_CODE_MILEAGE_TAXABLE", default="7320"),
    "expense": env.str("PAY_CODE_EXPENSE", default="7400"),
    "lost_income": env.str("PAY_CODE_LOST_INCOME", default="1320"),
}
# Accounts in the SIE 4 ledger file: the cost accounts per kind, and the account credited.
SIE_ACCOUNTS = {
    "fee": env.str("SIE_ACCOUNT_FEE", default="7290"),
    "mileage_tax_free": env.str("SIE_ACCOUNT_MILEAGE_TAX_FREE", default="7331"),
    "mileage_taxable": env.str("SIE_ACCOUNT_MILEAGE_TAXABLE", default="7332"),
    "expense": env.str("SIE_ACCOUNT_EXPENSE", default="5800"),
    "lost_income": env.str("SIE_ACCOUNT_LOST_INCOME", default="7290"),
    "credit": env.str("SIE_ACCOUNT_CREDIT", default="2890"),
}

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
