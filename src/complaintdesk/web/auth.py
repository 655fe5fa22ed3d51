"""Who is using the pages and what they may do — on top of the API layer's accounts and sessions.

Sign-in, the session cookie and its CSRF token are ``complaintdesk.http.auth``'s (argon2 hashes,
tokens in the database, throttled logins); this module only turns its ``Principal`` into the small
view the templates use, and turns "not signed in" into a redirect to the login page.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from complaintdesk.api import access
from complaintdesk.domain.errors import AuthenticationFailed
from complaintdesk.http import auth as api_auth
from complaintdesk.services import accounts, audit_service, exporter, importer, users, webhooks
from complaintdesk.services.accounts import Principal
from complaintdesk.services.bootstrap import Desk

SUPERVISOR_ROLES = frozenset({"team_lead", "manager", "admin", "auditor"})
ALL_TEAMS_ROLES = frozenset({"manager", "admin", "auditor"})
FULL_PHONE_ROLES = frozenset(role.value for role in access.SEE_PHONE)  # the API's rule, not a copy of it
AUDIT_ROLES = frozenset(audit_service.READER_ROLES)
CSRF_FIELD = api_auth.CSRF_FORM_FIELD


@dataclass(frozen=True)
class WebUser:
    username: str
    display_name: str
    role: str
    team: str | None
    csrf: str = ""

    @property
    def is_supervisor(self) -> bool:
        return self.role in SUPERVISOR_ROLES

    @property
    def sees_all_teams(self) -> bool:
        return self.role in ALL_TEAMS_ROLES

    @property
    def sees_full_phone(self) -> bool:
        return self.role in FULL_PHONE_ROLES

    @property
    def reads_staff(self) -> bool:
        return self.role in users.READER_ROLES

    @property
    def edits_staff(self) -> bool:
        return self.role in users.EDITOR_ROLES

    @property
    def manages_webhooks(self) -> bool:
        return self.role in webhooks.MANAGER_ROLES

    @property
    def exports_data(self) -> bool:
        return self.role in exporter.EXPORT_ROLES

    @property
    def imports_data(self) -> bool:
        return self.role in importer.IMPORT_ROLES

    @property
    def reads_audit(self) -> bool:
        return self.role in AUDIT_ROLES

    @property
    def can_write(self) -> bool:
        return self.role != "auditor"

    @staticmethod
    def of(principal: Principal) -> WebUser:
        return WebUser(
            principal.username,
            principal.display_name,
            principal.role.value,
            principal.team,
            principal.csrf_token or "",
        )


async def signed_in(request: Request, desk: Desk) -> WebUser | None:
    """The user behind the session cookie; unsafe requests must carry its CSRF token (checked there)."""
    try:
        principal = await api_auth.optional_user(request, desk)
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
    api_auth.start_session(request, response, issued)
    return WebUser.of(issued.principal)


def logout(request: Request, response: Response, desk: Desk) -> None:
    api_auth.end_session(request, response, desk)
