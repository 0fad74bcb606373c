"""Domain errors. Services raise these; only web/errors.py turns them into HTTP answers.

    DomainError
    ├── NotFound                 the record does not exist (or the caller may not know it exists)
    ├── AuthenticationRequired   no valid credentials
    ├── PermissionDenied         the caller is known but the policy says no
    ├── ValidationFailed         input is malformed; carries one Problem per field/row
    ├── Conflict                 the write collides with existing state (duplicate id, stale version)
    └── InvalidTransition        a state machine refuses the move
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (field, optional line) and why."""

    field: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.field}" if self.line is not None else self.field
        return f"{where}: {self.reason}"


class DomainError(Exception):
    """Base of all errors the domain raises on purpose. `kind` is the stable problem type slug."""

    kind = "domain-error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    kind = "not-found"


class AuthenticationRequired(DomainError):
    kind = "authentication-required"


class PermissionDenied(DomainError):
    kind = "permission-denied"


class Conflict(DomainError):
    kind = "conflict"


class InvalidTransition(DomainError):
    kind = "invalid-transition"


class ValidationFailed(DomainError):
    kind = "validation-failed"

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        self.problems = list(problems)
        text = message or "; ".join(str(p) for p in self.problems[:10])
        if len(self.problems) > 10:
            text += f"; and {len(self.problems) - 10} more"
        super().__init__(text)
