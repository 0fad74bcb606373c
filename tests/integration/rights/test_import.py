"""The RIGHTS.csv import: exact line and reason for each bad row, all or nothing, idempotent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ipec.accounts.models import Organisation
from ipec.kernel.errors import ValidationFailed
from ipec.rights import services as rights
from ipec.rights.models import Right
from tests.conftest import SYSTEM

HEADER = "right_id,kind,mark,nice_classes,jurisdictions,owner,authorized_parties\n"
GOOD = (
    HEADER
    + "EU-1,trademark,STRIDEWELL,25;28,EU,Stridewell Athletics Inc.,Stridewell Europe BV;Dong Hai Footwear\n"
    + 'US-2,trademark,"AURELIA PARIS",18,US;CA,Aurelia Maison SA,\n'
    + "GI-3,gi,Vale Dourado,33,BR;PT,Vinhos do Vale Lda,\n"
)


def rights_count(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(Right))


@pytest.mark.backend
def test_good_file_imports_and_reimport_changes_nothing(ctx, session) -> None:  # type: ignore[no-untyped-def]
    c = ctx(SYSTEM)
    first = rights.import_csv(c, GOOD)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert sorted(first.organisations_created) == ["Aurelia Maison SA", "Stridewell Athletics Inc.",
                                                   "Vinhos do Vale Lda"]
    stride = session.scalar(select(Right).where(Right.right_id == "EU-1"))
    assert [c.nice_class for c in stride.classes] == [25, 28]
    assert [j.code for j in stride.jurisdictions] == ["EU"]
    assert sorted(p.name for p in stride.parties) == ["Dong Hai Footwear", "Stridewell Europe BV"]

    again = rights.import_csv(c, GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert again.organisations_created == []
    assert rights_count(session) == 3

    changed = rights.import_csv(c, GOOD.replace("25;28,EU", "25,EU;US"))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    stride = session.scalar(select(Right).where(Right.right_id == "EU-1"))
    assert [c.nice_class for c in stride.classes] == [25]
    assert sorted(j.code for j in stride.jurisdictions) == ["EU", "US"]


BAD_ROWS = [
    ("EU-9,trademark,NORDLYS,46,EU,Nordlys AS,\n", "nice_classes", "'46' is not a Nice class (1 to 45)"),
    ("EU-9,trademark,NORDLYS,25,XX,Nordlys AS,\n", "jurisdictions", "'XX' is not an ISO 3166 alpha-2 code or a region"),
    ("EU-9,trademark,,25,EU,Nordlys AS,\n", "mark", "is empty"),
    ("EU-1,trademark,NORDLYS,25,EU,Nordlys AS,\n", "right_id", "duplicate right_id 'EU-1' (first on line 2)"),
    ("EU-9,trademark,NORDLYS,,EU,Nordlys AS,\n", "nice_classes", "a trademark needs at least one Nice class"),
    ("EU-9,sticker,NORDLYS,25,EU,Nordlys AS,\n", "kind", "unknown kind 'sticker'"),
    ("EU-9,trademark,NORDLYS,twenty,EU,Nordlys AS,\n", "nice_classes", "'twenty' is not a Nice class (1 to 45)"),
]


@pytest.mark.backend
@pytest.mark.parametrize(("row", "column", "reason"), BAD_ROWS)
def test_a_bad_row_is_refused_with_line_column_reason_and_nothing_is_written(  # type: ignore[no-untyped-def]
        ctx, session, row, column, reason) -> None:
    text = GOOD + row  # the bad row is on line 5
    with pytest.raises(ValidationFailed) as info:
        rights.import_csv(ctx(SYSTEM), text)
    problems = info.value.problems
    assert [(p.line, p.field) for p in problems] == [(5, column)]
    assert problems[0].reason.startswith(reason)
    assert "nothing was imported" in info.value.message
    assert rights_count(session) == 0
    assert session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_skip_invalid_imports_good_rows_and_reports_every_refused_one(ctx, session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = GOOD + BAD_ROWS[0][0] + BAD_ROWS[1][0].replace("EU-9", "EU-10")
    report = rights.import_csv(ctx(SYSTEM), text, skip_invalid=True)
    assert report.created == 3
    assert [(r.line, r.column) for r in report.rejects] == [(5, "nice_classes"), (6, "jurisdictions")]
    target = tmp_path / "rejects.csv"
    rights.write_rejects(report.rejects, target)
    lines = target.read_text().splitlines()
    assert lines[0].startswith("line,column,reason,right_id")
    assert lines[1].startswith("5,nice_classes,'46' is not a Nice class (1 to 45),EU-9,trademark,NORDLYS,46")
    assert rights_count(session) == 3


def test_missing_columns_are_named(ctx) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as info:
        rights.import_csv(ctx(SYSTEM), "right_id,kind,mark\nX,trademark,Y\n")
    assert {p.field for p in info.value.problems} == {"nice_classes", "jurisdictions", "owner", "authorized_parties"}
    assert all(p.line == 1 for p in info.value.problems)


def test_owner_that_is_an_authority_is_refused(ctx, people) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as info:
        rights.import_csv(ctx(SYSTEM), HEADER + "X-1,trademark,FOO,25,FR,Douane FR,\n")
    assert info.value.problems[0].line == 2
    assert "not a rights holder" in info.value.problems[0].reason
