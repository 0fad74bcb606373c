"""Evidence packages, pure: the zip layout, and its offline verification with only the log's public key.

    manifest.jsonl          line 1 the header (case, export time, log origin and key); then one line per file
                            (path, SHA-256, size, media type, item hash, ledger index); then one line for the
                            custody chain file (its SHA-256 and number of steps)
    files/<ref>-<name>      the evidence files, byte for byte as stored
    custody.jsonl           one custody step per line, in order per item, with its hash, the previous hash, the
                            ledger index of its `custody.event` entry and the salt of its personal-data commitment
    receipts/<index>.json   a ledger receipt (ipec-ledger-receipt/v1) for every `evidence.item` and `custody.event`
    receipts/package.json   the receipt of the `evidence.package` entry logged at export: it holds the SHA-256 of
                            every manifest line, so a change to any line is named by its number

Every receipt proves its entry against the same signed checkpoint. `verify_package` checks everything and raises
PackageError naming the first thing that does not match.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ipec.cases import custody
from ipec.ledger.entries import canonical_json, commitment
from ipec.ledger.note import NoteError, Verifier
from ipec.ledger.receipts import ReceiptError, parse_receipt, verify_receipt

FORMAT = "ipec-evidence-package/v1"
MANIFEST = "manifest.jsonl"
CUSTODY = "custody.jsonl"
PACKAGE_RECEIPT = "receipts/package.json"
MAX_LINE_HASHES = 800  # keeps the evidence.package entry under the ledger's 64 KiB limit


class PackageError(ValueError):
    """The package does not verify; the message names the member, line or field and why."""


def receipt_path(index: int) -> str:
    return f"receipts/{index}.json"


def jsonl(rows: Sequence[dict[str, Any]]) -> bytes:
    # One canonical JSON object per line: a line is the unit a reader (and the verifier) names.
    return b"".join(canonical_json(r) + b"\n" for r in rows)


def manifest_rows(header: dict[str, Any], files: Sequence[dict[str, Any]], custody_bytes: bytes,
                  steps: int) -> list[dict[str, Any]]:
    return [
        {"format": FORMAT, **header},
        *({"kind": "file", **f} for f in files),
        {"kind": "custody", "path": CUSTODY, "sha256": custody.sha256_hex(custody_bytes), "steps": steps},
    ]


def package_entry(case_id: str, manifest: bytes) -> dict[str, Any]:
    """The record logged at export: the manifest's hash and, when it fits, the hash of each line."""
    lines = manifest.splitlines()
    record: dict[str, Any] = {"case_id": case_id, "manifest_sha256": custody.sha256_hex(manifest), "lines": len(lines)}
    if len(lines) <= MAX_LINE_HASHES:
        record["line_hashes"] = [custody.sha256_hex(line) for line in lines]
    return record


def write_zip(manifest: bytes, custody_bytes: bytes, files: dict[str, bytes], receipts: dict[str, dict[str, Any]]
              ) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(MANIFEST, manifest)
        for path, data in files.items():
            z.writestr(path, data)
        z.writestr(CUSTODY, custody_bytes)
        for path, receipt in sorted(receipts.items()):
            z.writestr(path, json.dumps(receipt, indent=1, sort_keys=True) + "\n")
    return buf.getvalue()


# --- verification ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    case_reference: str
    files: int
    steps: int
    receipts: int
    tree_size: int
    key: str
    key_from_package: bool


class _Package:
    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise PackageError(f"not a zip file: {exc}") from None
        self.names = set(self.zip.namelist())

    def read(self, name: str) -> bytes:
        if name not in self.names:
            raise PackageError(f"{name}: missing from the package")
        try:
            return self.zip.read(name)
        except (zipfile.BadZipFile, OSError) as exc:  # a changed byte in a compressed member fails its CRC
            raise PackageError(f"{name}: cannot be read ({exc})") from None


def _lines(data: bytes, name: str) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise PackageError(f"{name} line {number}: not JSON ({exc})") from None
        if not isinstance(row, dict):
            raise PackageError(f"{name} line {number}: not a JSON object")
        rows.append(row)
    return rows


class _Receipts:
    """Receipts checked once each, all against one checkpoint size."""

    def __init__(self, pkg: _Package, key: Verifier) -> None:
        self.pkg, self.key = pkg, key
        self.size: int | None = None
        self.checked: dict[str, dict[str, Any]] = {}

    def entry(self, path: str, what: str) -> tuple[int, dict[str, Any]]:
        if path not in self.checked:
            try:
                result = verify_receipt(parse_receipt(self.pkg.read(path)), self.key)
            except ReceiptError as exc:
                raise PackageError(f"{path} (receipt for {what}) does not verify: {exc}") from None
            if self.size is None:
                self.size = result.checkpoint.size
            elif result.checkpoint.size != self.size:
                raise PackageError(f"{path}: proves against tree size {result.checkpoint.size}, the package "
                                   f"against {self.size}")
            self.checked[path] = {"index": result.index, "record": json.loads(result.entry)}
        found = self.checked[path]
        return found["index"], found["record"]


def _key(header: dict[str, Any], given: Verifier | None) -> tuple[Verifier, bool]:
    if given is not None:
        return given, False
    try:
        return Verifier.from_vkey(str(header.get("log_key", ""))), True
    except NoteError as exc:
        raise PackageError(f"{MANIFEST} line 1: log_key is not a verifier key ({exc})") from None


def _expect(actual: dict[str, Any], expected: dict[str, Any], where: str, source: str) -> None:
    for name, value in expected.items():
        if actual.get(name) != value:
            raise PackageError(f"{where}: {name} is {value!r} but {source} says {actual.get(name)!r}")


