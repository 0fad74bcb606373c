"""Customs services on a migrated database: applications, restricted product data, detentions under the clock,
the scheduled task (deemed consent, release, overdue), seizures as a non-nominal view, and notices delivered
by real SMTP (aiosmtpd on loopback) and a signed webhook (a loopback HTTP receiver)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, sessionmaker

from ipec.accounts.models import AuditEvent
from ipec.accounts.policy import Actor
from ipec.customs import services, tasks
from ipec.customs.models import Notification, Seizure
from ipec.kernel.clock import FixedClock
from ipec.kernel.errors import InvalidTransition, PermissionDenied, ValidationFailed
from ipec.kernel.ids import new_id
from ipec.outbound import senders
from ipec.rights.models import Right

pytestmark = pytest.mark.backend

D = dt.date
GOODS = services.Goods(
    description="sneakers bearing the ACME mark",
    quantity=120,
    product_category="shoes",
    ipr_type="trademark",
    transport_mode="sea",
    traffic="freight",
    provenance="CN",
    retail_value_cents=1_440_000,
    images=("ab" * 32,),
)


@pytest.fixture
def right_a(session: Session, people: Any, clock: FixedClock) -> Right:
    r = Right(
        id=new_id(),
        right_id="EUTM-018000001",
        kind="trademark",
        mark="ACME",
        mark_key="ACME",
        status="registered",
        owner_id=people.orgs["holder_a"],
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    session.add(r)
    session.flush()
    return r


@pytest.fixture
def as_(ctx: Callable[[Actor | None], Any], people: Any) -> Callable[[str], Any]:
    return lambda who: ctx(people.actors[who])


@pytest.fixture
def granted(as_: Callable[[str], Any], people: Any, right_a: Right) -> Any:
    app = services.file_application(
        as_("holder_a"),
        country="FR",
        countries=["FR", "DE"],
        right_ids=[right_a.id],
        product_guide={"genuine_features": ["hologram on tongue"], "gtins": ["4006381333931"]},
        restricted=True,
        restricted_to=[people.orgs["customs_fr"]],
        small_consignments=True,
        notify_email="brand@holder-a.test",
    )
    return services.grant_application(as_("officer_fr"), app.id)


def factory_on(session: Session) -> sessionmaker[Session]:
    """Sessions for the scheduled task that share the test's connection (and its rollback)."""
    return sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False)


class TestApplications:
    def test_filing_starts_the_decision_period(self, as_: Any, right_a: Right) -> None:
        app = services.file_application(as_("holder_a"), country="FR", right_ids=[right_a.id], product_guide={})
        # Filed Fri 27 Nov 2026: 30 French working days (Christmas and New Year's Day skipped) end Tue 12 Jan 2027.
        assert (app.status, app.decision_due) == ("submitted", D(2027, 1, 12))

    def test_validity_at_most_one_year_and_extension_reminder(self, as_: Any, right_a: Right) -> None:
        app = services.file_application(as_("holder_a"), country="FR", right_ids=[right_a.id], product_guide={})
        with pytest.raises(ValidationFailed, match="at most 12 months"):
            services.grant_application(as_("officer_fr"), app.id, valid_until=D(2027, 11, 28))
        app = services.grant_application(as_("officer_fr"), app.id)
        assert app.valid_until == D(2027, 11, 27)
        assert app.extension_request_due == D(2027, 10, 14)  # 30 French working days before, 1 and 11 Nov skipped

    def test_other_countrys_officer_cannot_decide(self, as_: Any, right_a: Right) -> None:
        app = services.file_application(as_("holder_a"), country="FR", right_ids=[right_a.id], product_guide={})
        with pytest.raises(PermissionDenied):
            services.grant_application(as_("officer_de"), app.id)

    def test_bad_application_names_every_field(self, as_: Any, right_a: Right) -> None:
        with pytest.raises(ValidationFailed) as info:
            services.file_application(
                as_("holder_a"),
                country="FR",
                countries=["FR", "US"],
                right_ids=[right_a.id, "nope"],
                product_guide={"colour": "red"},
                restricted=True,
            )
        fields = {p.field for p in info.value.problems}
        assert fields == {"countries", "right_ids", "product_guide.colour", "restricted_to"}

    def test_missing_information_round_trip(self, as_: Any, right_a: Right, clock: FixedClock) -> None:
        app = services.file_application(as_("holder_a"), country="FR", right_ids=[right_a.id], product_guide={})
        app = services.request_information(as_("officer_fr"), app.id, "images of the genuine packaging")
        assert app.information_due == D(2026, 12, 11)
        clock.set(dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC))
        app = services.supply_information(as_("holder_a"), app.id, {"packaging": "blue box"})
        assert app.status == "submitted" and app.product_guide == {"packaging": "blue box"}


