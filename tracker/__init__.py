"""tracker: a database of designations, sanctions and official responses, and what changed."""

__version__ = "0.1.0"
