"""Reloading a centre's knowledge without a restart: validated first, then served by every process
that looks at the stamp file (each server worker, the housekeeping worker)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from complaintdesk import knowledge
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.knowledge import runtime
from complaintdesk.policy import load_packs
from complaintdesk.settings import Settings, get_settings
from complaintdesk.yamldata import use_knowledge_dir
from tests.knowledge_dirs import centre_pack


@pytest.fixture
def centre(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Settings]]:
    directory = tmp_path / "knowledge"
    centre_pack(directory, "telecom.restore_48h", hours=24)
    monkeypatch.setenv("COMPLAINTDESK_KNOWLEDGE_DIR", str(directory))
    get_settings.cache_clear()
    yield directory, get_settings()
    runtime._served = None
    use_knowledge_dir(None)


def _hours() -> int:
    rule = load_packs().get("telecom.restore_48h")
    assert rule is not None
    return int(rule.params["hours"])


def _another_process_asks(settings: Settings, token: str) -> None:
    runtime._write_stamp(settings, token)
    assert runtime._served is not None
    runtime._served.checked_at -= runtime.CHECK_EVERY_SECONDS  # as if a second had passed


def test_a_reload_asked_for_by_another_process_is_served_at_the_next_look(centre: tuple[Path, Settings]) -> None:
    directory, settings = centre
    knowledge.serve(settings)
    assert _hours() == 24
    centre_pack(directory, "telecom.restore_48h", hours=12)
    assert knowledge.refresh(settings) is False and _hours() == 24  # an edit alone changes nothing
    _another_process_asks(settings, "second")
    assert knowledge.refresh(settings) is True and _hours() == 12


def test_a_directory_broken_after_the_request_keeps_the_knowledge_in_force(centre: tuple[Path, Settings]) -> None:
    directory, settings = centre
    knowledge.serve(settings)
    centre_pack(directory, "telecom.restore_48h", hours=-1)
    _another_process_asks(settings, "broken")
    assert knowledge.refresh(settings) is False and _hours() == 24


def test_a_reload_of_a_broken_directory_is_refused_and_tells_nobody(centre: tuple[Path, Settings]) -> None:
    directory, settings = centre
    knowledge.serve(settings)
    stamp = runtime._read_stamp(settings)
    centre_pack(directory, "telecom.restore_48h", hours="soon")
    with pytest.raises(ConfigurationError) as refused:
        knowledge.request_reload(settings)
    assert refused.value.field is not None and refused.value.field.endswith("telecom.restore_48h.params.hours")
    assert runtime._read_stamp(settings) == stamp and _hours() == 24


def test_a_reload_serves_here_at_once_and_leaves_a_new_stamp_for_the_others(centre: tuple[Path, Settings]) -> None:
    directory, settings = centre
    knowledge.serve(settings)
    stamp = runtime._read_stamp(settings)
    centre_pack(directory, "telecom.restore_48h", hours=6)
    report = knowledge.request_reload(settings)
    assert _hours() == 6 and report.centre_files == 1
    assert runtime._read_stamp(settings) not in (None, stamp)


def test_a_server_does_not_start_on_a_broken_knowledge_directory(centre: tuple[Path, Settings]) -> None:
    directory, settings = centre
    (directory / "sla.yaml").write_text("thresholds: [oops\n", "utf-8")
    with pytest.raises(ConfigurationError) as refused:
        knowledge.serve(settings)
    assert "sla.yaml" in refused.value.message


def test_a_knowledge_directory_named_but_missing_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLAINTDESK_KNOWLEDGE_DIR", str(tmp_path / "typo"))
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError) as refused:
        knowledge.serve(get_settings())
    assert refused.value.field == "COMPLAINTDESK_KNOWLEDGE_DIR"


def test_the_default_directory_may_be_absent_and_serves_the_packaged_defaults() -> None:
    settings = get_settings()
    assert not settings.resolved_knowledge_dir().exists()
    try:
        knowledge.serve(settings)
        report = knowledge.report()
    finally:
        runtime._served = None
    assert report.centre_files == 0 and _hours() == 48
