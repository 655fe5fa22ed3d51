"""The complaint page and its forms: move, propose, message, transfer, escalate, promise, sign-off,
follow-up, reopen. Every form carries the version it was rendered from: a stale write is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaintdesk.domain.errors import (
    ComplaintDeskError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleWrite,
)
from complaintdesk.domain.vocab import ESCALATION_LEVELS, MAX_ESCALATION_LEVEL
from complaintdesk.services import (
    approvals,
    casework,
    commands,
    corrections,
    mail_outbox,
    owners,
    proposals,
    queue,
    sla_service,
    sms_outbox,
    status_links,
)
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.web import corrections_form, facts_form, timeline_text
from complaintdesk.web.auth import WebUser
from complaintdesk.web.complaint_model import highlighted_description, load_page, parse_local_datetime
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user, refuse_nul
from complaintdesk.web.feedback import Feedback
from complaintdesk.web.i18n import translate
from complaintdesk.web.panels import case_panels
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
    feedback: Feedback | None = None,
    status_code: int = 200,
    draft: dict[str, str] | None = None,
    draft_action: str | None = None,
    seen_seq: int | None = None,
    typed_facts: dict[str, str] | None = None,
    fragment: bool = False,
) -> HTMLResponse:
    """The complaint page; after a refused form, with what was typed (``draft``) filled back in and,
    when the refusal was a stale write, the timeline entries added since the form was rendered.
    ``fragment``: only its body (``#case``), the answer to an htmx request; ``feedback`` goes next to the
    form that acted."""
    desk = get_desk(request)
    try:
        page = load_page(desk, number, datetime.now(UTC), reveal_phone=user.sees_full_phone)
    except NotFound:
        return render(request, "not_found.html", page_context(request, user, number=number), status_code=404)
    if not queue.may_see_owner(desk.uow(), user, page["c"]["owner"]):
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
        status_link=status_links.current_link(desk.uow(), number),
        mails=mail_outbox.mails_of(desk.uow(), number),
        sms=sms_outbox.panel(desk.uow(), number),
        assignees=owners.assignable_owners(desk.uow(), user.username),
        escalation_people=escalation_picker(desk, page["c"]["escalation_level"]),
        approvals_pending=approvals.list_requests(desk.uow(), number=number),
        feedback=feedback or Feedback(action=draft_action, error=error),
        nav="queue",
        draft=draft or {},
        draft_action=draft_action,
        seen_seq=max((e["seq"] for e in page["timeline"]), default=0),
        newer=[e for e in page["timeline"] if e["seq"] > seen_seq] if seen_seq is not None else [],
        tl_entry=lambda event: timeline_text.entry(event, lang),
    )
    if fragment:  # the route's answer to htmx: static/complaint.js swaps it only when it is marked so
        headers = {FRAGMENT_HEADER: "1", "Vary": "HX-Request"}
        return render(request, "_case.html", context, status_code=status_code, headers=headers)
    return render(request, "complaint.html", context, status_code=status_code, headers={"Vary": "HX-Request"})


FRAGMENT_HEADER = "X-Case-Fragment"


def _done(request: Request, action: str, key: str, place: str = "") -> Feedback:
    return Feedback(action=action, ok=translate("done." + key, request_language(request)), place=place)


@router.get("/complaints/{number}", response_class=HTMLResponse, include_in_schema=False)
def complaint_page(
    number: str, request: Request, user: Annotated[WebUser, Depends(page_user)]
) -> HTMLResponse:
    done, query = request.query_params.get("done"), request.query_params
    shown = _done(request, query.get("a") or done, done, query.get("at") or "") if done else None
    return show(request, user, number, feedback=shown)


def escalation_picker(desk: Desk, current: int) -> list[dict[str, Any]]:
    """Each level above the current one with the people who may take it (from services.permissions)."""
    return [
        {
            "level": level,
            "label": ESCALATION_LEVELS[level],
            "people": approvals.escalation_candidates(desk.uow(), level),
        }
        for level in range(current + 1, MAX_ESCALATION_LEVEL + 1)
    ]


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


def _level(form: dict[str, Any]) -> int | None:
    raw = _text(form, "to_level")
    if not raw:
        return None  # one level up
    if not raw.isdigit() or len(raw) > 1:
        raise InvalidInput("升级层级应为 0 到 4 之间的数字", field="to_level")
    return int(raw)


def _request_id(form: dict[str, Any]) -> int:
    raw = _text(form, "request_id")
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput("request_id 应为审批申请的编号", field="request_id")
    return int(raw)


def _version(form: dict[str, Any]) -> int | None:
    raw = _text(form, "version")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput("版本号无效", field="version") from None


# Each workflow form builds its command (services.commands) from what was posted; services.handlers runs it.
CommandFrom = Callable[[str, dict[str, Any], WebUser, int | None], commands.Command]

COMMANDS: dict[str, CommandFrom] = {
    "move": lambda n, f, u, v: commands.Move(
        number=n, stage=_text(f, "target"), waiver_reason=_text(f, "waiver_reason") or None,
        actor=u.username, expected_version=v,
    ),
    "propose": lambda n, f, u, v: commands.Propose(
        number=n, solution=_text(f, "solution"), role=u.role,
        offer=proposals.stated_offer(_text(f, "offer_kind"), _text(f, "offer_amount")),
        actor=u.username, expected_version=v,
    ),
    "message": lambda n, f, u, v: commands.AddMessage(
        number=n, kind=_text(f, "kind") or "outbound", body=_text(f, "body"), actor=u.username, expected_version=v,
        send_to_customer=bool(_text(f, "send_to_customer")),
    ),
    "transfer": lambda n, f, u, v: commands.Transfer(
        number=n, to_owner=_text(f, "to_owner"), reason=_text(f, "reason"), actor=u.username, expected_version=v
    ),
    "escalate": lambda n, f, u, v: commands.Escalate(
        number=n, reason=_text(f, "reason"), to_level=_level(f), to_user=_text(f, "to_user") or None,
        actor=u.username, expected_version=v,
    ),
    "approve": lambda n, f, u, v: commands.Decide(
        number=n, request_id=_request_id(f), approve=True, note=_text(f, "note") or None, actor=u.username
    ),
    "decline": lambda n, f, u, v: commands.Decide(
        number=n, request_id=_request_id(f), approve=False, note=_text(f, "note") or None, actor=u.username
    ),
    "promise": lambda n, f, u, v: commands.MakePromise(
        number=n, what=_text(f, "what"), due_at=parse_local_datetime(_text(f, "due_at"), "due_at"),
        actor=u.username, expected_version=v,
    ),
    "resolve-promise": lambda n, f, u, v: commands.ResolvePromise(
        number=n, index=_index(f, "index"), kept=_text(f, "kept") == "yes", actor=u.username, expected_version=v
    ),
    "signoff": lambda n, f, u, v: commands.SignOff(
        number=n, satisfied=_text(f, "satisfied") == "yes", reason=_text(f, "reason") or None,
        actor=u.username, expected_version=v,
    ),
    "follow-up": lambda n, f, u, v: commands.ScheduleFollowUp(
        number=n, due=parse_local_datetime(_text(f, "due"), "due"), actor=u.username, expected_version=v
    ),
    "follow-up-done": lambda n, f, u, v: commands.CompleteFollowUp(
        number=n, outcome=_text(f, "outcome"), actor=u.username, expected_version=v
    ),
    "task-outcome": lambda n, f, u, v: commands.RecordTaskOutcome(
        number=n, task_id=_index(f, "task_id"), outcome=_text(f, "outcome"), actor=u.username, expected_version=v
    ),
    "reopen": lambda n, f, u, v: commands.Reopen(
        number=n, reason=_text(f, "reason"), actor=u.username, expected_version=v
    ),
    "reply-and-move": lambda n, f, u, v: commands.ReplyAndMove(
        number=n, body=_text(f, "body"), kind=_text(f, "kind") or "outbound",
        send_to_customer=bool(_text(f, "send_to_customer")), stage=_text(f, "target") or None,
        solution=_text(f, "solution") or None, role=u.role,
        offer=proposals.stated_offer(_text(f, "offer_kind"), _text(f, "offer_amount")),
        follow_up_due=parse_local_datetime(_text(f, "follow_up_due"), "follow_up_due") if _text(f, "follow_up_due") else None,
        satisfied={"yes": True, "no": False}.get(_text(f, "satisfied")),
        signoff_reason=_text(f, "signoff_reason") or None,
        actor=u.username, expected_version=v,
    ),
    "facts": lambda n, f, u, v: commands.RecordFacts(
        number=n, facts=facts_form.from_form(f), actor=u.username, expected_version=v
    ),
}  # fmt: skip

# The page's other forms: the SLA clocks, an offer checked against the 授权表, an analysis correction.
Action = Callable[[Desk, str, dict[str, Any], WebUser, int | None], object]

ACTIONS: dict[str, Action] = {
    "sla-pause": lambda d, n, f, u, v: sla_service.pause(d.uow(), n, _text(f, "reason"), u.username),
    "sla-resume": lambda d, n, f, u, v: sla_service.resume(d.uow(), n, u.username),
    "status-link": lambda d, n, f, u, v: status_links.issue_link(d.uow(), n, u.username),
    "status-link-revoke": lambda d, n, f, u, v: status_links.revoke_link(d.uow(), n, u.username),
}


def _offer(desk: Desk, number: str, form: dict[str, Any], user: WebUser, version: int | None) -> object:
    """A compensation offer within the user's authority (the company's 授权表); above it, refused with
    whom to escalate to, before anything is promised to the customer."""
    try:
        amount = float(_text(form, "amount"))
    except ValueError:
        raise InvalidInput("金额应为数字", field="amount") from None
    if version is None:
        raise InvalidInput("缺少版本号，请刷新页面后重试", field="version")
    return casework.make_offer(
        desk.uow(), number, user.role, _text(form, "kind"), amount, _text(form, "note"), user.username,
        expected_version=version,
    )  # fmt: skip


ACTIONS["offer"] = _offer
ACTIONS["analysis"] = lambda d, n, f, u, v: corrections.correct_analysis(
    d.uow(), n, corrections_form.from_form(f), u.username, expected_version=v
)


def refusal(request: Request, user: WebUser, number: str, *, write: bool) -> Response | None:
    """The not-found or refusal page when the user may not read (or, for ``write``, change) it."""
    try:
        queue.check_visible(get_desk(request).uow(), user, number)
    except NotFound:
        return render(request, "not_found.html", page_context(request, user, number=number), status_code=404)
    except PermissionDenied:
        return forbidden(request, user, "forbidden.team")
    if write and not user.can_write:
        return forbidden(request, user, "forbidden.readonly")
    return None


def _done_key(action: str, fields: dict[str, str], result: dict[str, Any]) -> str:
    """Which "done." message says how it went: an approval asked for, a sign-off that reopened, a move
    with no reply, or the action's own."""
    if result.get("approval_request"):  # nothing changed yet: the lead decides
        return "approval_requested"
    if action == "reply-and-move" and result.get("stage") == "reopened":
        return "reply-and-move-reopened"
    if action == "reply-and-move" and not _text(fields, "body"):
        return "move"
    return action