class TestRestrictedProductData:
    def test_only_chosen_authorities_see_it(self, as_: Any, granted: Any, session: Session) -> None:
        assert services.product_guide(as_("officer_fr"), granted.id)["gtins"] == ["4006381333931"]
        assert services.product_guide(as_("holder_a"), granted.id)["genuine_features"]
        with pytest.raises(PermissionDenied, match="restricted"):
            services.product_guide(as_("officer_de"), granted.id)  # DE is covered, but was not chosen
        with pytest.raises(PermissionDenied):
            services.product_guide(as_("holder_b"), granted.id)

    def test_reads_and_refusals_are_audited(self, as_: Any, granted: Any, session: Session) -> None:
        c = as_("officer_fr")
        services.product_guide(c, granted.id)
        c.finish(failed=False)
        d = as_("officer_de")
        with pytest.raises(PermissionDenied):
            services.product_guide(d, granted.id)
        d.finish(failed=True)
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.object_id == granted.id, AuditEvent.action == "read_restricted")
        ).all()
        assert sorted(r.outcome for r in rows) == ["allowed", "denied"]


class TestDetentions:
    def test_hit_to_deemed_consent_to_seizure(
        self, as_: Any, granted: Any, session: Session, clock: FixedClock, people: Any
    ) -> None:
        det = services.open_detention(
            as_("officer_fr"),
            goods=GOODS,
            application_id=granted.id,
            goods_id="GDS-HIT-0001",
            screening_hit_id="hit-42",
            declarant_name="Jean Importateur",
            declarant_email="jean@import.test",
        )
        assert (det.state, det.deadlines) == ("suspended", {"notification_due": "2026-11-30"})
        det = services.act(as_("officer_fr"), det.id, "notify")
        assert det.deadlines["holder_response_due"] == "2026-12-11"
        notes = session.scalars(select(Notification).where(Notification.detention_id == det.id)).all()
        assert sorted((n.audience, n.channel) for n in notes) == [
            ("declarant", "email"),
            ("holder", "email"),
            ("holder", "in_app"),
        ]
        assert [n.subject for n in services.inbox(as_("holder_a"))] == [notes[0].subject]

        view = services.detention_view(as_("holder_a"), det.id)
        assert view["days_left"]["holder_response_due"] == 10
        assert "declarant_name" not in view and "holder_confirms" in view["moves"]
        det = services.act(as_("holder_a"), det.id, "holder_confirms")

        clock.set(dt.datetime(2026, 12, 14, 6, tzinfo=dt.UTC))
        report = tasks.close_expired(factory_on(session), clock)
        assert report.steps == 2
        session.refresh(det)
        assert (det.state, det.outcome, det.closed) == ("destroyed", "destroyed_deemed_consent", True)
        seizure = session.scalar(select(Seizure).where(Seizure.goods_id == "GDS-HIT-0001"))
        assert seizure is not None and seizure.outcome == "destroyed_deemed_consent"
        assert seizure.closed_on == D(2026, 12, 12)
        # The statistical view carries no personal data at all.
        columns = {c.key for c in inspect(Seizure).columns}
        assert not {c for c in columns if "name" in c or "email" in c or "declarant" in c}

    def test_holder_silence_releases(self, as_: Any, granted: Any, session: Session, clock: FixedClock) -> None:
        det = services.open_detention(as_("officer_fr"), goods=GOODS, application_id=granted.id)
        services.act(as_("officer_fr"), det.id, "notify")
        clock.set(dt.datetime(2026, 12, 14, 6, tzinfo=dt.UTC))
        tasks.close_expired(factory_on(session), clock)
        session.refresh(det)
        assert (det.state, det.outcome) == ("released", "released_no_action")
        assert session.scalar(select(Seizure).where(Seizure.detention_id == det.id)) is None

    def test_small_consignment_needs_opt_in_and_silence_destroys(
        self, as_: Any, granted: Any, session: Session, clock: FixedClock
    ) -> None:
        parcel = services.Goods(
            description="2 watches",
            quantity=2,
            product_category="personal_accessories",
            ipr_type="trademark",
            transport_mode="postal",
            traffic="freight",
            gross_kg=0.4,
        )
        det = services.open_detention(
            as_("officer_fr"),
            goods=parcel,
            application_id=granted.id,
            small_consignment=True,
            declarant_email="buyer@mail.test",
        )
        det = services.act(as_("officer_fr"), det.id, "notify_small_consignment")
        notes = session.scalars(select(Notification).where(Notification.detention_id == det.id)).all()
        assert [(n.audience, n.channel) for n in notes] == [("declarant", "email")]  # holder not told yet
        clock.set(dt.datetime(2026, 12, 14, 6, tzinfo=dt.UTC))
        tasks.close_expired(factory_on(session), clock)
        session.refresh(det)
        assert det.outcome == "destroyed_deemed_consent"

    def test_small_consignment_refused_for_sea_freight(self, as_: Any, granted: Any) -> None:
        with pytest.raises(ValidationFailed, match="not postal or express"):
            services.open_detention(as_("officer_fr"), goods=GOODS, application_id=granted.id, small_consignment=True)

    def test_overdue_notification_is_visible_and_audited(
        self, as_: Any, granted: Any, session: Session, clock: FixedClock
    ) -> None:
        det = services.open_detention(as_("officer_fr"), goods=GOODS, application_id=granted.id)
        clock.set(dt.datetime(2026, 12, 1, 6, tzinfo=dt.UTC))
        report = tasks.close_expired(factory_on(session), clock)
        assert report.newly_overdue == [f"{det.goods_id}:notification_due"]
        session.refresh(det)
        assert det.overdue == {"notification_due": "2026-11-30"}
        assert [d.id for d in services.list_overdue(as_("officer_fr"), "FR")] == [det.id]
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "customs.detention.overdue")).all()
        assert [a.detail["deadline"] for a in audit if a.object_id == det.id] == ["notification_due"]
        tasks.close_expired(factory_on(session), clock)  # a second run does not audit it again
        assert (
            len(session.scalars(select(AuditEvent).where(AuditEvent.action == "customs.detention.overdue")).all()) == 1
        )

    def test_ex_officio_without_application(self, as_: Any, people: Any) -> None:
        det = services.open_detention(as_("officer_fr"), goods=GOODS)
        assert (det.path, det.holder_id) == ("ex_officio", None)
        with pytest.raises(InvalidTransition, match="not possible once ex officio"):
            services.act(as_("officer_fr"), det.id, "notify")

    def test_outsiders_cannot_act(self, as_: Any, granted: Any) -> None:
        det = services.open_detention(as_("officer_fr"), goods=GOODS, application_id=granted.id)
        with pytest.raises(PermissionDenied):
            services.act(as_("officer_de"), det.id, "notify")
        with pytest.raises(PermissionDenied):
            services.act(as_("holder_b"), det.id, "holder_confirms")
        with pytest.raises(PermissionDenied):
            services.open_detention(as_("holder_a"), goods=GOODS, application_id=granted.id)

    def test_declarant_answer_recorded_by_customs(self, as_: Any, granted: Any) -> None:
        det = services.open_detention(as_("officer_fr"), goods=GOODS, application_id=granted.id)
        services.act(as_("officer_fr"), det.id, "notify")
        services.act(as_("officer_fr"), det.id, "declarant_agrees", on_behalf_of_declarant=True)
        det = services.act(as_("holder_a"), det.id, "holder_confirms")
        assert det.outcome == "destroyed_with_agreement"
        assert [s.party for s in det.steps if s.kind == "move"] == ["customs", "declarant", "holder"]


