"""Two screening workers on the real JetStream server share one durable consumer; a worker that dies loses
nothing; a redelivered declaration does not give a second result."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid

import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig

from ipec.screening.engine import Screener
from ipec.screening.rules import make_right
from ipec.screening.worker import WorkerConfig, WorkerStats, ensure_streams, serve

pytestmark = pytest.mark.nats

URL = "nats://127.0.0.1:4222"
RIGHTS = [
    make_right("R-NIKE", "trademark", "NIKE", [25], ["EU"]),
    make_right("R-ROLEX", "trademark", "ROLEX", [14], ["EU"]),
]


def declaration(n: int) -> dict[str, object]:
    hit = n % 3 == 0
    return {
        "declaration_id": f"D{n:04d}",
        "description": "N1KE trainers" if hit else "cotton socks",
        "hs_code": "640411",
        "origin": "CN",
        "destination": "FR",
        "consignor": "Shenzhen Trade",
        "consignee": "Jean Dupont",
        "quantity": 1,
        "value": 10,
        "currency": "EUR",
    }


async def _collect(js: nats.js.JetStreamContext, subject: str, stream: str) -> list[dict[str, object]]:
    sub = await js.subscribe(subject, stream=stream, ordered_consumer=True)
    out = []
    try:
        while True:
            message = await sub.next_msg(timeout=1)
            out.append(json.loads(message.data))
    except nats.errors.TimeoutError:
        pass
    await sub.unsubscribe()
    return out


async def _scenario() -> None:
    tag = uuid.uuid4().hex[:8].upper()
    config = WorkerConfig(
        url=URL, stream=f"T_DECL_{tag}", subject=f"test.{tag}.declarations", durable=f"screeners_{tag}",
        hits_stream=f"T_HITS_{tag}", hits_subject=f"test.{tag}.hits", batch=10, ack_wait=1.0,
    )
    nc = await nats.connect(URL)
    js = nc.jetstream()
    try:
        await ensure_streams(js, config)
        for n in range(60):
            await js.publish(config.subject, json.dumps(declaration(n)).encode(), stream=config.stream)
        await js.publish(config.subject, b'{"declaration_id": "BAD", "hs_code": "64"}', stream=config.stream)

        # A worker that takes messages and dies before acknowledging them.
        consumer = ConsumerConfig(durable_name=config.durable, ack_policy=AckPolicy.EXPLICIT, ack_wait=1.0)
        doomed = await js.pull_subscribe(config.subject, durable=config.durable, stream=config.stream,
                                         config=consumer)
        lost = await doomed.fetch(10, timeout=2)
        assert len(lost) == 10

        # Publishing a result twice (as a worker that dies after publishing, before acking, would on
        # redelivery) stores it once.
        payload = json.dumps({"declaration_id": "D0000", "hits": []}).encode()
        first = await js.publish(config.hits_subject, payload, stream=config.hits_stream,
                                 headers={"Nats-Msg-Id": "D0000"})
        again = await js.publish(config.hits_subject, payload, stream=config.hits_stream,
                                 headers={"Nats-Msg-Id": "D0000"})
        assert again.duplicate and again.seq == first.seq

        stop = asyncio.Event()
        stats = [WorkerStats(), WorkerStats()]
        screener = Screener(RIGHTS)
        workers = [
            asyncio.create_task(serve(screener, WorkerConfig(**{**config.__dict__, "name": f"w{i}"}), stop, s))
            for i, s in enumerate(stats)
        ]
        for _ in range(100):
            await asyncio.sleep(0.1)
            if sum(s.screened + s.rejected for s in stats) >= 61:
                break
        stop.set()
        await asyncio.gather(*workers)

        ids = sorted(i for s in stats for i in s.ids)
        assert ids == sorted(f"D{n:04d}" for n in range(60))  # every declaration once, the 10 lost included
        assert all(s.screened > 0 for s in stats), [s.screened for s in stats]  # the load was shared
        assert sum(s.rejected for s in stats) == 1

        hits = await _collect(js, config.hits_subject, config.hits_stream)
        # One result per hit declaration; D0000's was already stored, so the worker's copy was dropped.
        assert sorted(r["declaration_id"] for r in hits) == [f"D{n:04d}" for n in range(0, 60, 3)]
        assert next(r for r in hits if r["declaration_id"] == "D0000")["hits"] == []
        screened = next(r for r in hits if r["declaration_id"] == "D0003")
        assert screened["hits"][0]["right_id"] == "R-NIKE"
        assert screened["hits"][0]["reasons"][0] == "mark NIKE matched 'N1KE' (leetspeak)"
        rejected = await _collect(js, f"{config.hits_subject}.rejected", config.hits_stream)
        assert [r["declaration_id"] for r in rejected] == ["BAD"]
        assert "hs_code: '64' is not an HS code of 6 to 10 digits" in rejected[0]["problems"]
    finally:
        for name in (config.stream, config.hits_stream):
            with contextlib.suppress(nats.js.errors.NotFoundError):
                await js.delete_stream(name)
        await nc.close()


def test_two_workers_share_the_stream_and_lose_nothing() -> None:
    asyncio.run(_scenario())
