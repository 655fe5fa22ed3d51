"""The loop behind `mail deliver` and `sms deliver`: one batch, or batches until stopped."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from complaintdesk.commands._output import console, print_json
from complaintdesk.domain.errors import ConfigurationError


class Run(Protocol):
    @property
    def claimed(self) -> int: ...

    def to_dict(self) -> Mapping[str, Any]: ...


def deliver_batches(
    send_batch: Callable[[], Run | None], summary: Callable[[Any], str], missing: ConfigurationError,
    *, loop: bool, interval: float, batch: int, as_json: bool,
) -> None:
    """Send one batch (``missing`` is raised when no sender is configured); with ``loop``, go on, resting
    ``interval`` seconds whenever a batch came back less than full."""
    while True:
        run = send_batch()
        if run is None:
            raise missing
        if as_json:
            print_json(run.to_dict())
        elif run.claimed or not loop:
            console.print(summary(run), highlight=False)
        if not loop:
            return
        if run.claimed < batch:
            time.sleep(interval)