# --- delivery -------------------------------------------------------------------------------------------------


def test_email_and_signed_webhook_delivery(
    as_: Any, right_a: Right, session: Session, clock: FixedClock, smtp_sink: Any, webhook_sink: Any
) -> None:
    port, mails = smtp_sink
    url, hooks = webhook_sink
    app = services.file_application(
        as_("holder_a"),
        country="FR",
        right_ids=[right_a.id],
        product_guide={},
        notify_email="brand@holder-a.test",
        webhook_url=url,
    )
    services.grant_application(as_("officer_fr"), app.id)
    det = services.open_detention(
        as_("officer_fr"), goods=GOODS, application_id=app.id, declarant_email="jean@import.test"
    )
    services.act(as_("officer_fr"), det.id, "notify")

    mailer = senders.SmtpMailer("127.0.0.1", port, "customs@ipec.test")
    with httpx.Client() as http:
        report = tasks.deliver(factory_on(session), clock, mailer, http)
    assert (report.sent, report.failed) == (3, 0)
    assert sorted(m["To"] for m in mails) == ["brand@holder-a.test", "jean@import.test"]
    assert det.goods_id in mails[0]["Subject"] and "2026-12-11" in mails[0].get_payload()

    ((headers, body),) = hooks
    secret = services.webhook_secret_for(as_("holder_a"), app.id)
    now = int(clock.now().timestamp())
    assert senders.verify(secret, headers["x-ipec-signature"], body, now)
    assert not senders.verify(secret, headers["x-ipec-signature"], body.replace(b"sneakers", b"sandals"), now)
    assert not senders.verify("wrong-secret", headers["x-ipec-signature"], body, now)
    assert json.loads(body)["deadlines"]["holder_response_due"] == "2026-12-11"


