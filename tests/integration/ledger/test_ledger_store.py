"""The ledger store: append, batched sequencing, proofs from stored node hashes, append-only guards, audit."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from ipec.kernel.errors import NotFound, ValidationFailed
from ipec.ledger import merkle, services
from ipec.ledger.audit import audit
from ipec.ledger.entries import commitment
from ipec.ledger.models import CheckpointRow, Entry, PersonalData
from ipec.ledger.note import Signer, open_checkpoint
from ipec.ledger.receipts import ReceiptError, verify_receipt

from .conftest import ORIGIN, Log

pytestmark = pytest.mark.backend


def test_append_queues_canonical_json_and_keeps_personal_data_beside_the_log(log: Log) -> None:
    appended = services.append(
        log.session,
        "seizure.recorded",
        {"seizure_id": "S-1", "quantity": 1200, "goods": "Sneakers «ACME»"},
        personal={"declarant": "Jane Roe", "passport": "X1234567"},
    )
    assert appended.queue_id > 0
    record = json.loads(appended.data)
    assert appended.data == json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert record["type"] == "seizure.recorded"
    assert "Jane" not in appended.data.decode()
    stored = log.session.get(PersonalData, appended.personal_commitment)
    assert stored is not None
    assert commitment(stored.salt, stored.data) == record["personal_commitment"]
    assert services.personal_data(log.session, record["personal_commitment"]) == {
        "declarant": "Jane Roe",
        "passport": "X1234567",
    }

    log.integrate()
    assert services.erase_personal(log.session, appended.personal_commitment)
    assert services.personal_data(log.session, appended.personal_commitment) is None
    index = services.index_of(log.session, appended.queue_id)
    assert index is not None
    assert services.get_entry(log.session, index).data == appended.data  # the entry is untouched by erasure
    assert audit(log.session, ORIGIN, [log.signer.verifier()]).ok


@pytest.mark.parametrize(
    ("entry_type", "record", "field"),
    [
        ("Right Registered", {}, "entry_type"),
        ("ledger.key", {}, "entry_type"),
        ("right.registered", {"type": "x"}, "record.type"),
        ("right.registered", {"score": float("nan")}, "record"),
    ],
)
def test_bad_appends_name_the_field(log: Log, entry_type: str, record: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.append(log.session, entry_type, record)
    assert caught.value.problems[0].field == field


def test_batches_of_256_each_sign_a_checkpoint_consistent_with_the_last(log: Log) -> None:
    log.fill(600)
    batches = log.integrate()
    # 1 key entry + 600 records = 601 entries: 256 + 256 + 89
    assert [b.count for b in batches] == [256, 256, 89]
    assert [b.checkpoint.size for b in batches] == [256, 512, 601]
    assert log.session.scalar(select(func.count()).select_from(Entry)) == 601
    assert services.integrate_batch(log.session, log.signer, ORIGIN, log.clock) is None

    data = [bytes(d) for d in log.session.scalars(select(Entry.data).order_by(Entry.idx))]
    verifier = log.signer.verifier()
    roots = {}
    for b in batches:
        cp, _ = open_checkpoint(services.checkpoint_at(log.session, b.checkpoint.size).note, [verifier], ORIGIN)
        assert cp.root_hash == merkle.root(data[: cp.size])
        roots[cp.size] = cp.root_hash
    proof = services.consistency_proof(log.session, 256, 601)
    assert proof == merkle.consistency_proof(data, 256)
    merkle.verify_consistency(256, 601, roots[256], roots[601], proof)
    for index in (0, 1, 255, 256, 511, 600):
        size, path = services.inclusion_proof(log.session, index)
        assert size == 601
        assert path == merkle.inclusion_proof(data, index)
        merkle.verify_inclusion(merkle.leaf_hash(data[index]), index, 601, path, roots[601])


def test_receipt_verifies_with_only_the_public_key_and_fails_when_altered(log: Log) -> None:
    appended = services.append(log.session, "right.registered", {"right_id": "EU-1", "mark": "ACME"})
    log.fill(40)
    log.integrate()
    index = services.index_of(log.session, appended.queue_id)
    assert index is not None
    receipt = json.loads(json.dumps(services.receipt(log.session, index, ORIGIN)))

    result = verify_receipt(receipt, log.signer.verifier())
    assert json.loads(result.entry)["right_id"] == "EU-1"

    forged = dict(receipt, entry=base64.b64encode(appended.data.replace(b"ACME", b"ACNE")).decode())
    with pytest.raises(ReceiptError, match="inclusion proof"):
        verify_receipt(forged, log.signer.verifier())
    with pytest.raises(ReceiptError, match="no signature by a known key"):
        verify_receipt(receipt, Signer.generate(ORIGIN).verifier())


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_entries SET data = :junk WHERE idx = 1",
        "DELETE FROM ledger_entries WHERE idx = 1",
        "UPDATE ledger_nodes SET hash = :junk WHERE level = 1",
        "DELETE FROM ledger_nodes",
        "UPDATE ledger_checkpoints SET note = 'x'",
        "DELETE FROM ledger_checkpoints",
    ],
)
def test_log_tables_are_append_only(log: Log, sql: str) -> None:
    log.fill(10)
    log.integrate()
    nested = log.session.begin_nested()
    with pytest.raises(DBAPIError, match="append-only"):
        log.session.execute(text(sql), {"junk": b"\x00" * 32})
    nested.rollback()


def test_audit_passes_on_an_untouched_log(log: Log) -> None:
    log.fill(300)
    log.integrate()
    report = audit(log.session, ORIGIN, [log.signer.verifier()])
    assert report.ok, report.findings
    assert (report.size, report.checkpoints) == (301, 2)


def test_audit_names_a_changed_entry(log: Log) -> None:
    log.fill(300)
    log.integrate()
    original = bytes(log.session.scalar(select(Entry.data).where(Entry.idx == 77)))
    log.tamper(
        "ledger_entries", "UPDATE ledger_entries SET data = :d WHERE idx = 77", d=original.replace(b"E-76", b"E-67")
    )
    findings = audit(log.session, ORIGIN, [log.signer.verifier()]).findings
    assert findings[0].startswith("entry 77: stored leaf hash")
    assert any(f.startswith("checkpoint 256: signed root") for f in findings)


def test_audit_names_a_changed_node_hash_and_the_sequencer_refuses_to_sign(log: Log) -> None:
    log.fill(300)
    log.integrate()
    log.tamper("ledger_nodes", "UPDATE ledger_nodes SET hash = :h WHERE level = 8 AND idx = 0", h=b"\x11" * 32)
    findings = audit(log.session, ORIGIN, [log.signer.verifier()]).findings
    assert findings == [f"node (level 8, index 0): stored {'11' * 32} != recomputed " + findings[0].rsplit(" ", 1)[1]]
    log.fill(5, start=1000)
    with pytest.raises(services.LedgerCorrupted, match="does not match its signed checkpoint"):
        log.integrate()


def test_audit_names_a_changed_checkpoint(log: Log) -> None:
    log.fill(300)
    log.integrate()
    note = log.session.get(CheckpointRow, 256).note
    log.tamper(
        "ledger_checkpoints",
        "UPDATE ledger_checkpoints SET note = :n WHERE size = 256",
        n=note.replace("256", "255", 1),
    )
    log.session.expire_all()
    findings = audit(log.session, ORIGIN, [log.signer.verifier()]).findings
    assert findings and findings[0].startswith("checkpoint 256: signature by test.ipec/ledger")


def test_audit_refuses_checkpoints_signed_by_an_unknown_key(log: Log) -> None:
    log.fill(3)
    log.integrate()
    with pytest.raises(NotFound):
        services.checkpoint_at(log.session, 3)
    report = audit(log.session, ORIGIN, [Signer.generate(ORIGIN).verifier()])
    assert report.findings == [
        "checkpoint 4 (the latest) is not signed by a trusted key: no signature by a known key "
        f"(note is signed by {ORIGIN}+{log.signer.key_id.hex()})"
    ]
