"""Import complaints from CSV or XLSX: every row is checked first, then all are written, out of sight
until the last short transaction shows them together (``import_staging``) — a file with one bad row
writes nothing, and the error names the row and the column."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from complaintdesk.domain.errors import ComplaintDeskError, InputTooLarge, InvalidInput
from complaintdesk.domain.model import Customer
from complaintdesk.domain.vocab import Category, Channel, Segment, parse_enum
from complaintdesk.services import import_staging as staging
from complaintdesk.services.complaints import OpenComplaint, utcnow
from complaintdesk.services.csv_cells import restore_cell
from complaintdesk.services.time_bounds import check_opened_at
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import local_zone

REQUIRED_COLUMNS = ("customer_name", "phone", "title", "description")
OPTIONAL_COLUMNS = ("segment", "channel", "category", "received_at", "priority", "owner")
T = TypeVar("T")
MAX_ROWS = 100_000
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based, counting the header as row 1 (as a spreadsheet shows it)
    column: str
    message: str

    def __str__(self) -> str:
        if self.row <= 1:
            return f"表头 [{self.column}]: {self.message}"
        return f"第 {self.row} 行（数据第 {self.row - 1} 行） [{self.column}]: {self.message}"


class ImportRejected(InvalidInput):
    code = "import_rejected"

    def __init__(self, errors: list[RowError]) -> None:
        shown = "\n".join(str(e) for e in errors[:20])
        more = f"\n… 另有 {len(errors) - 20} 处错误" if len(errors) > 20 else ""
        super().__init__(
            f"导入被拒绝，没有写入任何数据。共 {len(errors)} 处错误：\n{shown}{more}", field=errors[0].column
        )
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    imported: int
    numbers: list[str]
    encoding: str


def _decode(raw: bytes) -> tuple[str, str]:
    # Excel in China saves CSV as GBK/GB18030; accept it, but never guess beyond these two.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    raise InvalidInput("文件编码无法识别：请保存为 UTF-8 或 GBK 编码的 CSV", field="file")


def read_rows(path: Path) -> tuple[list[dict[str, str]], str]:
    if not path.exists():
        raise InvalidInput(f"文件不存在：{path}", field="file")
    if path.stat().st_size > MAX_BYTES:
        raise InputTooLarge(f"文件超过 {MAX_BYTES // 1024 // 1024} MB", field="file")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path), "xlsx"
    if suffix in (".csv", ".txt"):
        text, encoding = _decode(path.read_bytes())
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = [
            {(k or "").strip(): restore_cell((v or "").strip()) for k, v in row.items() if k is not None}
            for row in reader
        ]
        _check_header(list(reader.fieldnames or []))
        return rows, encoding
    raise InvalidInput(f"不支持的文件类型 {suffix or '(无扩展名)'}：请使用 .csv 或 .xlsx", field="file")


def _read_xlsx(path: Path) -> list[dict[str, str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(f"无法读取 Excel 文件：{exc}", field="file") from None
    sheet = book.active
    if sheet is None:
        raise InvalidInput("Excel 文件没有工作表", field="file")
    rows_iter: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows_iter, ())]
    _check_header(header)
    rows = []
    for values in rows_iter:
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append({h: restore_cell(_cell(v)) for h, v in zip(header, values, strict=False) if h})
    book.close()
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


def _check_header(header: list[str]) -> None:
    names = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise InvalidInput(f"缺少必需的列：{', '.join(missing)}（第 1 行为表头）", field=missing[0])


def _parse_received_at(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    parsed = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=local_zone())
    check_opened_at(parsed, utcnow(), field="received_at")
    return parsed


def _attempt(errors: list[RowError], row: int, column: str, fn: Callable[[], T]) -> T | None:
    try:
        return fn()
    except ComplaintDeskError as exc:
        errors.append(RowError(row, column, exc.message))
    except ValueError as exc:
        errors.append(RowError(row, column, f"无法解析：{exc}"))
    return None


def validate(rows: list[dict[str, str]]) -> tuple[list[OpenComplaint], list[RowError]]:
    commands: list[OpenComplaint] = []
    errors: list[RowError] = []
    if len(rows) > MAX_ROWS:
        errors.append(RowError(1, "file", f"一次最多导入 {MAX_ROWS} 行"))
        return [], errors
    for index, row in enumerate(rows, start=2):
        row_errors: list[RowError] = []
        for column in REQUIRED_COLUMNS:
            if not row.get(column):
                row_errors.append(RowError(index, column, "不能为空"))
        if row.get("customer_name") and row.get("phone"):
            make_customer = partial(Customer, row["customer_name"], row["phone"], created_at=utcnow())
            _attempt(row_errors, index, "phone", make_customer)
        for column, enum_type in (("segment", Segment), ("channel", Channel), ("category", Category)):
            if row.get(column):
                _attempt(row_errors, index, column, partial(parse_enum, enum_type, row[column], column))
        received = None
        if row.get("received_at"):
            received = _attempt(
                row_errors, index, "received_at", partial(_parse_received_at, row["received_at"])
            )
        if row_errors:
            errors.extend(row_errors)
            continue
        commands.append(
            OpenComplaint(
                customer_name=row["customer_name"],
                phone=row["phone"],
                title=row["title"],
                description=row["description"],
                channel=row.get("channel") or Channel.IMPORT.value,
                segment=row.get("segment") or Segment.REGULAR.value,
                category=row.get("category") or None,
                priority=row.get("priority") or None,
                owner=row.get("owner") or None,
                actor="import",
                opened_at=received,
            )
        )
    return commands, errors




def import_upload(
    uow: UnitOfWork, filename: str, content: bytes, actor: str, *, analyse: bool = True
) -> ImportResult:
    """An uploaded CSV or XLSX, judged by its name's suffix as a file on disk is."""
    if len(content) > MAX_BYTES:
        raise InputTooLarge(f"文件超过 {MAX_BYTES // 1024 // 1024} MB", field="file")
    suffix = Path(filename or "").suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        return import_file(uow, path, analyse=analyse, actor=actor, source=Path(filename).name)


def import_file(
    uow: UnitOfWork,
    path: Path,
    *,
    analyse: bool = True,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
    actor: str = "import",
    source: str | None = None,
) -> ImportResult:
    """Read and check every row with no transaction open, then write (``staging``): in batches of
    short transactions, out of sight until one last short one shows them all. A row the database
    refuses, or any failure, removes what was staged; nothing of the file is ever seen half-written."""
    now = now or utcnow()
    rows, encoding = read_rows(path)
    if not rows:
        raise InvalidInput("文件只有表头，没有数据行", field="file")
    commands, errors = validate(rows)
    if errors:
        raise ImportRejected(errors)
    commands = [replace(cmd, analyse=analyse) for cmd in commands]
    try:
        numbers = staging.write(uow, commands, actor=actor, source=source or path.name, now=now, progress=progress)
    except staging.RowRefused as refused:
        error = refused.error
        raise ImportRejected([RowError(refused.row, error.field or "row", error.message)]) from None
    return ImportResult(len(numbers), numbers, encoding)
