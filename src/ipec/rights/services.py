"""The only writers of the rights register: register, change, import, attach images; and its searches."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from ipec.accounts import services as accounts
from ipec.accounts.models import Organisation
from ipec.accounts.policy import Action, OrgKind, Resource
from ipec.files import services as files
from ipec.kernel import jurisdictions
from ipec.kernel.errors import NotFound, Problem, ValidationFailed
from ipec.kernel.ids import new_id
from ipec.rights import nice, offices
from ipec.rights.marks import mark_key
from ipec.rights.models import (
    MarkType,
    PartyRole,
    Right,
    RightClass,
    RightJurisdiction,
    RightKind,
    RightParty,
    RightStatus,
)
from ipec.rights.schemas import ClassIn, RightIn, RightPatch

Context = accounts.Context

CSV_COLUMNS = ("right_id", "kind", "mark", "nice_classes", "jurisdictions", "owner", "authorized_parties")
KINDS = {k.value for k in RightKind}
# Accept the words people write in spreadsheets for the contract's `kind` column.
KIND_ALIASES = {"tm": "trademark", "trade mark": "trademark", "mark": "trademark",
                "geographical_indication": "gi", "geographical indication": "gi"}


def resource_of(right: Right) -> Resource:
    return Resource("right", owner=right.owner_id, jurisdiction=offices.jurisdiction_of(right.office))


@dataclass
class RightView:
    right: Right
    restricted_visible: bool
    match: str | None = None


def _view(ctx: Context, right: Right, match: str | None = None) -> RightView:
    visible = accounts.can(ctx, Action.READ_RESTRICTED, resource_of(right))
    return RightView(right, visible, match)


# --- validation shared by the API and the CSV import --------------------------------------------------


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def check_kind(kind: str) -> tuple[str | None, Problem | None]:
    k = KIND_ALIASES.get(kind.strip().lower(), kind.strip().lower())
    if k not in KINDS:
        return None, Problem("kind", f"unknown kind {kind!r}; one of {', '.join(sorted(KINDS))}")
    return k, None


def check_classes(values: Iterable[str | int], kind: str | None) -> tuple[list[int], list[Problem]]:
    out: list[int] = []
    problems: list[Problem] = []
    for value in values:
        text = str(value).strip()
        if not text.isdigit() or not nice.is_valid(int(text)):
            problems.append(Problem("nice_classes", f"{text!r} is not a Nice class (1 to 45)"))
            continue
        if int(text) not in out:
            out.append(int(text))
    if kind == RightKind.TRADEMARK and not out and not problems:
        problems.append(Problem("nice_classes", "a trademark needs at least one Nice class"))
    return sorted(out), problems


def check_jurisdictions(values: Iterable[str]) -> tuple[list[str], list[Problem]]:
    out: list[str] = []
    problems: list[Problem] = []
    for value in values:
        code = value.strip().upper()
        if not jurisdictions.is_valid(code):
            problems.append(Problem("jurisdictions", f"{value.strip()!r} is not an ISO 3166 alpha-2 code or a region"))
        elif code not in out:
            out.append(code)
    if not out and not problems:
        problems.append(Problem("jurisdictions", "at least one protected jurisdiction is required"))
    return out, problems


# --- writes ---------------------------------------------------------------------------------------------


def _holder(ctx: Context, owner_id: str | None) -> Organisation:
    if owner_id is None:
        if ctx.actor is None:
            raise ValidationFailed([Problem("owner_id", "is required")])
        owner_id = ctx.actor.organisation_id
    org = ctx.session.get(Organisation, owner_id)
    if org is None:
        raise ValidationFailed([Problem("owner_id", f"no organisation {owner_id}")])
    if org.kind != OrgKind.RIGHTS_HOLDER:
        raise ValidationFailed([Problem("owner_id", f"{org.name} is not a rights holder")])
    return org


def _set_parties(right: Right, licensees: list[str], authorized: list[str]) -> None:
    wanted = {(n.strip(), PartyRole.LICENSEE.value) for n in licensees if n.strip()}
    wanted |= {(n.strip(), PartyRole.AUTHORIZED.value) for n in authorized if n.strip()}
    right.parties = [p for p in right.parties if (p.name, p.role) in wanted]
    have = {(p.name, p.role) for p in right.parties}
    for name, role in sorted(wanted - have):
        right.parties.append(RightParty(name=name, role=role))


def _set_classes(right: Right, classes: list[ClassIn]) -> None:
    by_number = {c.nice_class: c for c in classes}
    right.classes = [c for c in right.classes if c.nice_class in by_number]
    for c in right.classes:
        c.goods_terms = by_number[c.nice_class].goods_terms or c.goods_terms
    have = {c.nice_class for c in right.classes}
    for number in sorted(set(by_number) - have):
        right.classes.append(RightClass(nice_class=number, goods_terms=by_number[number].goods_terms))


def _set_jurisdictions(right: Right, codes: list[str], madrid: list[str]) -> None:
    wanted = {c: False for c in codes} | {c: True for c in madrid}
    right.jurisdictions = [j for j in right.jurisdictions if j.code in wanted]
    for j in right.jurisdictions:
        j.via_madrid = wanted[j.code]
    have = {j.code for j in right.jurisdictions}
    for code in sorted(set(wanted) - have):
        right.jurisdictions.append(RightJurisdiction(code=code, via_madrid=wanted[code]))


def _validate_in(data: RightIn) -> tuple[str, list[str], list[str]]:
    problems: list[Problem] = []
    kind, p = check_kind(data.kind)
    if p:
        problems.append(p)
    _, cp = check_classes([c.nice_class for c in data.classes], kind)
    problems += cp
    codes, jp = check_jurisdictions(data.jurisdictions + data.madrid_designations)
    problems += jp
    if data.mark_type and data.mark_type not in {m.value for m in MarkType}:
        problems.append(Problem("mark_type", "word or figurative"))
    if data.status not in {s.value for s in RightStatus}:
        problems.append(Problem("status", f"one of {', '.join(RightStatus)}"))
    if data.office and not offices.is_known(data.office):
        problems.append(Problem("office", f"unknown office {data.office!r}"))
    if data.madrid_designations and not data.madrid_ir_number:
        problems.append(Problem("madrid_ir_number", "Madrid designations need the international registration number"))
    if data.expiry_date and data.registration_date and data.expiry_date < data.registration_date:
        problems.append(Problem("expiry_date", "is before the registration date"))
    if problems:
        raise ValidationFailed(problems)
    assert kind is not None
    madrid = [c.upper() for c in data.madrid_designations]
    national = [c for c in codes if c not in madrid]
    return kind, national, madrid


def _ledger_record(right: Right) -> dict[str, object]:
    """What the ledger keeps of a right: no personal data, only the register's public facts."""
    return {
        "right_id": right.right_id,
        "kind": right.kind,
        "mark": right.mark,
        "office": right.office,
        "number": right.number,
        "status": right.status,
        "owner": right.owner.name if right.owner else right.owner_id,
        "nice_classes": sorted(c.nice_class for c in right.classes),
        "jurisdictions": sorted(j.code for j in right.jurisdictions),
        "expiry_date": right.expiry_date.isoformat() if right.expiry_date else None,
        "image_sha256": right.image_sha256,
    }


