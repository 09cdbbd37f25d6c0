"""Settings: one database URL, from `--db`, else `TRACKER_DATABASE_URL`, else a local file."""

import os

DEFAULT_DATABASE_URL = "sqlite:///tracker.db"
DATABASE_URL_ENV = "TRACKER_DATABASE_URL"


def database_url(explicit: str | None = None) -> str:
    """The URL the tool talks to; a plain `postgresql://` URL is given the psycopg 3 driver."""
    url = explicit or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
