"""The `ipec` command as an operator uses it: migrate, load the demo, import rights files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipec.cli import app

HEADER = "right_id,kind,mark,nice_classes,jurisdictions,owner,authorized_parties\n"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"IPEC_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "IPEC_VAR_DIR": str(tmp_path / "var")}


def run(env: dict[str, str], *args: str) -> object:
    return CliRunner().invoke(app, list(args), env=env)


def test_migrate_then_import_then_reimport(env: dict[str, str], tmp_path: Path) -> None:
    assert run(env, "db", "upgrade").exit_code == 0  # type: ignore[attr-defined]
    f = tmp_path / "rights.csv"
    f.write_text(HEADER + "T-1,trademark,NORDLYS,25;18,EU,Nordlys AS,Nordlys Europe BV\n"
                 "T-2,trademark,POLARVEST,25,US,Nordlys AS,\n")
    first = run(env, "rights", "import", str(f))
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    assert "2 created, 0 updated, 0 unchanged, 0 rejected" in first.output  # type: ignore[attr-defined]
    again = run(env, "rights", "import", str(f))
    assert "0 created, 0 updated, 2 unchanged, 0 rejected" in again.output  # type: ignore[attr-defined]


def test_bad_file_names_line_column_reason_and_writes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "db", "upgrade")
    f = tmp_path / "bad.csv"
    f.write_text(HEADER + "T-1,trademark,NORDLYS,25,EU,Nordlys AS,\n"
                 "T-2,trademark,,25,EU,Nordlys AS,\n"
                 "T-3,trademark,SNOWGUARD,25,QQ,Nordlys AS,\n")
    result = CliRunner().invoke(app, ["rights", "import", str(f)], env=env)
    assert result.exit_code == 1
    out = result.output
    assert "line 3, column mark: is empty" in out
    assert "line 4, column jurisdictions: 'QQ' is not an ISO 3166 alpha-2 code or a region" in out
    assert "nothing was imported" in out
    # Nothing written: a good file with T-1 now creates it (it was not half-imported before).
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "T-1,trademark,NORDLYS,25,EU,Nordlys AS,\n")
    assert "1 created" in run(env, "rights", "import", str(good)).output  # type: ignore[attr-defined]


def test_skip_invalid_writes_a_rejects_file(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "db", "upgrade")
    f = tmp_path / "mixed.csv"
    f.write_text(HEADER + "T-1,trademark,NORDLYS,25,EU,Nordlys AS,\nT-2,trademark,FJELLTOPP,0,EU,Nordlys AS,\n")
    result = CliRunner().invoke(app, ["rights", "import", str(f), "--skip-invalid"], env=env)
    assert result.exit_code == 0
    assert "1 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    rejects = (tmp_path / "mixed.rejects.csv").read_text().splitlines()
    assert rejects[1].startswith("3,nice_classes,'0' is not a Nice class (1 to 45),T-2")


def test_demo_loads_once(env: dict[str, str]) -> None:
    run(env, "db", "upgrade")
    first = run(env, "demo", "load")
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    assert "330 rights" in first.output and "holder.aurelia" in first.output  # type: ignore[attr-defined]
    second = run(env, "demo", "load", "--if-empty")
    assert second.exit_code == 0 and "already present" in second.output  # type: ignore[attr-defined]
    refused = run(env, "demo", "load")
    assert refused.exit_code == 1  # type: ignore[attr-defined]
