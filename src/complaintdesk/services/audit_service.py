"""Audit use-cases: verify the whole chain, read one complaint's trail."""

from __future__ import annotations

from typing import Any

from complaintdesk.domain.audit import ChainVerdict, verify_chain
from complaintdesk.services.unit_of_work import UnitOfWork


def verify(uow: UnitOfWork) -> ChainVerdict:
    with uow:
        return verify_chain(uow.audit.iter_all())


def trail(uow: UnitOfWork, number: str) -> list[dict[str, Any]]:
    with uow:
        uow.complaints.get(number)  # NotFound for an unknown number
        return [
            {
                "seq": r.seq,
                "kind": r.kind,
                "actor": r.actor,
                "at": r.at.isoformat(),
                "payload": r.payload,
                "hash": r.hash,
            }
            for r in uow.audit.for_complaint(number)
        ]
