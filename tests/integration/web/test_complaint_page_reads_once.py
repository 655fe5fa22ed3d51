"""The complaint page asks the engines once: its assist and policy panels come from one reading of
the complaint's words (they used to read it once per panel)."""

from __future__ import annotations

from typing import Any

import pytest
from web_site_helpers import Site

import complaintdesk.analysis as analysis
from complaintdesk.services import complaints as svc


def test_one_render_of_the_complaint_page_analyses_the_complaint_once(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    detail = svc.open_complaint(
        site.desk.uow(),
        svc.OpenComplaint("吴先生", "13700001111", "宽带", "宽带欠费不到30天就被停了,要求恢复并赔偿", actor="li_agent"),
    )
    site.login("li_agent")
    calls: list[str] = []
    real = analysis.analyze

    def counting(text: str, today: Any = None, **options: Any) -> Any:
        calls.append(text)
        return real(text, today=today, **options)

    monkeypatch.setattr(analysis, "analyze", counting)
    html = site.client.get(f"/complaints/{detail['number']}").text
    assert 'data-testid="assist-panel"' in html and 'data-testid="policy-panel"' in html
    assert "引擎出错" not in html  # the panels came from the engines, not from the page's fallback
    assert len(calls) == 1, calls
