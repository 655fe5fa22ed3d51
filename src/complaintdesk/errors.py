"""Public alias of the error hierarchy (it lives in the domain so the domain stays self-contained)."""

from complaintdesk.domain.errors import (
    AuthenticationFailed,
    ComplaintDeskError,
    ConfigurationError,
    Conflict,
    DatabaseBusy,
    InputTooLarge,
    IntegrityError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PreconditionRequired,
    StaleWrite,
    WorkflowViolation,
)

__all__ = [
    "AuthenticationFailed",
    "ComplaintDeskError",
    "ConfigurationError",
    "Conflict",
    "DatabaseBusy",
    "InputTooLarge",
    "IntegrityError",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "PreconditionRequired",
    "StaleWrite",
    "WorkflowViolation",
]