def test_failed_delivery_stays_pending_with_its_error(
    as_: Any, granted: Any, session: Session, clock: FixedClock
) -> None:
    det = services.open_detention(
        as_("officer_fr"), goods=GOODS, application_id=granted.id, declarant_email="jean@import.test"
    )
    services.act(as_("officer_fr"), det.id, "notify")
    with httpx.Client() as http:
        report = tasks.deliver(factory_on(session), clock, senders.NullMailer(), http)
    assert report.failed == 2
    pending = session.scalars(select(Notification).where(Notification.status == "pending")).all()
    assert all("no SMTP server" in (n.error or "") for n in pending) and len(pending) == 2


# --- extensions of applications ----------------------------------------------------------------------------------


def test_holder_is_reminded_once_then_asks_and_customs_extend(
    as_: Any, granted: Any, session: Session, clock: FixedClock, smtp_sink: Any
) -> None:
    port, mails = smtp_sink
    mailer = senders.SmtpMailer("127.0.0.1", port, "customs@ipec.test")
    valid_until, due = granted.valid_until, granted.extension_request_due
    assert due < valid_until
    # Long before the extension deadline: nothing to remind.
    assert tasks.remind_expiring(factory_on(session), clock, mailer, within_days=30) == 0
    # Thirty days before it: one reminder by e-mail, and only one.
    clock.set(dt.datetime.combine(due - dt.timedelta(days=30), dt.time(9), dt.UTC))
    assert tasks.remind_expiring(factory_on(session), clock, mailer, within_days=30) == 1
    assert tasks.remind_expiring(factory_on(session), clock, mailer, within_days=30) == 0
    (mail,) = mails
    assert mail["To"] == "brand@holder-a.test" and str(due) in mail["Subject"]

    with pytest.raises(PermissionDenied):
        services.request_extension(as_("holder_b"), granted.id)
    with pytest.raises(ValidationFailed, match="has not asked"):
        services.extend_application(as_("officer_fr"), granted.id)
    app = services.request_extension(as_("holder_a"), granted.id)
    assert app.extension_requested_on == clock.today()
    with pytest.raises(PermissionDenied):
        services.extend_application(as_("officer_de"), granted.id)  # decided in France, not Germany
    app = services.extend_application(as_("officer_fr"), granted.id)
    assert app.valid_until == valid_until.replace(year=valid_until.year + 1)
    assert app.extension_request_due > due and app.extension_requested_on is None and app.reminded_on is None
    actions = {e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.object_id == granted.id))}
    assert {"customs.application.remind", "customs.application.request_extension",
            "customs.application.extend"} <= actions
