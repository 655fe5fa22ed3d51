"""The one error hierarchy of complaintdesk.

Every error carries a stable machine code, a human message (Chinese first) and, where the
error is about one input, the name of that field. The API and the CLI turn these into HTTP
responses and exit codes in exactly one place each (``api/errors.py``, ``commands/_errors.py``).
"""

from __future__ import annotations


class ComplaintDeskError(Exception):
    """Base of every error the product raises on purpose."""

    code: str = "error"
    http_status: int = 400
    exit_code: int = 1

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class InvalidInput(ComplaintDeskError):
    """Input that does not satisfy the contract: a missing field, a bad date, a malformed file."""

    code = "invalid_input"
    http_status = 422
    exit_code = 2


class InputTooLarge(InvalidInput):
    code = "input_too_large"
    http_status = 413


class NotFound(ComplaintDeskError):
    code = "not_found"
    http_status = 404
    exit_code = 3


class WorkflowViolation(ComplaintDeskError):
    """A move the complaint's state machine or its guards forbid."""

    code = "workflow_violation"
    http_status = 409
    exit_code = 4


class StaleWrite(ComplaintDeskError):
    """Optimistic concurrency: the record changed since the caller read it."""

    code = "stale_write"
    http_status = 409
    exit_code = 5


class PreconditionRequired(ComplaintDeskError):
    """An update sent without the version it was based on (If-Match header or ``version`` field)."""

    code = "precondition_required"
    http_status = 428


class Conflict(ComplaintDeskError):
    code = "conflict"
    http_status = 409
    exit_code = 5


class PermissionDenied(ComplaintDeskError):
    code = "permission_denied"
    http_status = 403
    exit_code = 6


class AuthenticationFailed(ComplaintDeskError):
    code = "authentication_failed"
    http_status = 401
    exit_code = 6


class ConfigurationError(ComplaintDeskError):
    """Bad data files: a rule pack, lexicon, playbook or calendar that does not load."""

    code = "configuration_error"
    http_status = 500
    exit_code = 7


class DatabaseBusy(ComplaintDeskError):
    """The database stayed locked by other work longer than a request may wait: nothing was written,
    and the same request is worth sending again shortly."""

    code = "database_busy"
    http_status = 503
    exit_code = 9
    retry_after_seconds = 5

    def __init__(self, message: str = "数据库正忙（其他操作正在写入），本次操作没有执行，请稍后重试") -> None:
        super().__init__(message)


class IntegrityError(ComplaintDeskError):
    """Stored history that fails verification (a broken audit chain)."""

    code = "integrity_error"
    http_status = 500
    exit_code = 8


class MailboxUnavailable(ComplaintDeskError):
    """The mailbox the desk reads (IMAP) could not be reached or refused the login: nothing was read or
    marked, and the next round tries again."""

    code = "mailbox_unavailable"
    http_status = 503
    exit_code = 10