def _append_to_ledger(ctx: Context, entry_type: str, right: Right) -> None:
    from ipec.ledger import services as ledger

    ctx.session.flush()
    right.ledger_queue_id = ledger.append(ctx.session, entry_type, _ledger_record(right)).queue_id


def register(ctx: Context, data: RightIn) -> Right:
    right = add(ctx, data)
    ctx.session.commit()
    return right


def add(ctx: Context, data: RightIn) -> Right:
    """Register a right inside the caller's batch (the demo loader, bulk jobs): checks everything, no commit."""
    kind, national, madrid = _validate_in(data)
    owner = _holder(ctx, data.owner_id)
    right = Right(id=new_id(), right_id=data.right_id.strip(), kind=kind, owner_id=owner.id)
    accounts.authorize(ctx, Action.CREATE, Resource("right", owner=owner.id,
                                                    jurisdiction=offices.jurisdiction_of(data.office)))
    if ctx.session.scalar(select(Right.id).where(Right.right_id == right.right_id)):
        raise ValidationFailed([Problem("right_id", f"{right.right_id!r} is already registered")])
    now = ctx.clock.now()
    right.mark = data.mark.strip()
    right.mark_key = mark_key(right.mark)
    right.mark_type = data.mark_type or (MarkType.WORD.value if kind == RightKind.TRADEMARK else None)
    right.number, right.office = data.number, data.office.upper() if data.office else None
    right.filing_date, right.registration_date = data.filing_date, data.registration_date
    right.expiry_date, right.status = data.expiry_date, data.status
    right.madrid_ir_number, right.notes = data.madrid_ir_number, data.notes
    right.created_at = right.updated_at = now
    right.owner = owner
    _set_classes(right, data.classes)
    _set_jurisdictions(right, national, madrid)
    _set_parties(right, data.licensees, data.authorized_parties)
    ctx.session.add(right)
    accounts.audit_write(ctx, "right.register", "right", right.id, {"right_id": right.right_id})
    _append_to_ledger(ctx, "right.registered", right)
    return right


