"""Who is using the pages and what they may do — on top of the API layer's accounts and sessions.

Sign-in, the session cookie and its CSRF token are ``complaintdesk.http.auth``'s (argon2 hashes,
tokens in the database, throttled logins); this module only turns its ``Principal`` into the small
view the templates use, and turns "not signed in" into a redirect to the login page.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from complaintdesk.domain.errors import AuthenticationFailed
from complaintdesk.domain.vocab import Role
from complaintdesk.http import auth as http_auth
from complaintdesk.services import accounts
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.permissions import Permission, allows

CSRF_FIELD = http_auth.CSRF_FORM_FIELD


@dataclass(frozen=True)
class WebUser:
    """The signed-in user as pages and templates see them; what they may do is asked of
    ``services.permissions`` (the API's rules, not a copy of them)."""

    username: str
    display_name: str
    role: Role
    team: str | None
    csrf: str = ""

    def may(self, permission: Permission) -> bool:
        return allows(self.role, permission)

    @property
    def is_supervisor(self) -> bool:
        return self.may(Permission.SUPERVISE)

    @property
    def sees_all_teams(self) -> bool:
        return self.may(Permission.READ_EVERY_COMPLAINT)

    @property
    def sees_full_phone(self) -> bool:
        return self.may(Permission.SEE_FULL_PHONE)

    @property
    def keeps_inspections(self) -> bool:
        return self.may(Permission.KEEP_INSPECTIONS)

    @property
    def reads_staff(self) -> bool:
        return self.may(Permission.READ_STAFF)

    @property
    def edits_staff(self) -> bool:
        return self.may(Permission.EDIT_STAFF)

    @property
    def edits_calendar(self) -> bool:
        return self.may(Permission.EDIT_CALENDAR)

    @property
    def manages_webhooks(self) -> bool:
        return self.may(Permission.MANAGE_WEBHOOKS)

    @property
    def manages_knowledge(self) -> bool:
        return self.may(Permission.MANAGE_KNOWLEDGE)

    @property
    def exports_data(self) -> bool:
        return self.may(Permission.EXPORT_DATA)

    @property
    def imports_data(self) -> bool:
        return self.may(Permission.IMPORT_DATA)

    @property
    def reads_audit(self) -> bool:
        return self.may(Permission.READ_AUDIT)

    @property
    def can_write(self) -> bool:
        return self.may(Permission.CHANGE_COMPLAINTS)

    @staticmethod
    def of(principal: Principal) -> WebUser:
        return WebUser(
            principal.username,
            principal.display_name,
            principal.role,
            principal.team,
            principal.csrf_token or "",
        )


async def signed_in(request: Request, desk: Desk) -> WebUser | None:
    """The user behind the session cookie; unsafe requests must carry its CSRF token (checked there)."""
    try:
        principal = await http_auth.optional_user(request, desk)
    except AuthenticationFailed:
        return None  # expired or revoked session: sign in again
    return WebUser.of(principal) if principal is not None else None


def login_redirect(request: Request) -> HTTPException:
    from urllib.parse import quote

    target = "/login?next=" + quote(request.url.path)
    if request.headers.get("HX-Request"):
        # htmx would swap a redirect's body into the page; ask it to navigate instead.
        return HTTPException(status_code=401, detail="请先登录", headers={"HX-Redirect": target})
    return HTTPException(status_code=303, detail="请先登录", headers={"Location": target})


async def login(request: Request, response: Response, desk: Desk, username: str, password: str) -> WebUser:
    client = request.client.host if request.client else None
    issued = await run_in_threadpool(
        accounts.login, desk.uow(), (username or "").strip(), password or "", kind="session", client=client
    )
    http_auth.start_session(request, response, issued)
    return WebUser.of(issued.principal)


def logout(request: Request, response: Response, desk: Desk) -> None:
    http_auth.end_session(request, response, desk)
