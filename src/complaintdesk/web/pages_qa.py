"""The QA (质检) page: paste or upload a transcript, see the scorecard with the offending lines marked."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from complaintdesk.domain.errors import ComplaintDeskError, InputTooLarge, InvalidInput, PermissionDenied
from complaintdesk.services import inspections, queue
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import get_desk, page_context, page_user, refuse_nul
from complaintdesk.web.highlight import Mark, highlight
from complaintdesk.web.render import render

router = APIRouter()
MAX_UPLOAD_BYTES = 1_000_000


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("无法识别文件编码，请上传 UTF-8 或 GB18030 文本", field="file")


def _lines(transcript: Any, card: dict[str, Any]) -> list[dict[str, Any]]:
    """Each turn with its verdict: offending (a violation's line), exemplary (cited as good evidence)."""
    bad: dict[int, list[dict[str, Any]]] = {}
    for violation in card["violations"]:
        bad.setdefault(int(violation["line"]), []).append(violation)
    good = {
        int(e["line"])
        for part in (card["respect"], card["sincerity"], card["commitment"])
        for e in part.get("evidence", [])
    }
    out = []
    for turn in transcript.turns:
        found = bad.get(turn.line, [])
        marks = [
            Mark(v["span"][0], v["span"][1], "threat", v.get("rule", ""))
            for v in found
            if v.get("span") and v["span"][1] <= len(turn.text)
        ]
        out.append(
            {
                "line": turn.line,
                "speaker": turn.speaker,
                "html": highlight(turn.text, marks, lambda _kind, label: label),
                "violations": found,
                "state": "bad" if found else "good" if turn.line in good else "",
            }
        )
    return out


def _context(request: Request, user: WebUser, **extra: Any) -> dict[str, Any]:
    return page_context(request, user, nav="qa", **extra)


@router.get("/qa", response_class=HTMLResponse, include_in_schema=False)
def qa_form(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    return render(request, "qa.html", _context(request, user, text="", card=None, lines=[], saved=None))


@router.post("/qa", response_class=HTMLResponse, include_in_schema=False)
async def qa_inspect(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    form = await request.form()
    text = str(form.get("transcript") or "")
    upload = form.get("file")
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            raw = await upload.read(MAX_UPLOAD_BYTES + 1)
            if len(raw) > MAX_UPLOAD_BYTES:
                raise InputTooLarge(f"文件超过 {MAX_UPLOAD_BYTES // 1000} KB", field="file")
            text = _decode(raw)
        agent = str(form.get("agent_id") or "").strip() or None
        number = str(form.get("number") or "").strip()
        if not text.strip() and not number:
            raise InvalidInput("请粘贴或上传通话/聊天记录，或填写投诉单号质检它自己的对话", field="transcript")
        refuse_nul({"transcript": text, "agent_id": agent or "", "number": number})
        scored = _keep(request, user, number, text, agent) if number else inspections.inspect_transcript(text, agent_id=agent)
        card, text = scored.scorecard.to_dict(), scored.transcript
        lines = _lines(scored.turns(), card)
    except ComplaintDeskError as exc:
        context = _context(request, user, text=text, card=None, lines=[], saved=None, error=exc.message)
        return render(request, "qa.html", context, status_code=exc.http_status)
    saved = number or None
    return render(request, "qa.html", _context(request, user, text=text, card=card, lines=lines, saved=saved))


def _keep(request: Request, user: WebUser, number: str, text: str, agent: str | None) -> inspections.Inspection:
    """Score and keep the scorecard in the complaint's audit trail (the API's rule: team lead and above),
    attributed to the agent entered; without a transcript, the complaint's own messages are scored."""
    desk = get_desk(request)
    if not user.keeps_inspections:
        raise PermissionDenied("只有班组长、经理或管理员可以把质检结果保存到投诉单", field="number")
    queue.check_visible(desk.uow(), user, number)
    return inspections.inspect_for(desk.uow(), number, text or None, user.username, agent)