def update(ctx: Context, pk: str, patch: RightPatch) -> Right:
    right = ctx.session.get(Right, pk)
    if right is None:
        raise NotFound(f"no right {pk}")
    accounts.authorize(ctx, Action.UPDATE, resource_of(right), pk)
    changes = patch.model_dump(exclude_unset=True)
    problems: list[Problem] = []
    if "classes" in changes and patch.classes is not None:
        problems += check_classes([c.nice_class for c in patch.classes], right.kind)[1]
    codes: list[str] = []
    if "jurisdictions" in changes and patch.jurisdictions is not None:
        codes, jp = check_jurisdictions(patch.jurisdictions)
        problems += jp
    if patch.status is not None and patch.status not in {s.value for s in RightStatus}:
        problems.append(Problem("status", f"one of {', '.join(RightStatus)}"))
    if patch.office is not None and patch.office and not offices.is_known(patch.office):
        problems.append(Problem("office", f"unknown office {patch.office!r}"))
    if "mark" in changes and not (patch.mark or "").strip():
        problems.append(Problem("mark", "cannot be empty"))
    if problems:
        raise ValidationFailed(problems)
    for name in ("number", "office", "filing_date", "registration_date", "expiry_date", "status", "notes"):
        if name in changes:
            setattr(right, name, changes[name])
    if "mark" in changes and patch.mark:
        right.mark = patch.mark.strip()
        right.mark_key = mark_key(right.mark)
    if patch.classes is not None:
        _set_classes(right, patch.classes)
    if patch.jurisdictions is not None:
        _set_jurisdictions(right, [c for c in codes], [j.code for j in right.jurisdictions if j.via_madrid])
    if patch.licensees is not None or patch.authorized_parties is not None:
        lic = patch.licensees if patch.licensees is not None else [
            p.name for p in right.parties if p.role == PartyRole.LICENSEE]
        auth = patch.authorized_parties if patch.authorized_parties is not None else [
            p.name for p in right.parties if p.role == PartyRole.AUTHORIZED]
        _set_parties(right, lic, auth)
    right.updated_at = ctx.clock.now()
    accounts.audit_write(ctx, "right.update", "right", right.id, {"fields": sorted(changes)})
    _append_to_ledger(ctx, "right.changed", right)
    ctx.session.commit()
    return right


def attach_image(ctx: Context, pk: str, blob_dir: Path, data: bytes, media_type: str) -> Right:
    """Attach the image of a figurative mark, stored by its SHA-256."""
    right = ctx.session.get(Right, pk)
    if right is None:
        raise NotFound(f"no right {pk}")
    accounts.authorize(ctx, Action.UPDATE, resource_of(right), pk)
    if not media_type.startswith("image/"):
        raise ValidationFailed([Problem("file", f"an image is expected, not {media_type}")])
    blob = files.store(ctx.session, blob_dir, ctx.clock, data, media_type)
    right.image_sha256 = blob.sha256
    right.mark_type = MarkType.FIGURATIVE.value
    right.updated_at = ctx.clock.now()
    accounts.audit_write(ctx, "right.image", "right", right.id, {"sha256": blob.sha256})
    _append_to_ledger(ctx, "right.changed", right)
    ctx.session.commit()
    return right


