"""`ipec screen`: the file contract, refusal of bad rows, rejects file, JSON lines, workers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ipec.screening.cli import screen, screen_worker

RIGHTS = """right_id,kind,mark,nice_classes,jurisdictions,owner,authorized_parties
R1,trademark,NIKE,25;28,EU;US,Nike Inc,Nike Europe B.V.;Nike Retail BV
R2,trademark,LOUIS VUITTON,18,FR,LVMH,
R3,trademark,ROLEX,14,EU;CH,Rolex SA,
"""

DECLARATIONS = """declaration_id,description,hs_code,origin,destination,consignor,consignee,quantity,value,currency
D1,Mens sneakers N1KE air,640411,CN,FR,Shenzhen Trade Co,Jean Dupont,10,120,EUR
D2,LOUIS-VUITTON handbag,420221,CN,FR,Guangzhou Bags,Marie Martin,2,80,EUR
D3,bike helmet,650610,CN,FR,Ningbo Sports,Paul Petit,1,20,EUR
D4,NIKE shoes genuine,640411,VN,NL,Nike Europe B.V.,Shoe Shop BV,100,5000,EUR
D5,R0LEX watch,910211,HK,DE,HK Time Ltd,Hans Meyer,1,50,EUR
D6,NIKE shoes,640411,CN,BR,Shenzhen Trade Co,Joao Silva,5,60,USD
"""

BAD = DECLARATIONS + """D7,NIKE shoes,64,CN,FR,A,B,1,1,EUR
D8,,640411,CN,XX,A,B,one,1,EURO
"""


@pytest.fixture
def cli() -> typer.Typer:
    # Registered the way the root command registers them.
    root = typer.Typer()
    root.command("screen")(screen)
    root.command("screen-worker")(screen_worker)
    return root


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def hits_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_screen_writes_hits_with_reasons(cli: typer.Typer, tmp_path: Path) -> None:
    rights = write(tmp_path, "rights.csv", RIGHTS)
    declarations = write(tmp_path, "declarations.csv", DECLARATIONS)
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(cli, ["screen", str(declarations), "--rights", str(rights), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = hits_of(out)
    assert list(rows[0]) == ["declaration_id", "right_id", "score", "reasons"]
    assert [(r["declaration_id"], r["right_id"]) for r in rows] == [("D1", "R1"), ("D2", "R2"), ("D5", "R3")]
    assert rows[0]["reasons"] == (
        "mark NIKE matched 'N1KE' (leetspeak); goods HS 640411 → class 25; "
        "destination FR within EU protection; consignor and consignee not authorised"
    )
    assert float(rows[0]["score"]) == pytest.approx(0.95)


def test_jsonl_format_carries_the_matched_span(cli: typer.Typer, tmp_path: Path) -> None:
    rights = write(tmp_path, "rights.csv", RIGHTS)
    declarations = write(tmp_path, "declarations.csv", DECLARATIONS)
    out = tmp_path / "hits.jsonl"
    args = ["screen", str(declarations), "--rights", str(rights), "--out", str(out), "--format", "jsonl"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[1]["matched"] == "LOUIS-VUITTON"
    assert (records[1]["start"], records[1]["end"]) == (0, 13)
    assert records[1]["reasons"][0] == "mark LOUIS VUITTON matched 'LOUIS-VUITTON' (hyphenated)"


def test_bad_rows_refuse_the_file_and_write_nothing(cli: typer.Typer, tmp_path: Path) -> None:
    rights = write(tmp_path, "rights.csv", RIGHTS)
    declarations = write(tmp_path, "declarations.csv", BAD)
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(cli, ["screen", str(declarations), "--rights", str(rights), "--out", str(out)])
    assert result.exit_code == 1
    assert "line 8, column hs_code: '64' is not an HS code of 6 to 10 digits" in result.output
    assert "line 9, column description: is empty" in result.output
    assert "line 9, column destination: 'XX' is not an ISO 3166 alpha-2 country" in result.output
    assert "line 9, column quantity: 'one' is not a number" in result.output
    assert "line 9, column currency: 'EURO' is not an ISO 4217 currency" in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["declarations.csv", "rights.csv"]


def test_skip_invalid_screens_the_rest_and_lists_every_refused_row(cli: typer.Typer, tmp_path: Path) -> None:
    rights = write(tmp_path, "rights.csv", RIGHTS + "R4,trademark,GUCCI,99,EU,Gucci,\n")
    declarations = write(tmp_path, "declarations.csv", BAD)
    out = tmp_path / "hits.csv"
    args = ["screen", str(declarations), "--rights", str(rights), "--out", str(out), "--skip-invalid"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert len(hits_of(out)) == 3
    with (tmp_path / "hits.rejects.csv").open(encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    assert {(r["file"], r["line"], r["column"]) for r in rejects} == {
        ("rights.csv", "5", "nice_classes"),
        ("declarations.csv", "8", "hs_code"),
        ("declarations.csv", "9", "description"),
        ("declarations.csv", "9", "destination"),
        ("declarations.csv", "9", "quantity"),
        ("declarations.csv", "9", "currency"),
    }
    assert json.loads(rejects[1]["record"])["declaration_id"] == "D7"


def test_missing_column_is_refused(cli: typer.Typer, tmp_path: Path) -> None:
    rights = write(tmp_path, "rights.csv", RIGHTS)
    declarations = write(tmp_path, "declarations.csv", "declaration_id,description\nD1,NIKE\n")
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(cli, ["screen", str(declarations), "--rights", str(rights), "--out", str(out)])
    assert result.exit_code == 1
    assert "line 1, column hs_code, origin, destination" in result.output
    assert not out.exists()


def test_workers_give_the_same_hits_as_one_process(cli: typer.Typer, tmp_path: Path) -> None:
    rights = write(tmp_path, "rights.csv", RIGHTS)
    rows = DECLARATIONS.splitlines()[1:]
    body = [rows[i % len(rows)].replace(f"D{i % len(rows) + 1},", f"X{i},", 1) for i in range(9000)]
    declarations = write(tmp_path, "declarations.csv", DECLARATIONS.splitlines()[0] + "\n" + "\n".join(body))
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    base = ["screen", str(declarations), "--rights", str(rights)]
    assert CliRunner().invoke(cli, [*base, "--out", str(one)]).exit_code == 0
    assert CliRunner().invoke(cli, [*base, "--out", str(two), "--workers", "2"]).exit_code == 0
    assert one.read_text() == two.read_text()
    assert len(hits_of(one)) == 4500


def test_without_rights_file_screens_against_the_register(cli: typer.Typer, tmp_path: Path, demo_db_file: Path) -> None:
    from sqlalchemy.orm import Session

    from ipec.db.session import make_engine
    from ipec.rights.services import screening_rights
    from tests.conftest import copy_demo_node

    settings = copy_demo_node(demo_db_file, tmp_path)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        rights = screening_rights(session)
    engine.dispose()
    from ipec.customs.models import Application

    with Session(make_engine(settings.database_url)) as session:
        recorded = {pk for a in session.query(Application).filter(Application.status == "granted")
                    if "FR" in a.countries for pk in a.right_ids}
    right = next(r for r in rights if 25 in r["nice_classes"] and {"EU", "FR"} & set(r["jurisdictions"])
                 and str(r["mark"]).replace(" ", "").isalpha() and r["id"] in recorded)
    declarations = write(tmp_path, "declarations.csv", DECLARATIONS.splitlines()[0] + "\n"
                         + f"D1,{right['mark']} hoodie,611020,CN,FR,Shenzhen Trade Co,Jean Dupont,1,10,EUR\n")
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(cli, ["screen", str(declarations), "--out", str(out)],
                                env={"IPEC_DATABASE_URL": settings.database_url})
    assert result.exit_code == 0, result.output
    assert right["right_id"] in {r["right_id"] for r in hits_of(out)}
    # The demo has applications for action in force: the register mode screens the rights they cover.
    assert "right(s) under an application for action" in result.output
    assert "kept on the node as screening run" in result.output
