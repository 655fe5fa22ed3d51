"""The complaint page and its forms: move, propose, message, transfer, escalate, promise, sign-off,
follow-up, reopen. Every form carries the version it was rendered from: a stale write is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import ComplaintDeskError, InvalidInput, NotFound, StaleWrite
from complaintdesk.services import casework, corrections, owners, proposals, sla_service
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.web import corrections_form, facts_form
from complaintdesk.web.auth import WebUser
from complaintdesk.web.complaint_model import highlighted_description, load_page, parse_local_datetime
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user, refuse_nul
from complaintdesk.web.i18n import translate
from complaintdesk.web.panels import case_panels
from complaintdesk.web.queue_model import may_view, teams_by_user
from complaintdesk.web.render import render, request_language

router = APIRouter()


def _describe(lang: str) -> Callable[[str, str], str]:
    def describe(kind: str, label: str) -> str:
        return f"{translate('kind.' + kind, lang)}: {translate('label.' + label, lang)}"

    return describe


def show(
    request: Request,
    user: WebUser,
    number: str,
    *,
    error: str | None = None,
    flash: str | None = None,
    status_code: int = 200,
    draft: dict[str, str] | None = None,
    draft_action: str | None = None,
    seen_seq: int | None = None,
    typed_facts: dict[str, str] | None = None,
) -> HTMLResponse:
    """The complaint page; after a refused form, with what was typed (``draft``) filled back in and,
    when the refusal was a stale write, the timeline entries added since the form was rendered."""
    desk = get_desk(request)
    try:
        page = load_page(desk, number, datetime.now(UTC), reveal_phone=user.sees_full_phone)
    except NotFound:
        return render(request, "not_found.html", page_context(request, user, number=number), status_code=404)
    if not may_view(user, page["c"]["owner"], teams_by_user(desk)):
        return forbidden(request, user, "forbidden.team")
    lang = request_language(request)
    panels = case_panels(desk, number)  # assist and policy: one reading of the complaint for both
    context = page_context(
        request,
        user,
        **page,
        description_html=highlighted_description(page, _describe(lang)),
        assist=panels.assist,
        facts=typed_facts if typed_facts is not None else facts_form.prefill(page["c"].get("facts") or {}),
        product_kinds=facts_form.PRODUCT_KINDS,
        fault_kinds=facts_form.FAULT_KINDS,
        offer_kinds=facts_form.OFFER_KINDS,
        more_fields=facts_form.MORE_FIELDS,
        choices=facts_form.CHOICES,
        policy=panels.policy,
        assignees=owners.assignable_owners(desk.uow(), user.username),
        error=error,
        flash=flash,
        nav="queue",
        draft=draft or {},
        draft_action=draft_action,
        seen_seq=max((e["seq"] for e in page["timeline"]), default=0),
        newer=[e for e in page["timeline"] if e["seq"] > seen_seq] if seen_seq is not None else [],
    )
    return render(request, "complaint.html", context, status_code=status_code)


@router.get("/complaints/{number}", response_class=HTMLResponse, include_in_schema=False)
def complaint_page(number: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    return show(request, user, number, flash=request.query_params.get("done"))


def _text(form: dict[str, Any], name: str) -> str:
    return str(form.get(name) or "").strip()


def _seen_seq(form: dict[str, Any]) -> int:
    """The newest timeline entry the form's page showed (0: unknown, so every entry is news)."""
    raw = _text(form, "seen_seq")
    return int(raw) if raw.isdigit() and len(raw) < 19 else 0


def _index(form: dict[str, Any], name: str) -> int:
    raw = _text(form, name)
    if not raw.isdigit() or len(raw) > 6:
        raise InvalidInput(f"{name} 应为承诺的序号", field=name)
    return int(raw)


def _version(form: dict[str, Any]) -> int | None:
    raw = _text(form, "version")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput("版本号无效", field="version") from None


Action = Callable[[Desk, str, dict[str, Any], WebUser, int | None], object]

