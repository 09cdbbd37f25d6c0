"""`tracker serve`: the HTTP API (JSON under /api/) and the web pages, over `tracker.api`.

A thin layer like the CLI: parse the request, call the public API, render. Nothing here
builds SQL or writes beside the services.
"""

from tracker.server.app import create_app
from tracker.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
