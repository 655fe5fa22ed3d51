"""Files the API and the pages hand out the same way: a stored attachment and the complaint export,
always as a download (``Content-Disposition: attachment``, ``nosniff``), never rendered inline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import quote

from fastapi.responses import Response, StreamingResponse

from complaintdesk.services import attachments, exporter
from complaintdesk.services.bootstrap import Desk

CHUNK_CHARS = 32_768  # characters per piece of a streamed export (up to about 96 KB of UTF-8)
MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def export_response(desk: Desk, fmt: str, reveal_phone: bool) -> StreamingResponse:
    """The export as a download; the CSV starts with a BOM so Excel reads it as UTF-8."""
    chunks = exporter.iter_export(desk.uow(), fmt, reveal_phone=reveal_phone)
    first = next(chunks, "")  # a bad format is refused here, before the response starts

    def body() -> Iterator[bytes]:
        # Sent in pieces of about 64 KB, not a line at a time: each piece is one hop to a handler
        # thread and back, and a line per hop kept the server's few threads busy for a large export.
        pending, size = [("\ufeff" if fmt == "csv" else "") + first], 0
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= CHUNK_CHARS:
                yield "".join(pending).encode()
                pending, size = [], 0
        yield "".join(pending).encode()

    name = f"complaints-{datetime.now(UTC):%Y%m%d}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"}
    return StreamingResponse(body(), media_type=MEDIA[fmt], headers=headers)


def attachment_response(stored: attachments.StoredFile) -> Response:
    """A verified attachment as a download, never rendered inline ."""
    return Response(
        stored.content,
        media_type=stored.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(stored.filename)}",
            "X-Content-Type-Options": "nosniff",
            "ETag": f'"{stored.sha256}"',
        },
    )
