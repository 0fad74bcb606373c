"""JSON routes of ledger (thin: parse, call services, shape the answer).

The log is public by design (entries carry no personal data): reads need no login, so any agency, court or holder
can fetch checkpoints and proofs and check them against the node's published key.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ipec.ledger import keys, services
from ipec.ledger.models import Entry

router = APIRouter(prefix="/api/v1", tags=["ledger"])
# The public key also lives at a well-known address, outside /api/v1, so verifiers find it without docs.
well_known_router = APIRouter(tags=["ledger"])

CHECKPOINT_MEDIA = "text/plain; charset=utf-8"


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(_session)]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "index": entry.idx,
        "entry_type": entry.entry_type,
        "entry": _b64(entry.data),
        "record": json.loads(entry.data),
        "leaf_hash": _b64(entry.leaf_hash),
    }


def _public_key(request: Request) -> PlainTextResponse:
    signer = keys.load_signer(request.app.state.settings)
    if signer is None:
        return PlainTextResponse("the ledger key has not been created yet\n", status_code=503)
    return PlainTextResponse(signer.vkey + "\n", media_type=CHECKPOINT_MEDIA)


@well_known_router.get("/.well-known/ipec/ledger-key", response_class=PlainTextResponse)
def well_known_key(request: Request) -> PlainTextResponse:
    """The node's log verifier key (`name+keyid+base64key`, Go note format)."""
    return _public_key(request)


@router.get("/ledger/key", response_class=PlainTextResponse)
def ledger_key(request: Request) -> PlainTextResponse:
    """Same as /.well-known/ipec/ledger-key."""
    return _public_key(request)


@router.get("/ledger/checkpoint", response_class=PlainTextResponse)
def checkpoint(session: SessionDep) -> PlainTextResponse:
    """The latest signed checkpoint (C2SP tlog-checkpoint), with witness cosignatures."""
    row = services.latest_checkpoint(session)
    return PlainTextResponse(services.cosigned_note(session, row), media_type=CHECKPOINT_MEDIA)


@router.get("/ledger/checkpoints/{size}", response_class=PlainTextResponse)
def checkpoint_at(size: int, session: SessionDep) -> PlainTextResponse:
    row = services.checkpoint_at(session, size)
    return PlainTextResponse(services.cosigned_note(session, row), media_type=CHECKPOINT_MEDIA)


@router.get("/ledger/entries")
def entries(
    session: SessionDep,
    start: Annotated[int, Query(ge=0)] = 0,
    end: Annotated[int | None, Query(ge=1, description="exclusive; at most 1000 entries per page")] = None,
) -> dict[str, Any]:
    rows = services.entries_range(session, start, end if end is not None else start + services.MAX_RANGE)
    return {"entries": [_entry_json(e) for e in rows]}


@router.get("/ledger/entries/{index}")
def entry(index: int, session: SessionDep) -> dict[str, Any]:
    return _entry_json(services.get_entry(session, index))


@router.get("/ledger/entries/{index}/proof")
def inclusion(index: int, session: SessionDep, tree_size: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    """Inclusion proof of entry `index` in the tree of `tree_size` (the latest checkpoint by default)."""
    size, proof = services.inclusion_proof(session, index, tree_size)
    return {
        "index": index,
        "tree_size": size,
        "leaf_hash": _b64(services.get_entry(session, index).leaf_hash),
        "inclusion_proof": [_b64(h) for h in proof],
        "checkpoint": services.signed_checkpoint(session, size),
    }


@router.get("/ledger/proof/consistency")
def consistency(
    session: SessionDep, first: Annotated[int, Query(ge=0)], second: Annotated[int, Query(ge=0)]
) -> dict[str, Any]:
    """Consistency proof between the trees of sizes `first` and `second` (RFC 9162 §2.1.4)."""
    proof = services.consistency_proof(session, first, second)
    return {"first": first, "second": second, "consistency_proof": [_b64(h) for h in proof]}


@router.get("/ledger/entries/{index}/receipt")
def receipt(
    index: int, request: Request, session: SessionDep, tree_size: Annotated[int | None, Query(ge=1)] = None
) -> Response:
    """One downloadable file: the entry, its inclusion proof and the signed checkpoint (verify offline)."""
    body = services.receipt(session, index, keys.origin(request.app.state.settings), tree_size)
    return Response(
        json.dumps(body, indent=2, ensure_ascii=False) + "\n",
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="ledger-receipt-{index}.json"'},
    )


@router.get("/ledger/queue/{queue_id}")
def queued(queue_id: int, session: SessionDep) -> dict[str, Any]:
    """Where the entry `append` queued under `queue_id` ended up (index null while still queued)."""
    return {"queue_id": queue_id, "index": services.index_of(session, queue_id)}


class CosignatureIn(BaseModel):
    witness_key: str = Field(description="the witness's verifier key, name+keyid+base64key", max_length=300)
    signature: str = Field(description="one note signature line: '— name base64'", max_length=500)


@router.post("/ledger/checkpoints/{size}/cosignatures", status_code=201)
def cosign(size: int, body: CosignatureIn, request: Request, session: SessionDep) -> dict[str, Any]:
    """Store a witness cosignature; it is checked against the checkpoint and the given witness key first."""
    row = services.add_cosignature(session, size, body.witness_key, body.signature, request.app.state.clock)
    return {"checkpoint_size": row.checkpoint_size, "witness_key": row.witness_vkey}
