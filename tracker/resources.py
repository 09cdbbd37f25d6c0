"""Where the migrations and seeds are: inside the package when installed from a wheel,
beside it in a source checkout (editable install)."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The `alembic` or `seeds` folder shipped with this copy of tracker."""
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name
