"""The engines' refusal of input they did not foresee, as the caller's input error."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from complaintdesk.domain.errors import InvalidInput

log = logging.getLogger(__name__)


@contextmanager
def engine_input(field: str) -> Iterator[None]:
    """Facts of a shape the engine did not foresee are the caller's input error, not a server error."""
    try:
        yield
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        log.warning("engine rejected %s: %r", field, exc)
        raise InvalidInput(f"{field} 的内容格式不正确：{exc}", field=field) from None