# --- reads ----------------------------------------------------------------------------------------------


def get(ctx: Context, pk: str) -> RightView:
    accounts.authorize(ctx, Action.READ, Resource("right"))
    right = ctx.session.get(Right, pk) or ctx.session.scalar(select(Right).where(Right.right_id == pk))
    if right is None:
        raise NotFound(f"no right {pk}")
    view = _view(ctx, right)
    if view.restricted_visible and right.owner_id != (ctx.actor.organisation_id if ctx.actor else None):
        accounts.audit_read(ctx, "right", right.id, "restricted right data shown")
    return view


@dataclass
class SearchQuery:
    text: str | None = None
    mode: str = "auto"  # auto | exact | prefix | fuzzy
    nice_class: int | None = None
    jurisdiction: str | None = None
    holder_id: str | None = None
    kind: str | None = None
    status: str | None = None
    cursor: str | None = None
    limit: int = 50


@dataclass
class SearchPage:
    items: list[RightView]
    next_cursor: str | None
    total: int
    mode_used: str = "exact"
    problems: list[Problem] = field(default_factory=list)


def _encode_cursor(key: str, pk: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, pk]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        key, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return str(key), str(pk)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed([Problem("cursor", "is not a cursor this node issued")]) from exc


def _filters(q: SearchQuery) -> list[object]:
    conds: list[object] = []
    if q.nice_class is not None:
        conds.append(Right.id.in_(select(RightClass.right_pk).where(RightClass.nice_class == q.nice_class)))
    if q.jurisdiction:
        code = q.jurisdiction.strip().upper()
        covering = {code} | {r.code for r in jurisdictions.regions() if code in r.members}
        conds.append(Right.id.in_(select(RightJurisdiction.right_pk).where(RightJurisdiction.code.in_(covering))))
    if q.holder_id:
        conds.append(Right.owner_id == q.holder_id)
    if q.kind:
        conds.append(Right.kind == q.kind)
    if q.status:
        conds.append(Right.status == q.status)
    return conds


def _validate_query(q: SearchQuery) -> None:
    problems = []
    if q.mode not in ("auto", "exact", "prefix", "fuzzy"):
        problems.append(Problem("mode", "auto, exact, prefix or fuzzy"))
    if q.nice_class is not None and not nice.is_valid(q.nice_class):
        problems.append(Problem("nice_class", "1 to 45"))
    if q.jurisdiction and not jurisdictions.is_valid(q.jurisdiction):
        problems.append(Problem("jurisdiction", f"unknown code {q.jurisdiction!r}"))
    if not 1 <= q.limit <= 500:
        problems.append(Problem("limit", "1 to 500"))
    if problems:
        raise ValidationFailed(problems)


def max_typos(key: str) -> int:
    """Typos a fuzzy search forgives: none for very short marks, where one letter makes another word."""
    length = len(key.replace(" ", ""))
    return 0 if length <= 3 else 1 if length <= 8 else 2


def search(ctx: Context, q: SearchQuery) -> SearchPage:
    accounts.authorize(ctx, Action.READ, Resource("right"))
    _validate_query(q)
    conds = _filters(q)
    key = mark_key(q.text) if q.text else ""
    if key and q.mode == "fuzzy":
        return _fuzzy(ctx, key, conds, q.limit)
    text_cond: object | None = None
    if key:
        if q.mode == "exact":
            text_cond = Right.mark_key == key
        else:
            text_cond = or_(Right.mark_key == key, Right.mark_key.like(f"{key}%"),
                            Right.mark_key.like(f"% {key}%"))
    where = and_(True, *conds, *([text_cond] if text_cond is not None else []))  # type: ignore[arg-type]
    total = ctx.session.scalar(select(func.count()).select_from(Right).where(where)) or 0
    if total == 0 and key and q.mode == "auto":
        return _fuzzy(ctx, key, conds, q.limit)
    stmt: Select[Right] = select(Right).where(where)
    if q.cursor:
        ck, cpk = _decode_cursor(q.cursor)
        stmt = stmt.where(or_(Right.mark_key > ck, and_(Right.mark_key == ck, Right.id > cpk)))
    rows = list(ctx.session.scalars(stmt.order_by(Right.mark_key, Right.id).limit(q.limit + 1)))
    next_cursor = _encode_cursor(rows[q.limit - 1].mark_key, rows[q.limit - 1].id) if len(rows) > q.limit else None
    items = [_view(ctx, r, _match_kind(key, r.mark_key)) for r in rows[: q.limit]]
    return SearchPage(items, next_cursor, total, "exact" if q.mode == "exact" else "prefix" if key else "all")


