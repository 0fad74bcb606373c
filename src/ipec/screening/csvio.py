"""The file contracts of screening: RIGHTS.csv and DECLARATIONS.csv in, HITS.csv (or JSON lines) out.

Reading never stops at the first bad row: every refused row is reported with its line, column and reason, so
the caller can refuse the whole file (the default) or write a rejects file and go on (`--skip-invalid`).
Line numbers are those of the file, header = line 1, counting physical lines (a quoted field may span several).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pycountry

from ipec.kernel import jurisdictions
from ipec.kernel.errors import Problem
from ipec.screening.engine import Hit
from ipec.screening.rules import Declaration, Right, make_right

RIGHTS_COLUMNS = ("right_id", "kind", "mark", "nice_classes", "jurisdictions", "owner", "authorized_parties")
DECLARATION_COLUMNS = (
    "declaration_id", "description", "hs_code", "origin", "destination",
    "consignor", "consignee", "quantity", "value", "currency",
)
HITS_COLUMNS = ("declaration_id", "right_id", "score", "reasons")
REJECTS_COLUMNS = ("file", "line", "column", "reason", "record")
RIGHT_KINDS = ("trademark", "design", "patent", "copyright", "gi")


@dataclass(frozen=True)
class Rejected:
    """A refused row: where it was, every problem with it, and the row itself for the rejects file."""

    file: str
    line: int
    problems: tuple[Problem, ...]
    record: Mapping[str, str]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _rows(
    handle: IO[str], columns: tuple[str, ...], source: str
) -> Iterator[tuple[int, dict[str, str], Problem | None]]:
    """(line number, row, problem with the row's shape) for each data row."""
    reader = csv.DictReader(handle)
    header = [h.strip().lstrip("\ufeff") for h in (reader.fieldnames or [])]
    missing = [c for c in columns if c not in header]
    if missing:
        raise HeaderError(Problem(", ".join(missing), f"missing column in {source} header", 1))
    reader.fieldnames = header
    line = reader.line_num
    for row in reader:
        start = line + 1
        line = reader.line_num
        extra = row.pop(None, None)
        shape = Problem("(extra)", f"{len(extra)} value(s) beyond the {len(header)} columns", start) if extra else None
        yield start, {k: (v or "").strip() for k, v in row.items()}, shape


class HeaderError(ValueError):
    """The file's header lacks a required column: nothing in it can be read."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def parse_right(row: dict[str, str], line: int) -> Right | list[Problem]:
    problems: list[Problem] = []
    for column in ("right_id", "mark"):
        if not row.get(column):
            problems.append(Problem(column, "is empty", line))
    kind = row.get("kind", "").lower()
    if kind not in RIGHT_KINDS:
        problems.append(Problem("kind", f"'{row.get('kind', '')}' is not one of {', '.join(RIGHT_KINDS)}", line))
    classes: list[int] = []
    for part in _split(row.get("nice_classes", "")):
        if not part.isdigit() or not 1 <= int(part) <= 45:
            problems.append(Problem("nice_classes", f"'{part}' is not a Nice class (1-45)", line))
        else:
            classes.append(int(part))
    if not classes and not any(p.field == "nice_classes" for p in problems):
        problems.append(Problem("nice_classes", "no Nice class given", line))
    codes = _split(row.get("jurisdictions", ""))
    for code in codes:
        if not jurisdictions.is_valid(code):
            problems.append(Problem("jurisdictions", f"'{code}' is not an ISO 3166 alpha-2 code or region", line))
    if not codes:
        problems.append(Problem("jurisdictions", "no jurisdiction given", line))
    if problems:
        return problems
    return make_right(
        row["right_id"], kind, row["mark"], classes, [c.upper() for c in codes], row.get("owner", ""),
        _split(row.get("authorized_parties", "")),
    )


def _number(row: dict[str, str], column: str, line: int, problems: list[Problem]) -> float | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(column, f"'{text}' is not a number", line))
        return None
    if value < 0:
        problems.append(Problem(column, f"{text} is negative", line))
    return value


def parse_declaration(row: dict[str, str], line: int) -> Declaration | list[Problem]:
    problems: list[Problem] = []
    for column in ("declaration_id", "description"):
        if not row.get(column):
            problems.append(Problem(column, "is empty", line))
    hs = row.get("hs_code", "").replace(".", "").replace(" ", "")
    if not (hs.isdigit() and 6 <= len(hs) <= 10):
        problems.append(Problem("hs_code", f"'{row.get('hs_code', '')}' is not an HS code of 6 to 10 digits", line))
    for column in ("origin", "destination"):
        code = row.get(column, "").upper()
        if not (len(code) == 2 and jurisdictions.is_country(code)):
            problems.append(Problem(column, f"'{row.get(column, '')}' is not an ISO 3166 alpha-2 country", line))
    quantity = _number(row, "quantity", line, problems)
    value = _number(row, "value", line, problems)
    currency = row.get("currency", "").upper()
    if currency and pycountry.currencies.get(alpha_3=currency) is None:
        problems.append(Problem("currency", f"'{row.get('currency')}' is not an ISO 4217 currency", line))
    if problems:
        return problems
    return Declaration(
        declaration_id=row["declaration_id"],
        description=row["description"],
        hs_code=hs,
        origin=row["origin"].upper(),
        destination=row["destination"].upper(),
        consignor=row.get("consignor", ""),
        consignee=row.get("consignee", ""),
        quantity=quantity,
        value=value,
        currency=currency,
    )


def read_rights(path: Path) -> tuple[list[Right], list[Rejected]]:
    rights: list[Right] = []
    rejected: list[Rejected] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, row, shape in _rows(handle, RIGHTS_COLUMNS, path.name):
            parsed = parse_right(row, line)
            if isinstance(parsed, Right) and parsed.right_id in seen:
                parsed = [Problem("right_id", f"'{parsed.right_id}' repeats line {seen[parsed.right_id]}", line)]
            if shape is not None:
                parsed = [shape, *(parsed if isinstance(parsed, list) else [])]
            if isinstance(parsed, Right):
                seen[parsed.right_id] = line
                rights.append(parsed)
            else:
                rejected.append(Rejected(path.name, line, tuple(parsed), row))
    return rights, rejected


def _read_declarations(handle: IO[str], name: str) -> tuple[list[Declaration], list[Rejected]]:
    declarations: list[Declaration] = []
    rejected: list[Rejected] = []
    for line, row, shape in _rows(handle, DECLARATION_COLUMNS, name):
        parsed = parse_declaration(row, line)
        if shape is not None:
            parsed = [shape, *(parsed if isinstance(parsed, list) else [])]
        if isinstance(parsed, Declaration):
            declarations.append(parsed)
        else:
            rejected.append(Rejected(name, line, tuple(parsed), row))
    return declarations, rejected


def read_declarations(path: Path) -> tuple[list[Declaration], list[Rejected]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return _read_declarations(handle, path.name)


def read_declarations_text(text: str, name: str) -> tuple[list[Declaration], list[Rejected]]:
    """The same contract for an upload already in memory (raises HeaderError like a file would)."""
    return _read_declarations(io.StringIO(text, newline=""), name)


def hit_record(hit: Hit) -> dict[str, object]:
    return {
        "declaration_id": hit.declaration_id,
        "right_id": hit.right_id,
        "score": hit.score,
        "reasons": list(hit.reasons),
        "mark": hit.mark,
        "matched": hit.matched,
        "start": hit.start,
        "end": hit.end,
    }


def write_hits(hits: Iterable[Hit], handle: IO[str], fmt: str) -> int:
    count = 0
    if fmt == "jsonl":
        for hit in hits:
            handle.write(json.dumps(hit_record(hit), ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(HITS_COLUMNS)
    for hit in hits:
        writer.writerow([hit.declaration_id, hit.right_id, f"{hit.score:.3f}", "; ".join(hit.reasons)])
        count += 1
    return count


def write_rejects(rejected: Iterable[Rejected], handle: IO[str]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(REJECTS_COLUMNS)
    for item in rejected:
        record = json.dumps(dict(item.record), ensure_ascii=False)
        for problem in item.problems:
            writer.writerow([item.file, item.line, problem.field, problem.reason, record])


def replace_atomically(path: Path, write: Callable[[IO[str]], object]) -> None:
    """Write through a temporary file renamed into place, so a failure never leaves half a file behind."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
