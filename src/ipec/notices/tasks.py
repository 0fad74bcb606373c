"""Delivery of queued e-mails and webhooks, after the issuing transaction has committed.

`deliver()` runs in the node's deliverer, woken right after a notice is issued and every minute for retries.
Each delivery asks the policy again at sending time: a subscriber who lost access since the notice was issued
gets nothing, and the row says why ("withheld").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from ipec.config import Settings
from ipec.kernel.clock import Clock
from ipec.notices import services
from ipec.notices.models import Delivery, Notice
from ipec.outbound.senders import Mailer, mailer_for, post_signed

MAX_ATTEMPTS = 5
log = logging.getLogger(__name__)


def _text(payload: dict[str, object]) -> str:
    lines = [f"{payload['reference']} · {payload['notice_type']} · TLP:{payload['tlp']} · {payload['handling']}",
             f"Issued by {payload['issuer']} on {payload['issued_at']}; current until {payload['expires_at']}.", ""]
    if "body" in payload:
        lines += [str(payload["title"]), "", str(payload["body"]), ""]
    else:
        lines += ["This notice is restricted: read it on the node, where its handling rules apply.", ""]
    lines.append(str(payload["url"]))
    return "\n".join(lines)


def _subject(n: Notice, payload: dict[str, object]) -> str:
    if "title" in payload:
        return f"[ipec {n.reference}] {n.title}"
    return f"[ipec {n.reference}] New {n.type.replace('_', ' ')} notice (TLP:{n.tlp})"


def _send_one(s: Session, d: Delivery, clock: Clock, settings: Settings, mailer: Mailer, http: httpx.Client) -> str:
    n, reason = services.still_visible(s, d, clock)
    if n is None:
        d.status, d.error = "withheld", reason
        return "withheld"
    payload = services.outbound_payload(n, services.owner_name(s, n), settings.base_url)
    if d.channel == "email":
        mailer.send(d.address, _subject(n, payload), _text(payload))
    else:
        secret = services.webhook_secret(s, d.subscription_id)
        if not secret:
            raise RuntimeError("the subscription has no webhook secret")
        post_signed(http, d.address, secret, payload, int(clock.now().timestamp()))
    d.status, d.sent_at, d.error = "sent", clock.now(), None
    return "sent"


def deliver(factory: sessionmaker[Session], clock: Clock, settings: Settings, mailer: Mailer | None = None,
            http: httpx.Client | None = None) -> services.DeliveryResult:
    """Send every pending delivery once; failures keep their error and are retried up to MAX_ATTEMPTS times."""
    mailer = mailer or mailer_for(settings)
    own_http = http is None
    client = http or httpx.Client()
    sent = failed = withheld = 0
    try:
        with factory() as s:
            for d in services.pending_deliveries(s, MAX_ATTEMPTS):
                d.attempts += 1
                try:
                    outcome = _send_one(s, d, clock, settings, mailer, client)
                    sent += outcome == "sent"
                    withheld += outcome == "withheld"
                except Exception as exc:  # one bad address must not hold back the others; the error stays on the row
                    d.error = f"{type(exc).__name__}: {exc}"
                    d.status = "failed" if d.attempts >= MAX_ATTEMPTS else "pending"
                    failed += 1
                s.commit()
    finally:
        if own_http:
            client.close()
    return services.DeliveryResult(sent, failed, withheld)


# --- the node's deliverer -------------------------------------------------------------------------------------

RETRY_SECONDS = 60.0  # pending deliveries (failed ones, or queued while the node was down) are retried this often


@dataclass
class Deliverer:
    """Sends deliveries when woken (a notice was issued) and every RETRY_SECONDS. Runs beside the web server;
    the database work happens in a worker thread so the event loop never blocks on it."""

    state: Any
    loop: asyncio.AbstractEventLoop
    wake_event: asyncio.Event = field(default_factory=asyncio.Event)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    last: services.DeliveryResult | None = None

    def run_once(self) -> services.DeliveryResult:
        s = self.state
        return deliver(s.session_factory, s.clock, s.settings)

    async def run(self) -> None:
        while not self.stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake_event.wait(), RETRY_SECONDS)
            self.wake_event.clear()
            if self.stop.is_set():
                return
            try:
                self.last = await asyncio.to_thread(self.run_once)
            except Exception:  # the database is busy or gone: the rows stay pending for the next pass
                log.exception("notice delivery pass failed")


def wake(state: Any) -> None:
    """Ask the deliverer to send now; safe to call from a request's worker thread."""
    deliverer: Deliverer | None = getattr(state, "notices_deliverer", None)
    if deliverer is not None:
        deliverer.loop.call_soon_threadsafe(deliverer.wake_event.set)


async def on_startup(state: Any) -> None:
    if not getattr(state, "start_background", True):
        return
    deliverer = Deliverer(state, asyncio.get_running_loop())
    deliverer.task = asyncio.create_task(deliverer.run(), name="notices-deliverer")
    state.notices_deliverer = deliverer


async def on_shutdown(state: Any) -> None:
    deliverer: Deliverer | None = getattr(state, "notices_deliverer", None)
    if deliverer is None or deliverer.task is None:
        return
    deliverer.stop.set()
    deliverer.wake_event.set()
    await deliverer.task
    state.notices_deliverer = None
