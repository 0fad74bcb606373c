"""E-mail through a real SMTP server (aiosmtpd on loopback) and a signed webhook to a loopback HTTP receiver:
restricted notices leave as a pointer only, open ones in full, and the receiver can check the signature."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ipec.config import Settings
from ipec.kernel.clock import FixedClock
from ipec.notices import services, tasks
from ipec.notices.schemas import SubscriptionIn
from ipec.outbound import senders as delivery
from tests.integration.notices.conftest import issue

pytestmark = pytest.mark.backend


def test_mail_and_signed_webhook(world: Any, as_: Any, session: Session, clock: FixedClock, smtp_sink: Any,
                                 webhook_sink: Any) -> None:
    port, mails = smtp_sink
    url, hooks = webhook_sink
    sub = services.subscribe(as_("officer_de"), SubscriptionIn(name="FR", jurisdictions=["FR"], email=True,
                                                               webhook_url=url))
    restricted = issue(as_("officer_fr"), "Amber notice", audience="all_participants")
    open_ = issue(as_("officer_fr"), "Green notice", audience="all_participants", tlp="GREEN")
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, base_url="https://node.example")
    factory = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    result = tasks.deliver(factory, clock, settings)
    assert (result.sent, result.failed) == (4, 0)

    subjects = sorted(m["Subject"] for m in mails)
    assert subjects == sorted([f"[ipec {open_.reference}] Green notice",
                               f"[ipec {restricted.reference}] New modus operandi notice (TLP:AMBER)"])
    amber_mail = next(m for m in mails if restricted.reference in m["Subject"])
    assert "Amber notice" not in amber_mail.get_payload() and f"/notices/{restricted.id}" in amber_mail.get_payload()
    assert all(m["To"] == "officer.de@example.test" for m in mails)

    payloads = {}
    for headers, body in hooks:
        assert delivery.verify(sub.webhook_secret or "", headers["x-ipec-signature"], body,
                               int(clock.now().timestamp()))
        assert not delivery.verify("wrong secret", headers["x-ipec-signature"], body, int(clock.now().timestamp()))
        payload = json.loads(body)
        payloads[payload["notice"]] = payload
    assert payloads[open_.id]["title"] == "Green notice" and payloads[open_.id]["route"]["origin"] == "CN"
    assert "title" not in payloads[restricted.id] and "body" not in payloads[restricted.id]
    assert payloads[restricted.id]["tlp"] == "AMBER"

    # Sent once: a second pass has nothing left to do.
    assert tasks.deliver(factory, clock, settings).sent == 0


def test_unreachable_smtp_keeps_the_delivery_pending_with_its_error(world: Any, as_: Any, session: Session,
                                                                     clock: FixedClock) -> None:
    services.subscribe(as_("officer_de"), SubscriptionIn(name="FR", jurisdictions=["FR"], email=True))
    issue(as_("officer_fr"), "Amber notice", audience="all_participants")
    factory = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    result = tasks.deliver(factory, clock, Settings(smtp_host=""))
    assert (result.sent, result.failed) == (0, 1)
    row = services.pending_deliveries(session, tasks.MAX_ATTEMPTS)[0]
    session.refresh(row)
    assert row.attempts == 1 and "IPEC_SMTP_HOST" in (row.error or "")
