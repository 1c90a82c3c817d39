"""Small helpers for HTTP responses."""

from urllib.parse import quote


def attachment(filename: str) -> str:
    """A Content-Disposition value for a download whose name may be Chinese (RFC 6266/5987)."""
    return f"attachment; filename*=UTF-8''{quote(filename)}"


# The media types of the office files the platform writes.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
