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


class InvalidInput(ValueError):
    """Input a write cannot be done with: the message says what is wrong and what to do,
    `field` names the field (HTTP 422, a form error on its field, an importer's row error).

    Each capability names its own kind (VisitError, TransitionError …); every face can
    answer any of them the same way.
    """

    default_field = "__all__"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field or self.default_field
