"""Settings: one database URL, from `--db`, else `TRACKER_DATABASE_URL`, else a local file;
how long a writer waits for another writer's lock (`TRACKER_BUSY_TIMEOUT`, seconds); what a
search shows unless asked otherwise."""

import os

from tracker.errors import InvalidInput

DEFAULT_DATABASE_URL = "sqlite:///tracker.db"
DATABASE_URL_ENV = "TRACKER_DATABASE_URL"
BUSY_TIMEOUT_ENV = "TRACKER_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT_SECONDS = 30.0
DEFAULT_THRESHOLD = 0.85  # the likeness (0 to 1) a search or screening hit must reach
DEFAULT_LIMIT = 10  # hits per search


def database_url(explicit: str | None = None) -> str:
    """The URL the tool talks to: a URL, or a plain file path (a SQLite file); a plain
    `postgresql://` URL is given the psycopg 3 driver."""
    url = explicit or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    if "://" not in url and url != ":memory:":
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def database_chosen(explicit: str | None = None) -> bool:
    """Whether the user named a database (`--db` or the environment) rather than the default."""
    return bool(explicit or os.environ.get(DATABASE_URL_ENV))


def busy_timeout_seconds() -> float:
    """How long a command waits for a lock before answering "database is busy, try again"."""
    text = os.environ.get(BUSY_TIMEOUT_ENV)
    if not text:
        return DEFAULT_BUSY_TIMEOUT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise InvalidInput(f"{BUSY_TIMEOUT_ENV}={text!r}: expected seconds from 0 to 3600")
    return seconds
