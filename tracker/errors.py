"""The errors users are meant to see: the CLI prints each as one line and exits non-zero.

Anything else escaping a command is a bug and is allowed to show a traceback.
"""

# How a duplicate refusal ends: the way to record the same fact twice on purpose.
INSIST = "give --allow-duplicate to record it again"


class TrackerError(Exception):
    """An expected problem with the user's input, data or database; `str()` is the message."""

    exit_code = 1


class InvalidInput(TrackerError):
    """Data is malformed or breaks a rule: a list file, a seed file, a dump, or a record
    that contradicts itself (an end before its start)."""


class InvalidValue(InvalidInput):
    """A value given to a command or an API call is malformed (a date, a key, a country
    code, an identifier): a usage error, like an unknown option."""

    exit_code = 2


class DatabaseError(TrackerError):
    """The database refused a change or could not be reached; nothing was written."""


class NotFound(TrackerError):
    """A key or id names no record."""

    def __init__(self, what: str, name: str, suggestions: list[str] | None = None) -> None:
        message = f"no {what} {name!r}"
        if suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in suggestions) + "?"
        super().__init__(message)


class Conflict(TrackerError):
    """The change contradicts what the database already holds (duplicate, already revoked...)."""


class DatabaseNotReady(TrackerError):
    """The database is missing, or its schema is not the revision this tracker needs."""


class DatabaseBusy(TrackerError):
    """Another writer holds the database; the command wrote nothing and can be retried."""


class OutOfTime(TrackerError):
    """The question took longer than the time it was given (`tracker.db.time_budget`)."""
