"""Screening against the node's register: who may screen, and screening declarations given as records.

The engine is pure (engine.py); this module adds the node: the rights come from the register
(`ipec.rights.services.screening_rights`), the caller must be an authority, and a batch with a bad record is
refused whole, naming each record and field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ipec.accounts import services as accounts
from ipec.accounts.policy import AUTHORITIES, Action, Actor, Decision, Resource, allow, deny, register
from ipec.kernel.errors import Problem, ValidationFailed
from ipec.rights import services as rights
from ipec.screening import csvio
from ipec.screening.engine import DEFAULT_THRESHOLD, Hit, Screener
from ipec.screening.rules import Declaration, Right, make_right


def _may_screen(actor: Actor, resource: Resource) -> Decision:
    if actor.org_kind in AUTHORITIES:
        return allow("authorities screen declarations against recorded rights")
    return deny("only enforcement authorities screen declarations")


register("screening", Action.CREATE, _may_screen)


def rights_from_records(records: Sequence[Mapping[str, object]]) -> list[Right]:
    """Rights from rows shaped like RIGHTS.csv rows (what `screening_rights` returns)."""
    out = []
    for r in records:
        classes = r["nice_classes"]
        codes = r["jurisdictions"]
        parties = r.get("authorized_parties") or []
        assert isinstance(classes, list) and isinstance(codes, list) and isinstance(parties, list)
        out.append(
            make_right(str(r["right_id"]), str(r["kind"]), str(r["mark"]), [int(c) for c in classes],
                       [str(c) for c in codes], str(r.get("owner") or ""), [str(p) for p in parties])
        )
    return out


def parse_records(records: Sequence[Mapping[str, object]]) -> tuple[list[Declaration], list[Problem]]:
    """Declarations from JSON objects; problems name the record (1-based, as `line`) and the field."""
    declarations: list[Declaration] = []
    problems: list[Problem] = []
    for number, record in enumerate(records, start=1):
        row = {k: "" if record.get(k) is None else str(record.get(k)).strip() for k in csvio.DECLARATION_COLUMNS}
        parsed = csvio.parse_declaration(row, number)
        if isinstance(parsed, Declaration):
            declarations.append(parsed)
        else:
            problems.extend(parsed)
    return declarations, problems


def register_screener(ctx: accounts.Context, threshold: float = DEFAULT_THRESHOLD) -> Screener:
    """A screener over the register's active rights (built per call: the register changes under us)."""
    return Screener(rights_from_records(rights.screening_rights(ctx.session)), threshold=threshold)


def screen(
    ctx: accounts.Context, declarations: Sequence[Declaration], threshold: float = DEFAULT_THRESHOLD
) -> list[Hit]:
    accounts.authorize(ctx, Action.CREATE, Resource("screening"))
    screener = register_screener(ctx, threshold)
    return screener.screen_many(declarations)


def screen_records(
    ctx: accounts.Context, records: Sequence[Mapping[str, object]], threshold: float = DEFAULT_THRESHOLD
) -> list[Hit]:
    accounts.authorize(ctx, Action.CREATE, Resource("screening"))
    declarations, problems = parse_records(records)
    if problems:
        raise ValidationFailed(problems)
    return screen(ctx, declarations, threshold)


def read_upload(
    ctx: accounts.Context, data: bytes, skip_invalid: bool = False
) -> tuple[list[Declaration], list[Problem]]:
    """The declarations of an uploaded DECLARATIONS.csv, and the problems of the rows refused.

    Bad rows refuse the file (ValidationFailed) unless `skip_invalid`; a missing column always does."""
    accounts.authorize(ctx, Action.CREATE, Resource("screening"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Problem("file", f"not UTF-8 text (byte {exc.start})")]) from exc
    try:
        declarations, rejected = csvio.read_declarations_text(text, "upload.csv")
    except csvio.HeaderError as exc:
        raise ValidationFailed([exc.problem]) from exc
    problems = [p for r in rejected for p in r.problems]
    if problems and not skip_invalid:
        raise ValidationFailed(problems)
    return declarations, problems


def screen_csv(
    ctx: accounts.Context, data: bytes, threshold: float = DEFAULT_THRESHOLD, skip_invalid: bool = False
) -> tuple[list[Declaration], list[Hit], list[Problem]]:
    """An uploaded DECLARATIONS.csv screened against the register: (declarations screened, hits, problems)."""
    declarations, problems = read_upload(ctx, data, skip_invalid)
    return declarations, screen(ctx, declarations, threshold), problems
