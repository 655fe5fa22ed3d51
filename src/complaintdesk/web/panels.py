"""The assist and policy panels, shown only where their engines are installed (never faked).

Both go through ``services.assist_service`` (the same code the API and CLI use); an engine that is
missing hides its panel, an engine that fails shows its message in the panel, never a traceback.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.services.bootstrap import Desk

log = logging.getLogger(__name__)


def engine(module: str, name: str) -> Any | None:
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError:
        return None
    except AttributeError:
        return None


def _assist_service() -> Any | None:
    try:
        return importlib.import_module("complaintdesk.services.assist_service")
    except ImportError:
        return None


def _empty_assist() -> dict[str, Any]:
    return {
        "error": None, "actions": [], "technique": None, "apology": None, "avoid": [],
        "expectation": None, "escalate": None, "questions": [], "draft": "", "primary": None,
    }


def assist_panel(desk: Desk, number: str) -> dict[str, Any] | None:
    service = _assist_service()
    needed = (("complaintdesk.analysis", "analyze"), ("complaintdesk.assist", "advise"),
              ("complaintdesk.policy", "check"))
    if service is None or any(engine(m, n) is None for m, n in needed):
        return None
    view = _empty_assist()
    try:
        advice = service.advise_for_complaint(desk.uow(), number)
    except ComplaintDeskError as exc:
        view["error"] = exc.message
        return view
    except Exception:  # an engine bug must not take the complaint page down with it
        log.exception("assist panel failed for %s", number)
        view["error"] = "处理建议暂时不可用(引擎出错,已记录日志)"
        return view
    actions = advice.get("next_actions") or []
    primary = next((a for a in actions if a.get("key") == advice.get("next_action")), None)
    view.update(
        primary=primary,
        actions=[a for a in actions if a is not primary],
        technique=advice.get("technique_detail"),
        apology=advice.get("apology"),
        avoid=advice.get("avoid") or [],
        expectation=advice.get("expectation"),
        escalate=advice.get("escalate"),
        questions=advice.get("questions") or [],
        draft=advice.get("reply_draft") or "",
    )
    return view


def policy_panel(desk: Desk, number: str) -> dict[str, Any] | None:
    service = _assist_service()
    needed = (("complaintdesk.analysis", "analyze"), ("complaintdesk.policy", "check"))
    if service is None or any(engine(m, n) is None for m, n in needed):
        return None
    view: dict[str, Any] = {
        "error": None, "demands": [], "remedies": [], "deadlines": [], "violations": [], "authority": None,
    }
    try:
        result = service.policy_for_complaint(desk.uow(), number)
    except ComplaintDeskError as exc:
        view["error"] = exc.message
        return view
    except Exception:
        log.exception("policy panel failed for %s", number)
        view["error"] = "政策依据暂时不可用(引擎出错,已记录日志)"
        return view
    view.update(
        demands=result.get("demands") or [],
        remedies=result.get("remedies") or [],
        deadlines=result.get("deadlines") or [],
        violations=result.get("company_violations") or [],
        authority=result.get("authority"),
    )
    return view