ACTIONS: dict[str, Action] = {
    "move": lambda d, n, f, u, v: svc.move(
        d.uow(), n, _text(f, "target"), u.username, waiver_reason=_text(f, "waiver_reason") or None, expected_version=v
    ),
    "propose": lambda d, n, f, u, v: svc.propose(
        d.uow(),
        n,
        _text(f, "solution"),
        u.username,
        role=u.role,
        offer=proposals.stated_offer(_text(f, "offer_kind"), _text(f, "offer_amount")),
        expected_version=v,
    ),
    "message": lambda d, n, f, u, v: svc.add_message(
        d.uow(), n, _text(f, "kind") or "outbound", u.username, _text(f, "body"), expected_version=v
    ),
    "transfer": lambda d, n, f, u, v: svc.transfer(
        d.uow(), n, _text(f, "to_owner"), _text(f, "reason"), u.username, expected_version=v
    ),
    "escalate": lambda d, n, f, u, v: svc.escalate(d.uow(), n, _text(f, "reason"), u.username, expected_version=v),
    "promise": lambda d, n, f, u, v: svc.make_promise(
        d.uow(), n, _text(f, "what"), parse_local_datetime(_text(f, "due_at"), "due_at"), u.username, expected_version=v
    ),
    "resolve-promise": lambda d, n, f, u, v: svc.resolve_promise(
        d.uow(), n, _index(f, "index"), _text(f, "kept") == "yes", u.username, expected_version=v
    ),
    "signoff": lambda d, n, f, u, v: svc.sign_off(
        d.uow(), n, _text(f, "satisfied") == "yes", _text(f, "reason") or None, u.username, expected_version=v
    ),
    "follow-up": lambda d, n, f, u, v: svc.schedule_follow_up(
        d.uow(), n, parse_local_datetime(_text(f, "due"), "due"), u.username, expected_version=v
    ),
    "follow-up-done": lambda d, n, f, u, v: svc.complete_follow_up(
        d.uow(), n, _text(f, "outcome"), u.username, expected_version=v
    ),
    "reopen": lambda d, n, f, u, v: svc.reopen(d.uow(), n, _text(f, "reason"), u.username, expected_version=v),
    "facts": lambda d, n, f, u, v: svc.record_facts(d.uow(), n, facts_form.from_form(f), u.username, expected_version=v),
    "sla-pause": lambda d, n, f, u, v: sla_service.pause(d.uow(), n, _text(f, "reason"), u.username),
    "sla-resume": lambda d, n, f, u, v: sla_service.resume(d.uow(), n, u.username),
}


def _offer(desk: Desk, number: str, form: dict[str, Any], user: WebUser, version: int | None) -> object:
    """A compensation offer within the user's authority (the company's 授权表); above it, refused with
    whom to escalate to, before anything is promised to the customer."""
    try:
        amount = float(_text(form, "amount"))
    except ValueError:
        raise InvalidInput("金额应为数字", field="amount") from None
    if version is None:
        raise InvalidInput("缺少版本号,请刷新页面后重试", field="version")
    return casework.make_offer(
        desk.uow(), number, user.role, _text(form, "kind"), amount, _text(form, "note"), user.username,
        expected_version=version,
    )  # fmt: skip


ACTIONS["offer"] = _offer
ACTIONS["analysis"] = lambda d, n, f, u, v: corrections.correct_analysis(
    d.uow(), n, corrections_form.from_form(f), u.username, expected_version=v
)


@router.post("/complaints/{number}/{action}", include_in_schema=False)
async def complaint_action(
    number: str, action: str, request: Request, user: Annotated[WebUser, Depends(page_user)]
) -> Response:
    desk = get_desk(request)
    handler = ACTIONS.get(action)
    if handler is None:
        return show(request, user, number, error=f"未知操作 {action}", status_code=404)
    try:
        current = svc.get_complaint(desk.uow(), number)
    except NotFound:
        return render(request, "not_found.html", page_context(request, user, number=number), status_code=404)
    if not may_view(user, current["owner"], teams_by_user(desk)):
        return forbidden(request, user, "forbidden.team")
    if not user.can_write:
        return forbidden(request, user, "forbidden.readonly")
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        handler(desk, number, refuse_nul(form), user, _version(form))
    except ComplaintDeskError as exc:
        draft = {k: v for k, v in form.items() if k not in ("csrf_token", "version", "seen_seq") and "\x00" not in v}
        seen = _seen_seq(form) if isinstance(exc, StaleWrite) else None
        typed = facts_form.typed(form) if action == "facts" else None  # the facts form's own layout
        return show(
            request, user, number, error=exc.message, status_code=exc.http_status,
            draft=draft, draft_action=action, seen_seq=seen, typed_facts=typed,
        )  # fmt: skip
    return RedirectResponse(f"/complaints/{number}?done={action}#{action}", status_code=303)
