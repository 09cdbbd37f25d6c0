"""What an operator sets for a server: the database, the write token and the limits."""

import dataclasses
import json
import os
from dataclasses import dataclass

TOKEN_ENV = "TRACKER_API_TOKEN"
# How `tracker serve --workers N` hands its settings to each worker process.
SETTINGS_ENV = "TRACKER_SERVER_SETTINGS"


@dataclass(frozen=True)
class ServerSettings:
    """The limits keep one client from taking the server: a request body, a batch of names
    to match and a page of results are bounded, and so is the time one request may take."""

    url: str | None = None  # the database (default: TRACKER_DATABASE_URL, else tracker.db)
    token: str | None = None  # writes need `Authorization: Bearer TOKEN`; None: read-only
    max_body_bytes: int = 1_000_000
    max_batch: int = 100  # query records per POST /api/match
    max_page: int = 500  # items per page of any list
    default_page: int = 100
    time_budget_seconds: float = 30.0

    @classmethod
    def from_environment(cls, url: str | None = None, **overrides: object) -> "ServerSettings":
        """Settings with the token from TRACKER_API_TOKEN (an empty value is no token)."""
        token = os.environ.get(TOKEN_ENV) or None
        return cls(url=url, token=token, **overrides)  # type: ignore[arg-type]

    def to_environment(self) -> dict[str, str]:
        """The settings for a worker process (the token stays in TRACKER_API_TOKEN)."""
        chosen = {k: v for k, v in dataclasses.asdict(self).items() if k != "token"}
        return {SETTINGS_ENV: json.dumps(chosen)}

    @classmethod
    def of_worker(cls) -> "ServerSettings":
        """The settings `to_environment` handed to this worker process."""
        return cls.from_environment(**json.loads(os.environ.get(SETTINGS_ENV, "{}")))
