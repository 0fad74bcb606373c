"""Delivery of queued e-mails and webhooks, after the issuing transaction has committed.

`deliver()` runs right after a notice is issued (as a background task of the request) and from
`ipec notices deliver` for retries. Each delivery asks the policy again at sending time: a subscriber who lost
access since the notice was issued gets nothing, and the row says why ("withheld").
"""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session, sessionmaker

from ipec.config import Settings
from ipec.kernel.clock import Clock
from ipec.notices import services
from ipec.notices.delivery import Mailer, mailer_for, post_signed
from ipec.notices.models import Delivery, Notice

MAX_ATTEMPTS = 5


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
