"""Errors that write functions raise and every face (page, API, importer) turns into a message."""


class Conflict(Exception):
    """The object changed since the caller read it (stale version): HTTP 409."""


class NotAllowed(Exception):
    """The caller's role may not do this to an object it can see: HTTP 403.

    `args[0]` is the capability or action refused; `message`, when given, tells the person
    what to do instead.
    """

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code)
        self.message = message