def verify_package(data: bytes, key: Verifier | None = None) -> Verified:
    pkg = _Package(data)
    manifest = pkg.read(MANIFEST)
    rows = _lines(manifest, MANIFEST)
    if not rows or rows[0].get("format") != FORMAT:
        raise PackageError(f"{MANIFEST} line 1: format is not {FORMAT!r}")
    header = rows[0]
    verifier, from_package = _key(header, key)
    receipts = _Receipts(pkg, verifier)

    # 1. The manifest, line by line, against the hashes logged when the package was made.
    _, logged = receipts.entry(PACKAGE_RECEIPT, "the package")
    if logged.get("type") != "evidence.package" or logged.get("case_id") != header.get("case_id"):
        raise PackageError(f"{PACKAGE_RECEIPT}: not the evidence.package entry of case {header.get('case_id')}")
    raw_lines = manifest.splitlines()
    hashes = logged.get("line_hashes")
    if isinstance(hashes, list):
        if len(raw_lines) != len(hashes):
            raise PackageError(f"{MANIFEST}: has {len(raw_lines)} lines, {len(hashes)} were logged at export")
        for number, (line, logged_hash) in enumerate(zip(raw_lines, hashes, strict=True), start=1):
            if custody.sha256_hex(line) != logged_hash:
                raise PackageError(f"{MANIFEST} line {number}: differs from the line logged at export")
    if custody.sha256_hex(manifest) != logged.get("manifest_sha256"):
        raise PackageError(f"{MANIFEST}: its SHA-256 differs from the one logged at export")

    files = [(n, r) for n, r in enumerate(rows, start=1) if r.get("kind") == "file"]
    chains = [r for r in rows if r.get("kind") == "custody"]
    if len(chains) != 1:
        raise PackageError(f"{MANIFEST}: needs exactly one custody line, found {len(chains)}")

    # 2. Each file: its bytes against its manifest line, its manifest line against its evidence.item entry.
    items: dict[str, dict[str, Any]] = {}
    for number, row in files:
        where = f"{MANIFEST} line {number} ({row.get('reference')})"
        path = str(row.get("path", ""))
        _, entry = receipts.entry(receipt_path(int(row.get("ledger_index", -1))), f"evidence {row.get('reference')}")
        if entry.get("type") != "evidence.item":
            raise PackageError(f"{where}: ledger entry {row.get('ledger_index')} is not an evidence.item")
        _expect(entry, {k: row.get(k) for k in (*custody.ITEM_FIELDS, "item_hash")}, where, "the ledger entry")
        if custody.item_hash(row) != row.get("item_hash"):
            raise PackageError(f"{where}: item_hash does not match the item's facts")
        content = pkg.read(path)
        if len(content) != row.get("size"):
            raise PackageError(f"{path}: {len(content)} bytes, the manifest says {row.get('size')}")
        if custody.sha256_hex(content) != row.get("sha256"):
            raise PackageError(f"{path}: SHA-256 {custody.sha256_hex(content)} does not match the manifest "
                               f"({row.get('sha256')})")
        items[str(row["evidence_id"])] = row

    # 3. The custody chain: each step hashed, linked to the one before, and logged as a custody.event.
    custody_bytes = pkg.read(CUSTODY)
    steps = _lines(custody_bytes, CUSTODY)
    by_item: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, step in enumerate(steps, start=1):
        by_item.setdefault(str(step.get("evidence_id")), []).append((number, step))
    for evidence_id, numbered in by_item.items():
        if evidence_id not in items:
            raise PackageError(f"{CUSTODY} line {numbered[0][0]}: step of an item not in the manifest")
        problem = custody.chain_problem(items[evidence_id], [s for _, s in numbered])
        if problem:
            first_bad = _bad_line(items[evidence_id], numbered)
            raise PackageError(f"{CUSTODY} line {first_bad} (custody of {items[evidence_id]['reference']}): {problem}")
        for number, step in numbered:
            where = f"{CUSTODY} line {number} (step {step['seq']} of {items[evidence_id]['reference']})"
            _, entry = receipts.entry(receipt_path(int(step.get("ledger_index", -1))), where)
            if entry.get("type") != "custody.event":
                raise PackageError(f"{where}: ledger entry {step.get('ledger_index')} is not a custody.event")
            _expect(entry, {k: step.get(k) for k in ("evidence_id", "seq", "action", "step_hash", "previous_hash")},
                    where, "the ledger entry")
            if step.get("personal_salt") is None and step.get("by_name") is None:
                continue  # the custodian's name was erased (data protection): the entry commits to nothing shown
            try:
                salt = bytes.fromhex(str(step.get("personal_salt")))
            except ValueError:
                raise PackageError(f"{where}: personal_salt is not hex") from None
            personal = canonical_json({"by_name": step.get("by_name")})
            if commitment(salt, personal) != entry.get("personal_commitment"):
                raise PackageError(f"{where}: by_name does not match the ledger entry's personal-data commitment")
    for evidence_id, row in items.items():
        if evidence_id not in by_item:
            raise PackageError(f"{CUSTODY}: no custody step for {row['reference']}")
    chain = chains[0]
    if custody.sha256_hex(custody_bytes) != chain.get("sha256") or len(steps) != chain.get("steps"):
        raise PackageError(f"{CUSTODY}: differs from its manifest line (SHA-256 or number of steps)")
    return Verified(str(header.get("case_reference")), len(files), len(steps), len(receipts.checked),
                    receipts.size or 0, verifier.vkey, from_package)


def _bad_line(item: dict[str, Any], numbered: list[tuple[int, dict[str, Any]]]) -> int:
    """The custody.jsonl line of the first step whose chain breaks."""
    for i in range(1, len(numbered) + 1):
        if custody.chain_problem(item, [s for _, s in numbered[:i]]):
            return numbered[i - 1][0]
    return numbered[0][0]
