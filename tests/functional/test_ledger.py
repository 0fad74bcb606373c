"""The ledger over HTTP and at the shell: a node's receipt verifies offline with only its public key; audit and
witness commands fail loudly, naming what is wrong."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ipec.config import Settings
from ipec.db.migrate import upgrade
from ipec.db.session import make_engine, make_session_factory, unit_of_work
from ipec.kernel.clock import FixedClock
from ipec.ledger import api, keys, services, tasks
from ipec.ledger.cli import app as ledger_cli
from ipec.web import errors

from ..conftest import NOW

runner = CliRunner()


class LedgerNode:
    def __init__(self, tmp_path: Path) -> None:
        self.db = tmp_path / "node.db"
        self.settings = Settings(database_url=f"sqlite:///{self.db}", var_dir=tmp_path / "var", node_name="test.ipec")
        upgrade(self.settings.database_url)
        self.engine = make_engine(self.settings.database_url)
        self.session_factory = make_session_factory(self.engine)
        self.clock = FixedClock(NOW)
        self.env = {
            "IPEC_DATABASE_URL": self.settings.database_url,
            "IPEC_VAR_DIR": str(self.settings.var_dir),
            "IPEC_NODE_NAME": "test.ipec",
        }

    def append(self, n: int, entry_type: str = "evidence.item") -> list[int]:
        with unit_of_work(self.session_factory) as s:
            ids = [services.append(s, entry_type, {"item": f"EV-{i}", "seal": f"{i:06d}"}).queue_id for i in range(n)]
        return ids

    def integrate(self) -> int:
        return services.integrate_pending(self.session_factory, self.settings, self.clock)

    def vkey(self) -> str:
        signer = keys.load_signer(self.settings)
        assert signer is not None
        return signer.vkey


@pytest.fixture
def ledger_node(tmp_path: Path) -> Iterator[LedgerNode]:
    node = LedgerNode(tmp_path)
    yield node
    node.engine.dispose()


@pytest.fixture
def client(ledger_node: LedgerNode) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.settings = ledger_node.settings
    app.state.session_factory = ledger_node.session_factory
    app.state.clock = ledger_node.clock
    errors.install(app)
    app.include_router(api.router)
    app.include_router(api.well_known_router)
    with TestClient(app) as c:
        yield c


def test_startup_creates_a_private_key_and_announces_it(ledger_node: LedgerNode) -> None:
    import asyncio

    state = type(
        "State",
        (),
        {
            "settings": ledger_node.settings,
            "session_factory": ledger_node.session_factory,
            "clock": ledger_node.clock,
            "start_background": False,
        },
    )()
    asyncio.run(tasks.on_startup(state))
    path = keys.key_path(ledger_node.settings)
    assert path.stat().st_mode & 0o777 == 0o600
    assert ledger_node.integrate() == 1  # the ledger.key entry
    with ledger_node.session_factory() as s:
        assert json.loads(services.get_entry(s, 0).data) == {
            "type": "ledger.key",
            "vkey": ledger_node.vkey(),
            "previous_vkey": None,
        }
    asyncio.run(tasks.on_startup(state))  # second start: same key, no second announcement
    assert ledger_node.integrate() == 0


def test_sequencer_task_integrates_in_the_background(ledger_node: LedgerNode) -> None:
    import asyncio

    state = type(
        "State",
        (),
        {"settings": ledger_node.settings, "session_factory": ledger_node.session_factory, "clock": ledger_node.clock},
    )()

    async def scenario() -> int:
        await tasks.on_startup(state)
        await asyncio.to_thread(ledger_node.append, 300)
        for _ in range(200):  # the sequencer polls every 250 ms; give it up to 10 s on a busy machine
            await asyncio.sleep(0.05)
            with ledger_node.session_factory() as s:
                if services.tree_size(s) == 301:
                    break
        await tasks.on_shutdown(state)
        with ledger_node.session_factory() as s:
            return services.latest_checkpoint(s).size

    assert asyncio.run(scenario()) == 301


def test_api_serves_checkpoint_entries_proofs_and_a_receipt_that_verifies_offline(
    ledger_node: LedgerNode, client: TestClient, tmp_path: Path
) -> None:
    queue_ids = ledger_node.append(20)
    ledger_node.integrate()
    key = client.get("/.well-known/ipec/ledger-key").text.strip()
    assert key == ledger_node.vkey() == client.get("/api/v1/ledger/key").text.strip()

    checkpoint = client.get("/api/v1/ledger/checkpoint").text
    assert checkpoint.startswith("test.ipec/ledger\n21\n")
    index = client.get(f"/api/v1/ledger/queue/{queue_ids[5]}").json()["index"]
    entry = client.get(f"/api/v1/ledger/entries/{index}").json()
    assert entry["record"] == {"type": "evidence.item", "item": "EV-5", "seal": "000005"}
    assert len(client.get("/api/v1/ledger/entries", params={"start": 3, "end": 9}).json()["entries"]) == 6
    proof = client.get(f"/api/v1/ledger/entries/{index}/proof").json()
    assert proof["tree_size"] == 21 and len(proof["inclusion_proof"]) == 5
    assert client.get("/api/v1/ledger/proof/consistency", params={"first": 1, "second": 21}).status_code == 200

    r = client.get(f"/api/v1/ledger/entries/{index}/receipt")
    assert r.headers["content-disposition"] == f'attachment; filename="ledger-receipt-{index}.json"'
    receipt = tmp_path / "receipt.json"
    receipt.write_bytes(r.content)
    (tmp_path / "log.pub").write_text(key + "\n")
    # offline: no database, no settings, only the file and the key
    result = runner.invoke(ledger_cli, ["verify", str(receipt), "--key", str(tmp_path / "log.pub")])
    assert result.exit_code == 0, result.output
    assert f"OK: entry {index} is in test.ipec/ledger at tree size 21" in result.output

    body = json.loads(r.content)
    body["entry"] = base64.b64encode(base64.b64decode(body["entry"]).replace(b"EV-5", b"EV-6")).decode()
    receipt.write_text(json.dumps(body))
    result = runner.invoke(ledger_cli, ["verify", str(receipt), "--key", key])
    assert result.exit_code == 1
    assert "does not verify: inclusion proof for index" in result.output


def test_api_answers_bad_requests_with_problems(ledger_node: LedgerNode, client: TestClient) -> None:
    assert client.get("/api/v1/ledger/checkpoint").status_code == 404
    ledger_node.append(3)
    ledger_node.integrate()
    r = client.get("/api/v1/ledger/entries/99")
    assert r.status_code == 404 and r.json()["detail"] == "no ledger entry at index 99"
    r = client.get("/api/v1/ledger/proof/consistency", params={"first": 3, "second": 2})
    assert r.status_code == 422 and "need 0 <= first (3) <= second (2)" in r.json()["detail"]


def _write_key(tmp_path: Path, name: str) -> tuple[Path, str]:
    path = tmp_path / f"{name}.key"
    result = runner.invoke(ledger_cli, ["witness", "keygen", f"{name}.example/witness", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path, result.output.strip()


def test_witnesses_cosign_only_consistent_checkpoints_and_verify_requires_k_of_n(
    ledger_node: LedgerNode, client: TestClient, tmp_path: Path
) -> None:
    ledger_node.append(5)
    ledger_node.integrate()
    log_key = ledger_node.vkey()
    wits = {name: _write_key(tmp_path, name) for name in ("de", "fr", "es")}

    def cosign(name: str) -> None:
        path, vkey = wits[name]
        cp_file, proof_file = tmp_path / "cp.txt", tmp_path / "proof.json"
        cp_file.write_text(client.get("/api/v1/ledger/checkpoint").text)
        state = tmp_path / f"{name}.state"
        first = json.loads(state.read_text())["size"] if state.exists() else None
        args = [
            "witness",
            "cosign",
            "--log-key",
            log_key,
            "--key",
            str(path),
            "--state",
            str(state),
            "--checkpoint",
            str(cp_file),
        ]
        if first is not None:
            size = int(cp_file.read_text().split("\n")[1])
            proof_file.write_text(
                client.get("/api/v1/ledger/proof/consistency", params={"first": first, "second": size}).text
            )
            args += ["--proof", str(proof_file)]
        result = runner.invoke(ledger_cli, args)
        assert result.exit_code == 0, result.output
        line = result.output.strip().splitlines()[-1]
        size = int(cp_file.read_text().split("\n")[1])
        r = client.post(
            f"/api/v1/ledger/checkpoints/{size}/cosignatures", json={"witness_key": vkey, "signature": line}
        )
        assert r.status_code == 201, r.text

    cosign("de")
    ledger_node.append(7)
    ledger_node.integrate()
    cosign("de")  # second time: with a consistency proof from size 6 to 13
    cosign("fr")

    receipt = tmp_path / "r.json"
    receipt.write_bytes(client.get("/api/v1/ledger/entries/3/receipt").content)
    witness_args = [a for name in ("de", "fr", "es") for a in ("--witness-key", wits[name][1])]
    ok = runner.invoke(ledger_cli, ["verify", str(receipt), "--key", log_key, *witness_args, "-k", "2"])
    assert ok.exit_code == 0, ok.output
    assert "cosigned by 2 of 3 witnesses" in ok.output
    short = runner.invoke(ledger_cli, ["verify", str(receipt), "--key", log_key, *witness_args, "-k", "3"])
    assert short.exit_code == 1
    assert "has 2 valid witness cosignatures" in short.output

    # a witness that has seen size 13 refuses an older checkpoint (a rollback)
    old = tmp_path / "old.txt"
    old.write_text(client.get("/api/v1/ledger/checkpoints/6").text)
    refused = runner.invoke(
        ledger_cli,
        [
            "witness",
            "cosign",
            "--log-key",
            log_key,
            "--key",
            str(wits["de"][0]),
            "--state",
            str(tmp_path / "de.state"),
            "--checkpoint",
            str(old),
        ],
    )
    assert refused.exit_code == 1
    assert "checkpoint size 6 is smaller than the last cosigned size 13" in refused.output


def test_audit_cli_passes_then_names_the_tampered_entry(ledger_node: LedgerNode) -> None:
    ledger_node.append(30)
    ledger_node.integrate()
    ok = runner.invoke(ledger_cli, ["audit"], env=ledger_node.env)
    assert ok.exit_code == 0, ok.output
    assert "OK: 31 entries, 1 checkpoints" in ok.output

    with sqlite3.connect(ledger_node.db) as db:  # an intruder: drop the guard, edit one byte
        db.execute("DROP TRIGGER ledger_entries_no_update")
        db.execute("UPDATE ledger_entries SET data = replace(data, 'EV-13', 'EV-31') WHERE idx = 13")
    bad = runner.invoke(ledger_cli, ["audit"], env=ledger_node.env)
    assert bad.exit_code == 1, bad.output
    assert "FAIL entry 13: stored leaf hash" in bad.output
    assert "audit failed" in bad.output


def test_receipt_and_checkpoint_commands_read_the_local_node(ledger_node: LedgerNode, tmp_path: Path) -> None:
    ledger_node.append(2)
    ledger_node.integrate()
    out = tmp_path / "r.json"
    result = runner.invoke(ledger_cli, ["receipt", "1", "-o", str(out)], env=ledger_node.env)
    assert result.exit_code == 0, result.output
    verified = runner.invoke(ledger_cli, ["verify", str(out), "--key", ledger_node.vkey()])
    assert verified.exit_code == 0, verified.output
    cp = runner.invoke(ledger_cli, ["checkpoint"], env=ledger_node.env)
    assert cp.output.startswith("test.ipec/ledger\n3\n")