def _match_kind(key: str, candidate: str) -> str | None:
    if not key:
        return None
    return "exact" if candidate == key else "prefix"


def _fuzzy(ctx: Context, key: str, conds: list[object], limit: int) -> SearchPage:
    choices = dict(ctx.session.execute(select(Right.id, Right.mark_key).where(and_(True, *conds))).all())  # type: ignore[arg-type]
    hits = process.extract(key, choices, scorer=OSA.distance, score_cutoff=max_typos(key), limit=limit)
    ids = [pk for _mk, _dist, pk in hits]
    by_id = {r.id: r for r in ctx.session.scalars(select(Right).where(Right.id.in_(ids)))}
    items = []
    for _mark, dist, pk in sorted(hits, key=lambda h: (h[1], h[0])):
        label = "exact" if dist == 0 else f"fuzzy ({int(dist)} typo{'s' if dist > 1 else ''})"
        items.append(_view(ctx, by_id[pk], label))
    return SearchPage(items, None, len(items), "fuzzy")


def ledger_index(ctx: Context, pk: str) -> int | None:
    """Index of the right's latest ledger entry; None while the sequencer has not yet integrated it."""
    from ipec.ledger import services as ledger

    view = get(ctx, pk)
    if view.right.ledger_queue_id is None:
        raise NotFound(f"right {view.right.right_id} has no ledger entry")
    return ledger.index_of(ctx.session, view.right.ledger_queue_id)


def screening_rights(session: Session) -> list[dict[str, object]]:
    """Active rights in the shape of the RIGHTS.csv contract, for the screening engine."""
    rows = session.scalars(select(Right).where(Right.status == RightStatus.REGISTERED).order_by(Right.right_id))
    return [
        {
            "id": r.id,
            "right_id": r.right_id,
            "kind": r.kind,
            "mark": r.mark,
            "nice_classes": [c.nice_class for c in r.classes],
            "jurisdictions": [j.code for j in r.jurisdictions],
            "owner": r.owner.name,
            "authorized_parties": [p.name for p in r.parties],
        }
        for r in rows
    ]


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Right)) or 0


# --- CSV import -----------------------------------------------------------------------------------------


@dataclass
class Reject:
    line: int
    column: str
    reason: str
    row: dict[str, str]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)
    organisations_created: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    right_id: str
    kind: str
    mark: str
    classes: list[int]
    jurisdictions: list[str]
    owner: str
    authorized: list[str]
    cells: dict[str, str]


