"""Scheduled customs work: close periods that ran out, flag overdue detentions, deliver queued notices.

`run_once()` is what the scheduler calls (the app's lifespan loop, or `ipec customs tick` from cron): one
transaction per detention, so one bad record cannot hold the others back, and delivery after commit, so no
notice leaves for a change that was rolled back.

Webhooks are signed by `ipec.outbound.senders` with the secret shown to the holder.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ipec.accounts import services as accounts
from ipec.accounts.policy import Actor
from ipec.config import Settings
from ipec.customs import services
from ipec.customs.models import Application, Detention, Notification
from ipec.kernel.clock import Clock
from ipec.outbound.senders import Mailer, mailer_for, post_signed

# The scheduled task acts as the node itself, not as a person; the audit trail says so.
SYSTEM_ACTOR = Actor("system", "system", "coordinator", None, "admin")
MAX_ATTEMPTS = 5
log = logging.getLogger(__name__)


def _text(n: Notification) -> str:
    b = n.body
    lines = [n.subject, "", f"Goods: {b.get('goods_id')} — {b.get('description')} ({b.get('quantity')} items)"]
    for name, due in sorted(b.get("deadlines", {}).items(), key=lambda kv: kv[1]):
        lines.append(f"{name.replace('_', ' ')}: {due} (last day)")
    return "\n".join(lines)


@dataclass
class Report:
    advanced: int = 0
    steps: int = 0
    newly_overdue: list[str] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    reminded: int = 0


def close_expired(factory: sessionmaker[Session], clock: Clock) -> Report:
    """Apply every expiry due today to every open detention; record what is overdue."""
    report = Report()
    with factory() as s:
        ids = list(s.scalars(select(Detention.id).where(Detention.closed.is_(False))))
    for detention_id in ids:
        with factory() as s:
            ctx = accounts.Context(session=s, clock=clock, actor=SYSTEM_ACTOR, ip=None)
            row = s.get(Detention, detention_id)
            if row is None or row.closed:
                continue
            was_overdue = set(row.overdue)
            steps = services.advance_detention(ctx, row)
            s.commit()
            report.advanced += 1
            report.steps += len(steps)
            report.newly_overdue += [f"{row.goods_id}:{n}" for n in sorted(set(row.overdue) - was_overdue)]
    return report


def deliver(factory: sessionmaker[Session], clock: Clock, mailer: Mailer, http: httpx.Client) -> Report:
    """Send pending e-mail and webhook notices; failures are kept with their error and retried next time."""
    report = Report()
    with factory() as s:
        pending = list(
            s.scalars(
                select(Notification).where(Notification.status == "pending", Notification.attempts < MAX_ATTEMPTS)
            )
        )
        for n in pending:
            n.attempts += 1
            try:
                if n.channel == "email":
                    assert n.address is not None
                    mailer.send(n.address, n.subject, _text(n))
                elif n.channel == "webhook":
                    _post_webhook(s, n, clock, http)
                n.status, n.sent_at, n.error = "sent", clock.now(), None
                report.sent += 1
            except Exception as exc:  # delivery must go on for the others; the error stays on the row
                n.error = f"{type(exc).__name__}: {exc}"
                n.status = "failed" if n.attempts >= MAX_ATTEMPTS else "pending"
                report.failed += 1
            s.commit()
    return report


def _post_webhook(s: Session, n: Notification, clock: Clock, http: httpx.Client) -> None:
    row = s.get(Detention, n.detention_id)
    app = s.get(Application, row.application_id) if row and row.application_id else None
    if app is None or not app.webhook_secret or not n.address:
        raise RuntimeError("no webhook secret for this notice")
    payload: dict[str, Any] = {"type": "customs.detention", "subject": n.subject, **n.body}
    post_signed(http, n.address, app.webhook_secret, payload, int(clock.now().timestamp()))


def remind_expiring(factory: sessionmaker[Session], clock: Clock, mailer: Mailer, within_days: int) -> int:
    """Remind holders whose extension request falls due soon: by e-mail when the application gives an address,
    and in the app (the customs page and the dashboard show it). Each application is reminded once per period;
    an e-mail that fails is tried again at the next tick."""
    reminded = 0
    with factory() as s:
        ctx = accounts.Context(session=s, clock=clock, actor=SYSTEM_ACTOR, ip=None)
        for app in services.applications_to_remind(ctx, within_days):
            if app.notify_email:
                try:
                    mailer.send(app.notify_email, f"Application {app.reference}: ask for its extension by "
                                f"{app.extension_request_due}",
                                f"Your application for action {app.reference} ({', '.join(app.countries)}) is valid "
                                f"until {app.valid_until}. To keep customs acting on it, ask for an extension by "
                                f"{app.extension_request_due}.")
                except Exception as exc:  # keep going for the others; this one is reminded at the next tick
                    log.warning("reminder for %s not sent: %s", app.reference, exc)
                    continue
            services.mark_reminded(ctx, app)
            reminded += 1
    return reminded


def run_once(factory: sessionmaker[Session], settings: Settings, clock: Clock) -> Report:
    """One scheduler tick: close expired periods, remind holders of extensions, then deliver notices."""
    closed = close_expired(factory, clock)
    mailer = mailer_for(settings)
    closed.reminded = remind_expiring(factory, clock, mailer, settings.customs_reminder_days)
    with httpx.Client() as http:
        sent = deliver(factory, clock, mailer, http)
    closed.sent, closed.failed = sent.sent, sent.failed
    return closed


# --- the node's scheduler ------------------------------------------------------------------------------------


class Scheduler:
    """Runs `run_once` every `minutes` in a worker thread, so slow SMTP or webhooks never block requests.

    The first tick comes one interval after start, not at once: expiries are judged by date whenever the next
    tick or move comes (`transitions.apply` applies every expiry due before a move), so waiting loses nothing,
    and a node that restarts often does not hammer its SMTP relay.
    """

    def __init__(self, state: Any, minutes: float) -> None:
        self.state = state
        self.seconds = minutes * 60
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.last: Report | None = None

    async def loop(self) -> None:
        while not self.stop.is_set():
            try:
                await asyncio.wait_for(self.stop.wait(), timeout=self.seconds)
                return
            except TimeoutError:
                pass
            try:
                self.last = await asyncio.to_thread(
                    run_once, self.state.session_factory, self.state.settings, self.state.clock
                )
            except Exception:  # one failed tick must not stop the next ones; the error goes to the node's log
                log.exception("customs tick failed")


async def on_startup(state: Any) -> None:
    """Start the customs scheduler (not when `state.start_background` is false, or the interval is 0)."""
    minutes = float(getattr(state.settings, "customs_tick_minutes", 15))
    if not getattr(state, "start_background", True) or minutes <= 0:
        return
    scheduler = Scheduler(state, minutes)
    scheduler.task = asyncio.create_task(scheduler.loop(), name="customs-scheduler")
    state.customs_scheduler = scheduler


async def on_shutdown(state: Any) -> None:
    """Stop the scheduler; a tick in progress finishes its transaction first."""
    scheduler: Scheduler | None = getattr(state, "customs_scheduler", None)
    if scheduler is None or scheduler.task is None:
        return
    scheduler.stop.set()
    await scheduler.task
    state.customs_scheduler = None
