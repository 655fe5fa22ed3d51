"""Every advertised setting changes what the desk does: the time zone, the interface language, the
analysis length limit and the repeat window (COMPLAINTDESK_* environment variables)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import literal, select, update

from complaintdesk.api.app import create_app
from complaintdesk.cli import main
from complaintdesk.services import calendar_service
from complaintdesk.services import complaints as svc
from complaintdesk.services.analytics_rollup import day_of, local_day
from complaintdesk.services.bootstrap import Desk
from complaintdesk.settings import get_settings
from complaintdesk.storage import orm

EVENING_UTC = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # 04:00 on 2 March in Shanghai, 15:00 on 1 March in New York
REPEATED = "我家宽带欠费不到30天就被停机了,客服说先开通是不可能的,要求马上恢复宽带并道歉"


@pytest.fixture
def setting(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], None]:
    def put(name: str, value: str) -> None:
        monkeypatch.setenv(f"COMPLAINTDESK_{name}", value)
        get_settings.cache_clear()
        calendar_service.invalidate_cache()

    return put


def _open(desk: Desk, at: datetime, description: str = REPEATED, *, analyse: bool = False) -> dict[str, object]:
    return svc.open_complaint(
        desk.uow(),
        svc.OpenComplaint(customer_name="王女士", phone="13812345678", title="宽带停机", description=description,
                          actor="li_agent", opened_at=at, analyse=analyse),
        now=at,
    )  # fmt: skip


@pytest.mark.parametrize(("zone", "day"), [("Asia/Shanghai", "20260302"), ("America/New_York", "20260301")])
def test_the_complaint_number_carries_the_local_day_of_the_configured_zone(
    desk: Desk, setting: Callable[[str, str], None], zone: str, day: str
) -> None:
    setting("TIMEZONE", zone)
    assert str(_open(desk, EVENING_UTC)["number"]).startswith(f"TS-{day}-")


@pytest.mark.parametrize(("zone", "day"), [("Asia/Shanghai", "2026-03-02"), ("Europe/London", "2026-03-01")])
def test_the_dashboards_local_day_follows_the_configured_zone(
    desk: Desk, setting: Callable[[str, str], None], zone: str, day: str
) -> None:
    setting("TIMEZONE", zone)
    with desk.engine.connect() as conn:
        stored = literal("2026-03-01 20:00:00") if desk.engine.dialect.name == "sqlite" else literal(EVENING_UTC)
        assert str(day_of(conn.execute(select(local_day(stored, desk.engine.dialect))).scalar_one())) == day


def test_the_business_calendar_keeps_the_centres_hours_in_its_zone(
    desk: Desk, setting: Callable[[str, str], None]
) -> None:
    setting("TIMEZONE", "Asia/Hong_Kong")
    with desk.uow().reading() as uow:  # type: ignore[attr-defined]
        assert calendar_service.effective_calendar(uow).timezone == "Asia/Hong_Kong"


def test_an_unknown_time_zone_is_refused_naming_the_variable(
    setting: Callable[[str, str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    setting("TIMEZONE", "Mars/Olympus")
    assert main(["knowledge", "check"]) == 7
    assert "COMPLAINTDESK_TIMEZONE" in capsys.readouterr().err


@pytest.mark.parametrize(("language", "shown"), [("en", "Complaint desk"), ("zh-CN", "投诉工作台")])
def test_the_pages_default_to_the_configured_language(
    desk: Desk, setting: Callable[[str, str], None], language: str, shown: str
) -> None:
    setting("LANGUAGE", language)
    with TestClient(create_app(desk)) as client:
        assert shown in client.get("/login").text
        assert "投诉工作台" in client.get("/login?lang=zh-CN").text  # a user's own choice still wins


def test_a_complaint_longer_than_the_analysis_limit_is_read_in_part_and_says_so(
    desk: Desk, setting: Callable[[str, str], None]
) -> None:
    setting("ANALYSIS_MAX_CHARS", "120")
    text = "宽带欠费不到30天就被停了,我要求马上恢复。" + "之前打了很多次电话一直没人处理。" * 20
    detail = _open(desk, EVENING_UTC, text, analyse=True)
    analysis = detail["analysis"]
    assert isinstance(analysis, dict)
    assert any(f"正文共 {len(text)} 字，只分析了前 120 字" in note for note in analysis["notes"])
    assert "restore_service" in [d["kind"] for d in analysis["demands"]]


@pytest.mark.parametrize(("window", "linked"), [("30", True), ("5", False)])
def test_an_earlier_complaint_is_a_repeat_only_within_the_configured_window(
    desk: Desk, setting: Callable[[str, str], None], window: str, linked: bool
) -> None:
    setting("REPEAT_WINDOW_DAYS", window)
    earlier = _open(desk, EVENING_UTC)["number"]
    with desk.engine.begin() as conn:  # closed (the workflow to get there is tested elsewhere): an open
        # complaint is a repeat candidate whatever its age, a closed one only within the window
        conn.execute(update(orm.complaints).where(orm.complaints.c.number == earlier).values(stage="closed"))
    later = _open(desk, EVENING_UTC + timedelta(days=10), REPEATED.replace("马上", "立刻"))
    assert later["repeat"] is linked
