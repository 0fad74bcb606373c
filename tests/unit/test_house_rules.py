"""House rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "ipec"


def test_only_config_reads_the_environment() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "config.py" and re.search(r"os\.environ|os\.getenv|getenv\(", path.read_text("utf-8"))
    ]
    assert offenders == []


def test_no_utils_modules() -> None:
    assert [p.name for p in SRC.rglob("utils.py")] == []


def test_migrations_never_use_create_all() -> None:
    hits = [p.name for p in (SRC / "db" / "migrations").rglob("*.py") if "create_all" in p.read_text("utf-8")]
    assert hits == []
