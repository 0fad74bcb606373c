"""`ipec evidence export` and `ipec evidence verify`: a package verifies offline, and a change to any file byte,
manifest line, custody step or receipt makes verify fail, naming what does not match."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ipec.accounts import services as accounts
from ipec.cases import evidence, services
from ipec.cases.schemas import CaseIn, CustodyIn, MarkingIn, ParticipantIn
from ipec.cli import app
from ipec.config import Settings
from ipec.db.migrate import upgrade
from ipec.db.session import make_engine
from ipec.kernel.clock import FixedClock

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
SYSTEM = accounts.Actor("system", "system", "coordinator", None, "admin")
runner = CliRunner()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Settings, dict[str, str]]:
    """A node with one case holding two evidence items (one transferred and examined); its package."""
    root = tmp_path_factory.mktemp("evidence")
    settings = Settings(database_url=f"sqlite:///{root / 'node.db'}", var_dir=root / "var", node_name="test.ipec")
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    clock = FixedClock(NOW)
    with Session(engine, expire_on_commit=False) as s:
        sysctx = accounts.Context(session=s, clock=clock, actor=SYSTEM)
        fr = accounts.add_organisation(sysctx, "Douane FR", "customs", "FR")
        de = accounts.add_organisation(sysctx, "Zoll DE", "customs", "DE")
        officer = accounts.add_user(sysctx, "officer.fr", "Julien Martin", fr.id, "officer", "long-enough-pw")
        s.commit()
        ctx = accounts.Context(session=s, clock=clock, actor=accounts.actor_of(officer))
        case = services.open_case(ctx, CaseIn(title="Fake bearings", marking=MarkingIn(tlp="AMBER"),
                                              participants=[ParticipantIn(organisation_id=de.id)]))
        ev1 = evidence.add_evidence(ctx, settings.blob_dir, case.id, title="Photo of pallet", filename="pallet.jpg",
                                    data=b"\xff\xd8\xff pallet photo bytes", media_type="image/jpeg",
                                    place="Le Havre port", reason="seized at inspection")
        clock.advance(dt.timedelta(hours=2))
        evidence.record_custody(ctx, ev1.id, CustodyIn(action="transferred", place="Le Havre", reason="to lab",
                                                       to_org_id=de.id))
        evidence.record_custody(ctx, ev1.id, CustodyIn(action="examined", place="Lab", reason="compare packaging"))
        evidence.add_evidence(ctx, settings.blob_dir, case.id, title="Invoice", filename="invoice.pdf",
                              data=b"%PDF-1.4 invoice", media_type="application/pdf", place="Le Havre",
                              reason="found with the goods")
        ids = {"case": case.id, "reference": case.reference}
    engine.dispose()
    env = {"IPEC_DATABASE_URL": settings.database_url, "IPEC_VAR_DIR": str(settings.var_dir),
           "IPEC_NODE_NAME": settings.node_name}
    out = root / "package.zip"
    r = runner.invoke(app, ["evidence", "export", "--case", case.reference, "--out", str(out)], env=env)
    assert r.exit_code == 0, r.output
    ids["env"] = json.dumps(env)
    return out, settings, ids


def _key(settings: Settings) -> str:
    from ipec.ledger import keys

    signer = keys.load_signer(settings)
    assert signer is not None
    return signer.vkey


def _verify(path: Path, key: str) -> tuple[int, str]:
    r = runner.invoke(app, ["evidence", "verify", str(path), "--key", key])
    return r.exit_code, r.output


def test_package_verifies_offline(exported: tuple[Path, Settings, dict[str, str]]) -> None:
    path, settings, ids = exported
    code, output = _verify(path, _key(settings))
    assert code == 0, output
    assert f"OK: {ids['reference']}: 2 file(s), 4 custody step(s)" in output


def test_package_holds_files_manifest_custody_and_receipts(exported: tuple[Path, Settings, dict[str, str]]) -> None:
    path, _, _ = exported
    names = set(zipfile.ZipFile(path).namelist())
    assert {"manifest.jsonl", "custody.jsonl", "receipts/package.json"} <= names
    assert sum(n.startswith("files/") for n in names) == 2
    steps = [json.loads(line) for line in zipfile.ZipFile(path).read("custody.jsonl").splitlines()]
    assert [s["action"] for s in steps] == ["collected", "transferred", "examined", "collected"]
    assert steps[1]["previous_hash"] == steps[0]["step_hash"]


def _rewrite(path: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    src = zipfile.ZipFile(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in src.namelist():
            z.writestr(name, change(name, src.read(name)))
    target.write_bytes(buf.getvalue())
    return target


def _flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


def _edit_line(data: bytes, number: int, old: str, new: str) -> bytes:
    lines = data.split(b"\n")
    assert old.encode() in lines[number - 1], (old, lines[number - 1])
    lines[number - 1] = lines[number - 1].replace(old.encode(), new.encode(), 1)
    return b"\n".join(lines)


TAMPERING: list[tuple[str, Callable[[str, bytes], bytes], str]] = [
    ("file byte", lambda n, d: _flip_last_byte(d) if n.endswith("pallet.jpg") else d,
     "pallet.jpg: SHA-256"),
    ("other file byte", lambda n, d: b"X" + d[1:] if n.endswith("invoice.pdf") else d,
     "invoice.pdf: SHA-256"),
    ("manifest header line", lambda n, d: _edit_line(d, 1, "Fake bearings", "Fake bearing") if n == "manifest.jsonl"
     else d, "manifest.jsonl line 1: differs from the line logged at export"),
    ("manifest file line", lambda n, d: _edit_line(d, 2, '"media_type":"image/jpeg"', '"media_type":"image/png"')
     if n == "manifest.jsonl" else d, "manifest.jsonl line 2: differs"),
    ("custody step place", lambda n, d: _edit_line(d, 2, "Le Havre", "Rotterdam") if n == "custody.jsonl" else d,
     "custody.jsonl line 2 (custody of EV-2026-0001): step 2 (transferred) does not hash"),
    ("custody step reason", lambda n, d: _edit_line(d, 3, "compare packaging", "compare labels")
     if n == "custody.jsonl" else d, "custody.jsonl line 3"),
    ("custody step custodian name", lambda n, d: _edit_line(d, 1, "Julien Martin", "Julien Marin")
     if n == "custody.jsonl" else d, "custody.jsonl line 1 (step 1 of EV-2026-0001): by_name does not match"),
    ("custody step removed", lambda n, d: b"\n".join(x for i, x in enumerate(d.split(b"\n")) if i != 1)
     if n == "custody.jsonl" else d, "custody.jsonl line 2 (custody of EV-2026-0001): step 2 is numbered 3"),
    ("receipt proof", lambda n, d: d.replace(b'"tree_size": ', b'"tree_size": 1') if n.startswith("receipts/")
     and n != "receipts/package.json" else d, "does not verify"),
]


@pytest.mark.parametrize(("what", "change", "named"), TAMPERING, ids=[t[0] for t in TAMPERING])
def test_any_change_fails_and_is_named(exported: tuple[Path, Settings, dict[str, str]], tmp_path: Path, what: str,
                                       change: Callable[[str, bytes], bytes], named: str) -> None:
    path, settings, _ = exported
    bad = _rewrite(path, tmp_path / "bad.zip", change)
    code, output = _verify(bad, _key(settings))
    assert code == 1, output
    assert named in output, output


def test_wrong_key_is_refused(exported: tuple[Path, Settings, dict[str, str]]) -> None:
    from ipec.ledger.note import Signer

    path, _, _ = exported
    other = Signer.generate("test.ipec/ledger").vkey
    code, output = _verify(path, other)
    assert code == 1
    assert "receipts/package.json" in output and "does not verify" in output


def test_cases_list_json_names_ids(exported: tuple[Path, Settings, dict[str, str]]) -> None:
    _, _, ids = exported
    env = json.loads(ids["env"])
    r = runner.invoke(app, ["cases", "list", "--format", "json"], env=env)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(row["id"], row["reference"]) for row in rows] == [(ids["case"], ids["reference"])]
    outsider = runner.invoke(app, ["cases", "list", "--format", "json", "--as", "nobody"], env=env)
    assert outsider.exit_code == 2


def test_the_demo_package_verifies_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    env = {"IPEC_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "IPEC_VAR_DIR": str(tmp_path / "var")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)  # the demo stores evidence files under the node's var directory
    upgrade(env["IPEC_DATABASE_URL"])
    assert runner.invoke(app, ["demo", "load"], env=env).exit_code == 0
    listed = json.loads(runner.invoke(app, ["cases", "list", "--format", "json"], env=env).stdout)
    first = next(r for r in listed if r["reference"] == "CASE-2026-0001")
    out = tmp_path / "demo.zip"
    r = runner.invoke(app, ["evidence", "export", "--case", first["id"], "--out", str(out)], env=env)
    assert r.exit_code == 0, r.output
    key = runner.invoke(app, ["ledger", "public-key"], env=env).stdout.strip()
    code, output = _verify(out, key)
    assert code == 0, output
    assert "2 file(s), 3 custody step(s)" in output
