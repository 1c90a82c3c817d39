"""anjian settings: one file, driven by the environment.

SQLite is the embedded default so a fresh checkout runs with nothing else;
DATABASE_URL=postgres://... switches to PostgreSQL, the production engine.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "anjian.accounts",
    "anjian.regions",
    "anjian.evidence",
    "anjian.documents",
    "anjian.imports",
    "anjian.enterprises",
    "anjian.audit",
    "anjian.dashboard",
    "anjian.checklists",
    "anjian.fieldwork",
    "anjian.draws",
    "anjian.coverage",
    "anjian.hazards",
    "anjian.enforcement",
    "anjian.notifications",
    "anjian.statistics",
    "anjian.jobs",
    "anjian.workdays",
    "anjian.demo",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    # Outermost: every answer under /api/ JSON when an error, and never cached.
    "anjian.lib.api_responses.ApiResponsesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anjian.accounts.locale.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anjian.accounts.middleware.IdleSessionMiddleware",
    "anjian.accounts.middleware.PagesNeedLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "anjian.audit.middleware.AuditChannelMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "anjian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anjian.accounts.context_processors.navigation",
            ],
            "libraries": {"rows": "anjian.lib.rows"},
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR = Path(os.environ.get("ANJIAN_VAR_DIR", BASE_DIR / "var"))
# The SQLite database, the job queue's file and uploaded media live here.
VAR_DIR.mkdir(parents=True, exist_ok=True)
SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy timeout instead
    # of one failing with "database is locked" when it upgrades a read transaction.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: PostgreSQL compiles a query whose *estimated* cost passes jit_above_cost,
        # and the coverage list's per-enterprise subqueries are estimated at 800,000 for a
        # page that runs in 2 ms: the compilation took 470 ms of every request (city, PG 15).
        # The platform's queries are short; the server's setting stays for anything else.
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"]["options"] = (
            DATABASES["default"]["OPTIONS"].get("options", "") + " -c jit=off"
        ).strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "anjian.sqlite3"),
            "OPTIONS": SQLITE_OPTIONS,
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")}
            if env_bool("SQLITE_TEST_FILE", False)
            else {},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An import of this many rows or more refreshes the planner's statistics of the tables it
# filled (ANALYZE) as it commits.
ANALYZE_AFTER_ROWS = int(os.environ.get("ANALYZE_AFTER_ROWS", "1000"))

# --- Cache ------------------------------------------------------------------------------------
# The statistics layer keeps the answers of its heavier queries here, each under the versions
# of the tables it read (anjian.statistics.versions): never stale, so any cache will do. By
# default each process keeps its own; CACHE_REDIS_URL (e.g. redis://127.0.0.1:6379/1) shares
# one among a server's workers.
CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_REDIS_URL,
    }
    if CACHE_REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
STATISTICS_CACHE = "default"
# An answer nobody asked for again in this long is let go (a changed table's old answers
# are never asked for again).
STATISTICS_CACHE_SECONDS = int(os.environ.get("STATISTICS_CACHE_SECONDS", str(24 * 3600)))

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# ModelBackend, loading each request's user with its region and zone (one query, not three).
AUTHENTICATION_BACKENDS = ["anjian.accounts.backends.ScopedModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Lock an account after this many failed logins in a row, for this many minutes.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
# An API token works this many days from its issue (a password change, a deactivation or a
# revocation ends it sooner).
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from npm (package-lock.json) and are served straight from
# node_modules: no CDN, no vendored copies.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    # The project's own assets: `anjian` is a package, not an installed app, so the app
    # directories finder does not look in anjian/static.
    BASE_DIR / "anjian" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Largest file an importer accepts; bigger files are refused with a message.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# What an uploaded .xlsx may unpack to (its parts together) and how many rows a file may
# have: a small file that unpacks to gigabytes (a "zip bomb") is refused before it is read.
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
# Hazard ledger import (anjian.hazards.importing). Local practice [L], not law: two rows are
# the same hazard when they are at the same enterprise, found within DUPLICATE_DAYS of each
# other, and their descriptions are at least DUPLICATE_RATIO alike (difflib, after spaces and
# punctuation are dropped). Files over BACKGROUND_ROWS rows are committed in the background.
HAZARD_IMPORT_DUPLICATE_DAYS = int(os.environ.get("HAZARD_IMPORT_DUPLICATE_DAYS", "7"))
HAZARD_IMPORT_DUPLICATE_RATIO = float(os.environ.get("HAZARD_IMPORT_DUPLICATE_RATIO", "0.9"))
HAZARD_IMPORT_BACKGROUND_ROWS = int(os.environ.get("HAZARD_IMPORT_BACKGROUND_ROWS", "2000"))
# Ledger exports of more rows than this are written by the job worker, with a progress page,
# and kept for download; smaller ones are downloaded at once.
HAZARD_EXPORT_BACKGROUND_ROWS = int(os.environ.get("HAZARD_EXPORT_BACKGROUND_ROWS", "5000"))
# How long the files background jobs make (exports) are kept for download.
JOB_FILE_KEEP_HOURS = int(os.environ.get("JOB_FILE_KEEP_HOURS", "24"))
# Largest photo accepted from the field.
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", str(8 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# A browser session ends after this many minutes unused (accounts.middleware), and after
# SESSION_COOKIE_AGE seconds however busy (default: a working day).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 3600)))
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Background jobs (huey) ----------------------------------------------------------------
# The queue lives in a SQLite file beside the database by default, so nothing else has to run;
# at scale set HUEY_REDIS_URL (e.g. redis://127.0.0.1:6379/0). `manage.py run_huey` is the worker
# (`make run` starts one beside the web server). HUEY_IMMEDIATE=true runs jobs in the request
# instead (the test suite does). Crontabs read local time (TIME_ZONE), not UTC.
HUEY_REDIS_URL = os.environ.get("HUEY_REDIS_URL", "")
HUEY = {
    "name": "anjian",
    "huey_class": "huey.RedisHuey" if HUEY_REDIS_URL else "huey.SqliteHuey",
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "utc": False,
    "connection": {"url": HUEY_REDIS_URL}
    if HUEY_REDIS_URL
    else {"filename": str(VAR_DIR / "huey.sqlite3")},
    "consumer": {"workers": int(os.environ.get("HUEY_WORKERS", "2")), "worker_type": "thread"},
}

# --- Notifications and documents ------------------------------------------------------------
# Where the daily digest goes: dotted paths to sender classes (anjian.notifications.senders).
NOTIFY_SENDERS = [
    p
    for p in os.environ.get(
        "NOTIFY_SENDERS",
        "anjian.notifications.senders.InAppSender,anjian.notifications.senders.EmailSender,"
        "anjian.notifications.senders.SmsSender",
    ).split(",")
    if p
]
# "Deadline within N days" in the digest. [L]: local practice; issue 3 asks for 3 by default.
NOTIFY_DEADLINE_DAYS = int(os.environ.get("NOTIFY_DEADLINE_DAYS", "3"))
# When the job queue sends the daily digest, local time HH:MM. [L]: local practice.
NOTIFY_DIGEST_AT = os.environ.get("NOTIFY_DIGEST_AT", "07:30")
# Email goes out once EMAIL_HOST names a server; until then the email sender only logs.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "anjian@localhost")
# A dotted path to a callable (phone, text) -> None; empty: SMS texts are logged instead.
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "")
SMS_MAX_CHARS = int(os.environ.get("SMS_MAX_CHARS", "300"))
# Rectification notices (anjian.enforcement.notices). The word before 〔year〕 in each type's
# number, e.g. 安监整改〔2026〕第12号: local practice [L] and from memory [M] (RULES.md §0), so
# each zone sets its own; the defaults are to be confirmed locally.
NOTICE_NUMBER_WORDS = {
    "order": os.environ.get("NOTICE_NUMBER_WORD_ORDER", "安监责改"),
    "notice": os.environ.get("NOTICE_NUMBER_WORD_NOTICE", "安监整改"),
}
# The periods printed in the order's remedy clause (责令限期整改指令书): administrative review
# under the 行政复议法 and suit under the 行政诉讼法. Unverified [M] (RULES.md §0): confirm them
# against the current texts locally before relying on the defaults.
NOTICE_REVIEW_PERIOD = os.environ.get("NOTICE_REVIEW_PERIOD", "六十日")
NOTICE_SUIT_PERIOD = os.environ.get("NOTICE_SUIT_PERIOD", "六个月")
# The issuing body printed on notices; empty: "<zone name>安全生产监督管理办公室".
NOTICE_AUTHORITY = os.environ.get("NOTICE_AUTHORITY", "")
# The CJK font PDFs are set in (embedded as a subset): the first file of these that exists,
# with the face's index in a font collection. Debian's fonts-noto-cjk provides the first two.
PDF_CJK_FONTS = [
    (os.environ.get("PDF_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
