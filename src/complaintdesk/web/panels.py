"""The assist and policy panels of the complaint page, both from one answer of ``services.casework``
(the same code the API and CLI use: the case gathered once, its text read once).

An engine that refuses the case, or fails, shows its message in the panels, never a traceback.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.services import casework
from complaintdesk.services.bootstrap import Desk

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Panels:
    assist: dict[str, Any]
    policy: dict[str, Any]


def _assist_view(advice: dict[str, Any] | None = None, error: str | None = None) -> dict[str, Any]:
    advice = advice or {}
    actions = advice.get("next_actions") or []
    primary = next((a for a in actions if a.get("key") == advice.get("next_action")), None)
    return {
        "error": error,
        "primary": primary,
        "actions": [a for a in actions if a is not primary],
        "technique": advice.get("technique_detail"),
        "apology": advice.get("apology"),
        "avoid": advice.get("avoid") or [],
        "expectation": advice.get("expectation"),
        "escalate": advice.get("escalate"),
        "questions": advice.get("questions") or [],
        "draft": advice.get("reply_draft") or "",
    }


def _policy_view(policy: dict[str, Any] | None = None, error: str | None = None) -> dict[str, Any]:
    policy = policy or {}
    return {
        "error": error,
        "demands": policy.get("demands") or [],
        "remedies": policy.get("remedies") or [],
        "deadlines": policy.get("deadlines") or [],
        "violations": policy.get("company_violations") or [],
        "authority": policy.get("authority"),
    }


def case_panels(desk: Desk, number: str) -> Panels:
    try:
        answer = casework.advise_for(desk.uow(), number)
    except ComplaintDeskError as exc:
        return Panels(_assist_view(error=exc.message), _policy_view(error=exc.message))
    except Exception:  # an engine bug must not take the complaint page down with it
        log.exception("assist and policy panels failed for %s", number)
        return Panels(
            _assist_view(error="处理建议暂时不可用（引擎出错，已记录日志）"),
            _policy_view(error="政策依据暂时不可用（引擎出错，已记录日志）"),
        )
    return Panels(_assist_view(answer.advice.to_dict()), _policy_view(answer.policy.to_dict()))
