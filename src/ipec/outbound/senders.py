"""E-mail by SMTP and HMAC-signed webhooks, used by customs notices and by alert subscriptions.

Webhooks carry `X-Ipec-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the receiver's
secret, so the receiver can check both origin and freshness (`verify` is what a receiver does).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from email.message import EmailMessage
from typing import Any, Protocol

import httpx

from ipec.config import Settings

SIGNATURE_HEADER = "x-ipec-signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """What a receiver does: recompute the HMAC and refuse stale or forged deliveries."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        ts = int(parts["t"])
    except (KeyError, ValueError):
        return False
    return abs(now - ts) <= tolerance and hmac.compare_digest(sign(secret, ts, body), header)


class Mailer(Protocol):
    def send(self, to: str, subject: str, text: str) -> None: ...


class SmtpMailer:
    """Plain SMTP to the configured relay (the node's own, or a local sink in tests)."""

    def __init__(self, host: str, port: int, sender: str) -> None:
        self.host, self.port, self.sender = host, port, sender

    def send(self, to: str, subject: str, text: str) -> None:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = to
        msg["Subject"] = subject
        msg.set_content(text)
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(msg)


class NullMailer:
    """No SMTP host configured: e-mails stay pending with the reason, never silently dropped."""

    def send(self, to: str, subject: str, text: str) -> None:
        raise RuntimeError("no SMTP server configured (IPEC_SMTP_HOST)")


def mailer_for(settings: Settings) -> Mailer:
    if settings.smtp_host:
        return SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_sender)
    return NullMailer()


def post_signed(http: httpx.Client, url: str, secret: str, payload: dict[str, Any], timestamp: int) -> None:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    r = http.post(url, content=body, timeout=10, headers={
        "content-type": "application/json", SIGNATURE_HEADER: sign(secret, timestamp, body)})
    r.raise_for_status()