def _parse_rows(text: str) -> tuple[list[_Row], list[Reject]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ValidationFailed([Problem(c, "column is missing from the header", line=1) for c in missing])
    reader.fieldnames = header
    rows: list[_Row] = []
    rejects: list[Reject] = []
    first_line: dict[str, int] = {}
    line = 1
    for raw in reader:
        line = reader.line_num
        cells = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        problems: list[Problem] = []
        if None in raw:
            problems.append(Problem("row", "has more cells than the header has columns"))
        right_id = cells.get("right_id", "")
        if not right_id:
            problems.append(Problem("right_id", "is empty"))
        elif right_id in first_line:
            problems.append(
                Problem("right_id", f"duplicate right_id {right_id!r} (first on line {first_line[right_id]})"))
        else:
            first_line[right_id] = line
        kind, kp = check_kind(cells.get("kind", ""))
        if kp:
            problems.append(kp)
        mark = cells.get("mark", "")
        if not mark:
            problems.append(Problem("mark", "is empty"))
        classes, cp = check_classes(_split(cells.get("nice_classes", "")), kind)
        codes, jp = check_jurisdictions(_split(cells.get("jurisdictions", "")))
        problems += cp + jp
        owner = cells.get("owner", "")
        if not owner:
            problems.append(Problem("owner", "is empty"))
        if problems:
            for p in problems:
                rejects.append(Reject(line, p.field, p.reason, cells))
            continue
        assert kind is not None
        rows.append(_Row(line, right_id, kind, mark, classes, codes, owner,
                         sorted(set(_split(cells.get("authorized_parties", "")))), cells))
    return rows, rejects


def _same(right: Right, row: _Row) -> bool:
    return (
        right.kind == row.kind
        and right.mark == row.mark
        and right.owner.name == row.owner
        and sorted(c.nice_class for c in right.classes) == row.classes
        and sorted(j.code for j in right.jurisdictions) == sorted(row.jurisdictions)
        and sorted(p.name for p in right.parties if p.role == PartyRole.AUTHORIZED) == row.authorized
    )


def import_csv(ctx: Context, text: str, *, skip_invalid: bool = False) -> ImportReport:
    """Import the RIGHTS.csv contract. All or nothing unless `skip_invalid`; idempotent on right_id."""
    rows, rejects = _parse_rows(text)
    existing = {r.right_id: r for r in ctx.session.scalars(
        select(Right).where(Right.right_id.in_([row.right_id for row in rows])))} if rows else {}
    orgs = {o.name: o for o in ctx.session.scalars(select(Organisation))}
    for row in rows:
        org = orgs.get(row.owner)
        if org is not None and org.kind != OrgKind.RIGHTS_HOLDER:
            rejects.append(Reject(row.line, "owner", f"{row.owner!r} is a {org.kind}, not a rights holder", row.cells))
    if rejects and not skip_invalid:
        raise ValidationFailed(
            [Problem(r.column, r.reason, line=r.line) for r in sorted(rejects, key=lambda r: r.line)],
            message=f"{len(rejects)} problem(s); nothing was imported: "
            + "; ".join(f"line {r.line}, column {r.column}: {r.reason}" for r in rejects[:5]),
        )
    refused = {r.line for r in rejects}
    report = ImportReport(rejects=sorted(rejects, key=lambda r: r.line))
    for row in rows:
        if row.line in refused:
            continue
        org = orgs.get(row.owner)
        if org is None:
            org = accounts.add_organisation(ctx, row.owner, OrgKind.RIGHTS_HOLDER, None)
            orgs[org.name] = org
            report.organisations_created.append(org.name)
        right = existing.get(row.right_id)
        if right is not None and _same(right, row):
            report.unchanged += 1
            continue
        accounts.authorize(ctx, Action.UPDATE if right else Action.CREATE,
                           resource_of(right) if right else Resource("right", owner=org.id), row.right_id)
        now = ctx.clock.now()
        if right is None:
            right = Right(id=new_id(), right_id=row.right_id, created_at=now, status=RightStatus.REGISTERED,
                          mark_type=MarkType.WORD.value if row.kind == RightKind.TRADEMARK else None)
            ctx.session.add(right)
            report.created += 1
            entry_type = "right.registered"
        else:
            report.updated += 1
            entry_type = "right.changed"
        right.kind, right.mark, right.mark_key = row.kind, row.mark, mark_key(row.mark)
        right.owner_id, right.owner, right.updated_at = org.id, org, now
        kept_terms = {c.nice_class: c.goods_terms for c in right.classes}
        _set_classes(right, [ClassIn(nice_class=n, goods_terms=kept_terms.get(n)) for n in row.classes])
        _set_jurisdictions(right, row.jurisdictions, [])
        _set_parties(right, [p.name for p in right.parties if p.role == PartyRole.LICENSEE], row.authorized)
        _append_to_ledger(ctx, entry_type, right)
    accounts.audit_write(ctx, "right.import", "right", None, {
        "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
        "rejected": len(report.rejects)})
    ctx.session.commit()
    return report


def write_rejects(rejects: list[Reject], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["line", "column", "reason", *CSV_COLUMNS])
        for r in rejects:
            writer.writerow([r.line, r.column, r.reason, *(r.row.get(c, "") for c in CSV_COLUMNS)])
