"""The NATS JetStream screening worker.

Declarations arrive as JSON objects (the DECLARATIONS.csv columns as keys) on `subject`, stored in `stream`.
Every worker pulls from the same durable consumer, so JetStream hands each message to one of them: start more
workers (on more machines) to split a national stream of parcels.

Nothing is lost when a worker dies: a message is acknowledged only after its result is stored, so an
unacknowledged one is redelivered to another worker after `ack_wait`. Results are idempotent on the
declaration id: each result is published with the header `Nats-Msg-Id: <declaration_id>`, and the hits stream
drops a second publication of the same id within its duplicate window, so a redelivered declaration never
yields two results.

Output, on `hits_subject` (stream `hits_stream`): one message per declaration with hits,
`{"declaration_id": ..., "hits": [{right_id, score, reasons, mark, matched, start, end}, ...]}`. A declaration
that fails validation is published on `<hits_subject>.rejected` with its problems, and acknowledged: redelivery
would not make it valid.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from dataclasses import dataclass, field

import nats
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, StreamConfig
from nats.js.errors import NotFoundError

from ipec.screening import csvio
from ipec.screening.engine import Hit, Screener
from ipec.screening.rules import Declaration

log = logging.getLogger(__name__)


@dataclass
class WorkerConfig:
    url: str = "nats://127.0.0.1:4222"
    stream: str = "DECLARATIONS"
    subject: str = "ipec.declarations"
    durable: str = "screeners"
    hits_stream: str = "SCREENING_HITS"
    hits_subject: str = "ipec.screening.hits"
    batch: int = 100
    ack_wait: float = 30.0  # seconds before an unacknowledged declaration goes to another worker
    duplicate_window: float = 24 * 3600.0  # seconds a declaration id is remembered by the hits stream
    name: str = "screener"


@dataclass
class WorkerStats:
    screened: int = 0
    hits: int = 0
    rejected: int = 0
    ids: list[str] = field(default_factory=list)


async def ensure_streams(js: nats.js.JetStreamContext, config: WorkerConfig) -> None:
    """Create the two streams when missing (an existing stream is left as its operator configured it)."""
    wanted = [
        StreamConfig(name=config.stream, subjects=[config.subject]),
        StreamConfig(
            name=config.hits_stream,
            subjects=[config.hits_subject, f"{config.hits_subject}.>"],
            duplicate_window=config.duplicate_window,
        ),
    ]
    for stream in wanted:
        assert stream.name is not None
        try:
            await js.stream_info(stream.name)
        except NotFoundError:
            await js.add_stream(stream)


def parse_message(data: bytes) -> Declaration | list[str]:
    """A declaration from a JSON message, or the problems that refuse it."""
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"not JSON: {exc}"]
    if not isinstance(raw, dict):
        return ["not a JSON object"]
    row = {k: "" if raw.get(k) is None else str(raw.get(k)).strip() for k in csvio.DECLARATION_COLUMNS}
    parsed = csvio.parse_declaration(row, 0)
    if isinstance(parsed, Declaration):
        return parsed
    return [f"{p.field}: {p.reason}" for p in parsed]


async def serve(
    screener: Screener,
    config: WorkerConfig,
    stop: asyncio.Event | None = None,
    stats: WorkerStats | None = None,
) -> WorkerStats:
    """Pull, screen, publish, acknowledge, until `stop` is set (or forever)."""
    stats = stats or WorkerStats()
    if stop is None:
        # Run until SIGTERM/SIGINT, then finish the batch in hand (whatever is unacknowledged is redelivered).
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
    nc = await nats.connect(config.url, name=config.name)
    try:
        js = nc.jetstream()
        await ensure_streams(js, config)
        consumer = ConsumerConfig(
            durable_name=config.durable, ack_policy=AckPolicy.EXPLICIT, ack_wait=config.ack_wait
        )
        pull = await js.pull_subscribe(config.subject, durable=config.durable, stream=config.stream,
                                       config=consumer)
        while not stop.is_set():
            try:
                messages = await pull.fetch(config.batch, timeout=0.5)
            except (TimeoutError, NatsTimeout):  # nats-py raises either, depending on where it times out
                continue
            for message in messages:
                await _handle(js, screener, config, message, stats)
    finally:
        # Everything fetched has been handled (acknowledged or not); unacknowledged messages are redelivered,
        # so closing is safe and does not wait on the pull subscription's drain.
        await nc.close()
    return stats


async def _handle(
    js: nats.js.JetStreamContext,
    screener: Screener,
    config: WorkerConfig,
    message: Msg,
    stats: WorkerStats,
) -> None:
    parsed = parse_message(message.data)
    if isinstance(parsed, list):
        ident = _declared_id(message.data)
        rejection = {"declaration_id": ident, "problems": parsed}
        await js.publish(f"{config.hits_subject}.rejected", json.dumps(rejection).encode(),
                         stream=config.hits_stream, headers={"Nats-Msg-Id": f"rejected:{ident}"})
        stats.rejected += 1
        await message.ack()
        return
    hits = screener.screen(parsed)
    if hits:
        payload: dict[str, object] = {
            "declaration_id": parsed.declaration_id,
            "hits": [_hit_json(h) for h in hits],
        }
        # Stored (PubAck received) before the declaration is acknowledged: a crash in between means a
        # redelivery whose publication the stream drops as a duplicate.
        await js.publish(config.hits_subject, json.dumps(payload, ensure_ascii=False).encode(),
                         stream=config.hits_stream, headers={"Nats-Msg-Id": parsed.declaration_id})
        stats.hits += len(hits)
    await message.ack()
    stats.screened += 1
    stats.ids.append(parsed.declaration_id)


def _hit_json(hit: Hit) -> dict[str, object]:
    record = csvio.hit_record(hit)
    record.pop("declaration_id")
    return record


def _declared_id(data: bytes) -> str:
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ""
    return str(raw.get("declaration_id", "")) if isinstance(raw, dict) else ""