def _refused_in_place(request: Request, refused: Response) -> Response:
    """A refusal (not found, not allowed) answering htmx: its message as a toast, the page left as it is."""
    key = "forbidden.title" if refused.status_code == 403 else "notfound.title"
    toast = Feedback(action="refused", error=translate(key, request_language(request))).rest()
    headers = {FRAGMENT_HEADER: "1", "HX-Retarget": "body", "HX-Reswap": "beforeend"}
    return HTMLResponse(str(toast), status_code=refused.status_code, headers=headers)


@router.post("/complaints/{number}/{action}", include_in_schema=False)
async def complaint_action(
    number: str, action: str, request: Request, user: Annotated[WebUser, Depends(page_user)]
) -> Response:
    """One form of the page. An htmx request (``HX-Request``) is answered with the page's body, the
    outcome next to the form; a plain post with a redirect back to the page (or the page and its error)."""
    desk = get_desk(request)
    in_place = request.headers.get("HX-Request") == "true"
    build, other = COMMANDS.get(action), ACTIONS.get(action)
    if build is None and other is None:
        return show(request, user, number, error=f"未知操作 {action}", status_code=404, fragment=in_place)
    refused = refusal(request, user, number, write=True)
    if refused is not None:
        return _refused_in_place(request, refused) if in_place else refused
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    place = "top" if action == "message" and form.get("slot") == "top" else ""  # the reply box at the top
    try:
        fields, version = refuse_nul(form), _version(form)
        result: dict[str, Any] = {}
        if build is not None:
            result = handle(desk.uow(), build(number, fields, user, version))
        elif other is not None:
            other(desk, number, fields, user, version)
    except ComplaintDeskError as exc:
        draft = {
            k: v
            for k, v in form.items()
            if k not in ("csrf_token", "version", "seen_seq") and "\x00" not in v
        }
        seen = _seen_seq(form) if isinstance(exc, StaleWrite) else None
        typed = facts_form.typed(form) if action == "facts" else None  # the facts form's own layout
        return show(
            request, user, number, status_code=exc.http_status, draft=draft, draft_action=action,
            seen_seq=seen, typed_facts=typed, fragment=in_place,
            feedback=Feedback(action=action, error=exc.message, place=place),
        )  # fmt: skip
    key = _done_key(action, fields, result)
    if in_place:
        return show(request, user, number, feedback=_done(request, action, key, place), fragment=True)
    anchor = "next-step" if place or action == "reply-and-move" else action
    where = f"&a={action}" + (f"&at={place}" if place else "")
    return RedirectResponse(f"/complaints/{number}?done={key}{where}#{anchor}", status_code=303)
