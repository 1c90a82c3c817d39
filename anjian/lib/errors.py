"""Errors that write functions raise and every face (page, API, importer) turns into a message."""


class Conflict(Exception):
    """The object changed since the caller read it (stale version): HTTP 409."""


class NotAllowed(Exception):
    """The caller's role may not do this to an object it can see: HTTP 403."""
