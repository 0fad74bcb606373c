"""The only writers of notices, reads, subscriptions and deliveries, and every read path over notices.

Every read goes through `_visible()`, which asks `ipec.accounts.policy.may_see` for each notice, so a notice a
user may not see never appears in a list, a count, a search, an export, a chart, a live push, an e-mail or a
webhook. The structured filters run in Python over candidate rows rather than in SQL: JSON lists are compared
the same way on SQLite and PostgreSQL, and the visibility check has to run per row anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipec.accounts import services as accounts
from ipec.accounts.models import Organisation, User
from ipec.accounts.policy import OPEN_TLP, Action, Actor, Resource, may_see
from ipec.files import services as files
from ipec.kernel import handling
from ipec.kernel import jurisdictions as places
from ipec.kernel.clock import Clock
from ipec.kernel.errors import AuthenticationRequired, NotFound, PermissionDenied, Problem, ValidationFailed
from ipec.kernel.handling import Marking
from ipec.kernel.ids import new_id, new_secret
from ipec.ledger import services as ledger
from ipec.notices import vocab
from ipec.notices.matching import Criteria, Facets, countries_of, matches
from ipec.notices.models import Delivery, Notice, NoticeRead, Subscription
from ipec.notices.schemas import NoticeIn, SubscriptionIn
from ipec.rights.models import Right

Context = accounts.Context

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})
MAX_IMAGES = 6
MAX_TITLE = 300


# --- marking and facets -----------------------------------------------------------------------------------------


def marking_of(n: Notice) -> Marking:
    return Marking(
        owner=n.owner_id, owner_jurisdiction=n.owner_jurisdiction, tlp=n.tlp, handling=n.handling,
        handling_note=n.handling_note, source_reliability=n.source_reliability,
        information_reliability=n.information_reliability, audience=n.audience,
        recipients=frozenset(n.recipients), purpose=n.purpose, legal_basis=n.legal_basis,
        personal_data=n.personal_data,
    )


def is_restricted(n: Notice) -> bool:
    """Restricted notices are audited when read: anything beyond TLP:CLEAR/GREEN, or carrying personal data."""
    return n.tlp not in OPEN_TLP or n.personal_data


def facets_of(n: Notice) -> Facets:
    route = n.route or {}
    return Facets(
        notice_type=n.type,
        countries=countries_of([*n.jurisdictions, route.get("origin"), *route.get("transit", []),
                                route.get("destination")]),
        product_categories=frozenset(n.product_categories),
        right_ids=frozenset(n.right_ids),
        hs_chapters=frozenset(n.hs_chapters),
    )


def criteria_of(s: Subscription) -> Criteria:
    return Criteria(frozenset(s.notice_types), frozenset(s.jurisdictions), frozenset(s.product_categories),
                    frozenset(s.right_ids), frozenset(s.hs_chapters))


# --- queries ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeQuery:
    q: str | None = None  # words in the title or text
    type: str | None = None
    category: str | None = None
    jurisdiction: str | None = None  # a country or region; matches notices about any of its countries
    right_id: str | None = None
    hs_chapter: int | None = None
    unread_only: bool = False
    subscribed_only: bool = False  # only notices matching one of the reader's subscriptions
    include_expired: bool = False
    offset: int = 0
    limit: int = 50

    def problems(self) -> list[Problem]:
        out = []
        if self.type and self.type not in vocab.notice_types():
            out.append(Problem("type", f"unknown notice type {self.type!r}"))
        if self.category and self.category not in vocab.categories():
            out.append(Problem("category", f"unknown product category {self.category!r}"))
        if self.jurisdiction and not places.is_valid(self.jurisdiction):
            out.append(Problem("jurisdiction", f"unknown country or region {self.jurisdiction!r}"))
        if self.hs_chapter is not None and not vocab.is_hs_chapter(self.hs_chapter):
            out.append(Problem("hs_chapter", "an HS chapter is 1-97 (77 is reserved)"))
        if self.offset < 0 or not 1 <= self.limit <= 500:
            out.append(Problem("limit", "offset >= 0 and limit 1-500"))
        return out

    def accepts(self, n: Notice) -> bool:
        """The structured and text filters (reading state and subscriptions are applied by the caller)."""
        if self.type and n.type != self.type:
            return False
        if self.category and self.category not in n.product_categories:
            return False
        if self.jurisdiction and not (places.expand({self.jurisdiction}) & facets_of(n).countries):
            return False
        if self.right_id and self.right_id not in n.right_ids:
            return False
        if self.hs_chapter is not None and self.hs_chapter not in n.hs_chapters:
            return False
        if self.q:
            text = f"{n.reference} {n.title} {n.body}".casefold()
            return all(word in text for word in self.q.casefold().split())
        return True


@dataclass(frozen=True)
class NoticeView:
    """A notice as one reader sees it: with that reader's read/acknowledged times."""

    notice: Notice
    owner_name: str
    read_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    matches_subscription: bool
    expired: bool

    @property
    def unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True)
class NoticePage:
    items: list[NoticeView]
    total: int
    unread: int


def _require_actor(ctx: Context) -> Actor:
    if ctx.actor is None:
        raise AuthenticationRequired("sign in first")
    return ctx.actor


def _visible(actor: Actor, rows: Iterable[Notice]) -> list[Notice]:
    """The one filter every read path uses: the policy decides per notice, from its marking."""
    return [n for n in rows if may_see(actor, marking_of(n))]


def _candidates(session: Session, now: dt.datetime, *, include_expired: bool, notice_type: str | None = None,
                after_seq: int | None = None) -> list[Notice]:
    stmt = select(Notice).order_by(Notice.seq.desc())
    if not include_expired:
        stmt = stmt.where(Notice.expires_at > now)
    if notice_type:
        stmt = stmt.where(Notice.type == notice_type)
    if after_seq is not None:
        stmt = stmt.where(Notice.seq > after_seq)
    return list(session.scalars(stmt))


def _reads(session: Session, user_id: str, notice_ids: Sequence[str]) -> dict[str, NoticeRead]:
    if not notice_ids:
        return {}
    rows = session.scalars(select(NoticeRead).where(NoticeRead.user_id == user_id,
                                                    NoticeRead.notice_id.in_(list(notice_ids))))
    return {r.notice_id: r for r in rows}


def _subscriptions(session: Session, user_id: str) -> list[Criteria]:
    return [criteria_of(s) for s in session.scalars(select(Subscription).where(Subscription.user_id == user_id))]


def _org_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted))).all())


def _views(session: Session, actor: Actor, rows: list[Notice], now: dt.datetime) -> list[NoticeView]:
    reads = _reads(session, actor.user_id, [n.id for n in rows])
    subs = _subscriptions(session, actor.user_id)
    names = _org_names(session, {n.owner_id for n in rows})
    out = []
    for n in rows:
        r = reads.get(n.id)
        facets = facets_of(n)
        out.append(NoticeView(n, names.get(n.owner_id, n.owner_id), r.read_at if r else None,
                              r.acknowledged_at if r else None, any(matches(c, facets) for c in subs),
                              n.expires_at <= now))
    return out


def _audit_listed(ctx: Context, how: str, rows: Iterable[Notice]) -> None:
    """One audit event per restricted notice shown, so the trail answers "who saw notice X"."""
    for n in rows:
        if is_restricted(n):
            personal = ", personal data" if n.personal_data else ""
            accounts.audit_read(ctx, "notice", n.id, f"{how}: TLP:{n.tlp}{personal}")


def search(ctx: Context, query: NoticeQuery, *, audit: bool = True) -> NoticePage:
    """Notices the caller may see, newest first, filtered; `total` and `unread` count only visible notices."""
    actor = _require_actor(ctx)
    problems = query.problems()
    if problems:
        raise ValidationFailed(problems)
    now = ctx.clock.now()
    rows = _visible(actor, _candidates(ctx.session, now, include_expired=query.include_expired,
                                       notice_type=query.type))
    rows = [n for n in rows if query.accepts(n)]
    views = _views(ctx.session, actor, rows, now)
    if query.unread_only:
        views = [v for v in views if v.unread]
    if query.subscribed_only:
        views = [v for v in views if v.matches_subscription]
    page = views[query.offset: query.offset + query.limit]
    if audit:
        _audit_listed(ctx, "listed", (v.notice for v in page))
    return NoticePage(page, len(views), unread_count(ctx))


def unread_count(ctx: Context) -> int:
    """Current notices the caller may see and has not opened."""
    actor = _require_actor(ctx)
    rows = _visible(actor, _candidates(ctx.session, ctx.clock.now(), include_expired=False))
    reads = _reads(ctx.session, actor.user_id, [n.id for n in rows])
    return sum(1 for n in rows if n.id not in reads)


def stats(ctx: Context, include_expired: bool = True) -> dict[str, Counter[str]]:
    """Counts for charts, over visible notices only."""
    actor = _require_actor(ctx)
    rows = _visible(actor, _candidates(ctx.session, ctx.clock.now(), include_expired=include_expired))
    by_type: Counter[str] = Counter(n.type for n in rows)
    by_category: Counter[str] = Counter(c for n in rows for c in n.product_categories)
    by_jurisdiction: Counter[str] = Counter(j for n in rows for j in n.jurisdictions)
    return {"by_type": by_type, "by_category": by_category, "by_jurisdiction": by_jurisdiction}


def export(ctx: Context, query: NoticeQuery) -> list[NoticeView]:
    """Every visible notice matching the query (no paging), each restricted one audited as exported. The marking
    travels with every exported row so the handling rules follow the data out of the node."""
    full = NoticeQuery(**{**query.__dict__, "offset": 0, "limit": 500})
    page = search(ctx, full, audit=False)
    items = list(page.items)
    offset = 500
    while len(items) < page.total:
        more = search(ctx, NoticeQuery(**{**full.__dict__, "offset": offset}), audit=False)
        items += more.items
        offset += 500
    _audit_listed(ctx, "exported", (v.notice for v in items))
    return items


def _load_visible(ctx: Context, notice_id: str, action: str) -> Notice:
    """A notice the caller may see; otherwise NotFound, so a refusal does not reveal that the notice exists."""
    actor = _require_actor(ctx)
    n = ctx.session.scalar(select(Notice).where(Notice.id == notice_id))
    if n is None:
        raise NotFound(f"no notice {notice_id}")
    decision = may_see(actor, marking_of(n))
    if not decision:
        accounts.audit_denied(ctx, action, "notice", notice_id, decision.reason)
        raise NotFound(f"no notice {notice_id}")
    return n


def _mark_read(ctx: Context, n: Notice, actor: Actor) -> NoticeRead:
    row = ctx.session.get(NoticeRead, (n.id, actor.user_id))
    if row is None:
        row = NoticeRead(notice_id=n.id, user_id=actor.user_id, read_at=ctx.clock.now(), acknowledged_at=None)
        ctx.session.add(row)
        ctx.session.flush()
    return row


def get(ctx: Context, notice_id: str) -> NoticeView:
    """Open a notice: records that the caller read it, and audits the read when the notice is restricted."""
    n = _load_visible(ctx, notice_id, "read")
    actor = _require_actor(ctx)
    _mark_read(ctx, n, actor)
    if is_restricted(n):
        accounts.audit_read(ctx, "notice", n.id, f"opened: TLP:{n.tlp}")
    ctx.session.commit()
    return _views(ctx.session, actor, [n], ctx.clock.now())[0]


def view_of(ctx: Context, n: Notice) -> NoticeView:
    """The issuer's view of a notice just issued (no reading recorded: issuing is not reading)."""
    return _views(ctx.session, _require_actor(ctx), [n], ctx.clock.now())[0]


def acknowledge(ctx: Context, notice_id: str) -> NoticeView:
    """The reader confirms the notice reached them (idempotent: the first acknowledgement's time is kept)."""
    n = record_reading(ctx, notice_id, acknowledged=True)
    ctx.session.commit()
    return _views(ctx.session, _require_actor(ctx), [n], ctx.clock.now())[0]


def record_reading(ctx: Context, notice_id: str, *, acknowledged: bool) -> Notice:
    """Record that the caller read (and perhaps acknowledged) a notice, inside the caller's transaction."""
    n = _load_visible(ctx, notice_id, "acknowledge" if acknowledged else "read")
    row = _mark_read(ctx, n, _require_actor(ctx))
    if acknowledged and row.acknowledged_at is None:
        row.acknowledged_at = ctx.clock.now()
        accounts.audit_write(ctx, "notice.acknowledge", "notice", n.id)
    return n


@dataclass(frozen=True)
class Reader:
    user: str
    organisation: str
    read_at: dt.datetime
    acknowledged_at: dt.datetime | None


def readers(ctx: Context, notice_id: str) -> list[Reader]:
    """Who read and acknowledged a notice: for the issuing organisation only."""
    n = _load_visible(ctx, notice_id, "read_readers")
    actor = _require_actor(ctx)
    if actor.organisation_id != n.owner_id:
        reason = "only the issuing organisation sees who read a notice"
        accounts.audit_denied(ctx, "read_readers", "notice", n.id, reason)
        raise PermissionDenied(reason)
    rows = ctx.session.execute(
        select(NoticeRead, User).join(User, User.id == NoticeRead.user_id)
        .where(NoticeRead.notice_id == n.id).order_by(NoticeRead.read_at)
    ).all()
    return [Reader(u.display_name, u.organisation.name, r.read_at, r.acknowledged_at) for r, u in rows]


def image(ctx: Context, notice_id: str, sha256: str, blob_dir: Path) -> tuple[str, bytes]:
    n = _load_visible(ctx, notice_id, "read_image")
    if sha256 not in n.images:
        raise NotFound(f"notice {notice_id} has no image {sha256}")
    blob, data = files.read(ctx.session, blob_dir, sha256)
    return blob.media_type, data


# --- live pushes --------------------------------------------------------------------------------------------------

# Sequence numbers are handed out at insert but rows become visible at commit, so on PostgreSQL a lower number
# can appear after a higher one. The stream therefore looks back this far behind its cursor and remembers what
# it already pushed.
LOOKBACK = 64


@dataclass
class StreamCursor:
    after: int
    # Notices already considered (id -> seq); None until the first pass takes what the page already showed.
    seen: dict[str, int] | None = None


def latest_seq(session: Session) -> int:
    return int(session.scalar(select(Notice.seq).order_by(Notice.seq.desc()).limit(1)) or 0)


def pending_pushes(ctx: Context, cursor: StreamCursor, query: NoticeQuery) -> list[NoticeView]:
    """New notices for a live stream, decided for the subscriber as they are now (the caller rebuilds
    `ctx.actor` from the user row at every pass), oldest first. Advances the cursor; audits restricted pushes."""
    actor = _require_actor(ctx)
    now = ctx.clock.now()
    floor = max(0, cursor.after - LOOKBACK)
    rows = _candidates(ctx.session, now, include_expired=False, after_seq=floor)
    if cursor.seen is None:
        cursor.seen = {n.id: n.seq for n in rows if n.seq <= cursor.after}
    fresh = [n for n in rows if n.id not in cursor.seen]
    cursor.seen.update({n.id: n.seq for n in fresh})
    cursor.after = max([cursor.after, *(n.seq for n in rows)])
    cursor.seen = {k: v for k, v in cursor.seen.items() if v > cursor.after - LOOKBACK}
    shown = [n for n in _visible(actor, fresh) if query.accepts(n)]
    views = _views(ctx.session, actor, sorted(shown, key=lambda n: n.seq), now)
    if query.subscribed_only:
        views = [v for v in views if v.matches_subscription]
    _audit_listed(ctx, "pushed live", (v.notice for v in views))
    return views


def actor_for_user(session: Session, user_id: str) -> Actor | None:
    """The user as the policy sees them right now; None once deactivated, so live streams end."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return accounts.actor_of(user)


# --- issuing ------------------------------------------------------------------------------------------------------


def _check_countries(field_name: str, codes: Iterable[str], problems: list[Problem]) -> list[str]:
    out = []
    for code in codes:
        c = (code or "").strip().upper()
        if not places.is_valid(c):
            problems.append(Problem(field_name, f"unknown country or region {code!r}"))
        elif c not in out:
            out.append(c)
    return out


def _check_route(data: NoticeIn, problems: list[Problem]) -> dict[str, object]:
    route: dict[str, object] = {}
    for part in ("origin", "destination"):
        value = getattr(data.route, part)
        if value and value.strip():
            code = value.strip().upper()
            if not places.is_country(code):
                problems.append(Problem(f"route.{part}", f"unknown country {value!r} (ISO 3166 alpha-2)"))
            route[part] = code
    transit = []
    for code in data.route.transit:
        c = code.strip().upper()
        if not places.is_country(c):
            problems.append(Problem("route.transit", f"unknown country {code!r} (ISO 3166 alpha-2)"))
        transit.append(c)
    if transit:
        route["transit"] = transit
    return route


def _check_vocab(data: NoticeIn, problems: list[Problem]) -> None:
    if data.type not in vocab.notice_types():
        problems.append(Problem("type", f"one of {', '.join(vocab.notice_types())}"))
    if not data.title.strip():
        problems.append(Problem("title", "is required"))
    elif len(data.title.strip()) > MAX_TITLE:
        problems.append(Problem("title", f"at most {MAX_TITLE} characters"))
    if not data.body.strip():
        problems.append(Problem("body", "is required: describe what was seen and what to look for"))
    if pycountry.languages.get(alpha_2=data.language.strip().lower()) is None:
        problems.append(Problem("language", f"unknown ISO 639-1 language code {data.language!r}"))
    for c in data.product_categories:
        if c not in vocab.categories():
            problems.append(Problem("product_categories",
                                    f"unknown category {c!r}; one of {', '.join(vocab.categories())}"))
    for ch in data.hs_chapters:
        if not vocab.is_hs_chapter(ch):
            problems.append(Problem("hs_chapters", f"{ch} is not an HS chapter (1-97, 77 is reserved)"))


def _check_rights(session: Session, right_ids: list[str], problems: list[Problem]) -> list[str]:
    wanted = [r.strip() for r in right_ids if r.strip()]
    if not wanted:
        return []
    known = set(session.scalars(select(Right.right_id).where(Right.right_id.in_(wanted))))
    for r in wanted:
        if r not in known:
            problems.append(Problem("right_ids", f"{r!r} is not in the rights register"))
    return list(dict.fromkeys(wanted))


def _check_expiry(data: NoticeIn, now: dt.datetime, problems: list[Problem]) -> dt.datetime:
    if data.expires_on is None:
        return now + dt.timedelta(days=vocab.default_validity_days())
    # A notice is current through its last day (end of that day, UTC).
    expires = dt.datetime.combine(data.expires_on + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    if expires <= now:
        problems.append(Problem("expires_on", "must be today or later"))
    elif expires > now + dt.timedelta(days=vocab.max_validity_days() + 1):
        problems.append(Problem("expires_on", f"at most {vocab.max_validity_days()} days ahead"))
    return expires


def _check_marking(ctx: Context, actor: Actor, data: NoticeIn, problems: list[Problem]) -> Marking:
    m = data.marking
    recipients = list(dict.fromkeys(r.strip() for r in m.recipients if r.strip()))
    if recipients:
        known = set(ctx.session.scalars(select(Organisation.id).where(Organisation.id.in_(recipients))))
        for r in recipients:
            if r not in known:
                problems.append(Problem("marking.recipients", f"no organisation {r!r}"))
    if m.audience == "group" and not (m.group_name or "").strip():
        problems.append(Problem("marking.group_name", "name the group the notice is shared with"))
    marking = Marking(
        owner=actor.organisation_id, owner_jurisdiction=actor.jurisdiction, tlp=m.tlp.strip().upper(),
        handling=m.handling.strip().upper(), handling_note=(m.handling_note or "").strip() or None,
        source_reliability=m.source_reliability.strip().upper(),
        information_reliability=m.information_reliability, audience=m.audience.strip(),
        recipients=frozenset(recipients), purpose=m.purpose.strip(), legal_basis=m.legal_basis.strip(),
        personal_data=m.personal_data,
    )
    problems += [Problem(f"marking.{p.field}", p.reason) for p in handling.check(marking)]
    return marking


@dataclass(frozen=True)
class Image:
    data: bytes
    media_type: str


def _check_images(images: Sequence[Image], blob_dir: Path | None, problems: list[Problem]) -> None:
    if len(images) > MAX_IMAGES:
        problems.append(Problem("images", f"at most {MAX_IMAGES} images"))
    for i, img in enumerate(images, start=1):
        if img.media_type not in IMAGE_TYPES:
            problems.append(Problem("images", f"image {i} is {img.media_type}; PNG, JPEG, WebP or GIF only"))
    if images and blob_dir is None:
        problems.append(Problem("images", "this node has no file store configured"))


def _content_digest(n: Notice) -> str:
    """SHA-256 over the notice's content: the ledger proves what was issued without publishing it."""
    content = {
        "type": n.type, "title": n.title, "body": n.body, "language": n.language,
        "product_categories": n.product_categories, "right_ids": n.right_ids, "hs_chapters": n.hs_chapters,
        "route": n.route, "jurisdictions": n.jurisdictions, "images": n.images,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=False).encode()).hexdigest()


def add(ctx: Context, data: NoticeIn, images: Sequence[Image] = (), blob_dir: Path | None = None) -> Notice:
    """Issue a notice inside the caller's transaction (demo loader, tests): checks, audit, ledger, deliveries."""
    actor = _require_actor(ctx)
    accounts.authorize(ctx, Action.CREATE, Resource("notice", owner=actor.organisation_id,
                                                    jurisdiction=actor.jurisdiction))
    now = ctx.clock.now()
    problems: list[Problem] = []
    _check_vocab(data, problems)
    places_ = _check_countries("jurisdictions", data.jurisdictions, problems)
    if not data.jurisdictions:
        problems.append(Problem("jurisdictions", "name at least one country or region the notice concerns"))
    route = _check_route(data, problems)
    right_ids = _check_rights(ctx.session, data.right_ids, problems)
    expires = _check_expiry(data, now, problems)
    marking = _check_marking(ctx, actor, data, problems)
    _check_images(images, blob_dir, problems)
    if problems:
        raise ValidationFailed(problems)
    stored = []
    for img in images:
        assert blob_dir is not None
        stored.append(files.store(ctx.session, blob_dir, ctx.clock, img.data, img.media_type).sha256)
    notice_id = new_id()
    n = Notice(
        id=notice_id, reference=f"NTC-{now:%Y}-{notice_id[:8].upper()}", type=data.type, title=data.title.strip(),
        body=data.body.strip(), language=data.language.strip().lower(),
        product_categories=list(dict.fromkeys(data.product_categories)), right_ids=right_ids,
        hs_chapters=sorted(set(data.hs_chapters)), route=route, jurisdictions=places_,
        images=list(dict.fromkeys(stored)),
        owner_id=marking.owner, owner_jurisdiction=marking.owner_jurisdiction, tlp=marking.tlp,
        handling=marking.handling, handling_note=marking.handling_note,
        source_reliability=marking.source_reliability, information_reliability=marking.information_reliability,
        audience=marking.audience, recipients=sorted(marking.recipients),
        group_name=(data.marking.group_name or "").strip() or None, purpose=marking.purpose,
        legal_basis=marking.legal_basis, personal_data=marking.personal_data,
        issued_by=actor.user_id, issued_at=now, expires_at=expires,
    )
    ctx.session.add(n)
    ctx.session.flush()
    accounts.audit_write(ctx, "notice.issue", "notice", n.id, {"reference": n.reference, "type": n.type,
                                                             "tlp": n.tlp, "audience": n.audience})
    # The ledger keeps the public facts and a digest of the content; the issuing officer is personal data and
    # goes into the erasable personal part.
    ledger.append(ctx.session, "notice.issued", {
        "notice": n.id, "reference": n.reference, "notice_type": n.type, "owner": n.owner_id,
        "owner_jurisdiction": n.owner_jurisdiction, "tlp": n.tlp, "handling": n.handling,
        "audience": n.audience, "issued_at": now.isoformat(), "expires_at": expires.isoformat(),
        "content_sha256": _content_digest(n),
    }, personal={"issued_by": actor.user_id})
    _queue_deliveries(ctx, n)
    return n


def issue(ctx: Context, data: NoticeIn, images: Sequence[Image] = (), blob_dir: Path | None = None) -> Notice:
    n = add(ctx, data, images, blob_dir)
    ctx.session.commit()
    return n


# --- subscriptions ------------------------------------------------------------------------------------------------


def _check_webhook_url(url: str, problems: list[Problem]) -> None:
    parts = urlsplit(url)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme not in ("https", "http") or not parts.hostname:
        problems.append(Problem("webhook_url", "an absolute http(s) URL"))
    elif parts.scheme == "http" and not loopback:
        problems.append(Problem("webhook_url", "must use HTTPS (plain HTTP only to a loopback address)"))


def subscribe(ctx: Context, data: SubscriptionIn) -> Subscription:
    sub = add_subscription(ctx, data)
    ctx.session.commit()
    return sub


def add_subscription(ctx: Context, data: SubscriptionIn) -> Subscription:
    """Subscribe inside the caller's transaction (demo loader): checks and audit, no commit."""
    actor = _require_actor(ctx)
    accounts.authorize(ctx, Action.CREATE, Resource("notice_subscription", subject=actor.user_id))
    problems: list[Problem] = []
    if not data.name.strip():
        problems.append(Problem("name", "is required"))
    for t in data.notice_types:
        if t not in vocab.notice_types():
            problems.append(Problem("notice_types", f"unknown notice type {t!r}"))
    codes = _check_countries("jurisdictions", data.jurisdictions, problems)
    for c in data.product_categories:
        if c not in vocab.categories():
            problems.append(Problem("product_categories", f"unknown category {c!r}"))
    for ch in data.hs_chapters:
        if not vocab.is_hs_chapter(ch):
            problems.append(Problem("hs_chapters", f"{ch} is not an HS chapter (1-97, 77 is reserved)"))
    right_ids = _check_rights(ctx.session, data.right_ids, problems)
    criteria = Criteria(frozenset(data.notice_types), frozenset(codes), frozenset(data.product_categories),
                        frozenset(right_ids), frozenset(data.hs_chapters))
    if criteria.is_empty():
        problems.append(Problem("criteria", "choose at least one type, jurisdiction, category, right or HS chapter"))
    webhook = (data.webhook_url or "").strip() or None
    if webhook:
        _check_webhook_url(webhook, problems)
    if data.email:
        user = ctx.session.get(User, actor.user_id)
        if user is None or not user.email:
            problems.append(Problem("email", "your account has no e-mail address"))
    if problems:
        raise ValidationFailed(problems)
    sub = Subscription(
        id=new_id(), user_id=actor.user_id, name=data.name.strip()[:200], notice_types=sorted(set(data.notice_types)),
        jurisdictions=codes, product_categories=sorted(set(data.product_categories)), right_ids=right_ids,
        hs_chapters=sorted(set(data.hs_chapters)), email=data.email, webhook_url=webhook,
        webhook_secret=new_secret(24) if webhook else None, created_at=ctx.clock.now(),
    )
    ctx.session.add(sub)
    ctx.session.flush()
    accounts.audit_write(ctx, "notice_subscription.create", "notice_subscription", sub.id, {"name": sub.name})
    return sub


def list_subscriptions(ctx: Context) -> list[Subscription]:
    actor = _require_actor(ctx)
    accounts.authorize(ctx, Action.READ, Resource("notice_subscription", subject=actor.user_id))
    q = select(Subscription).where(Subscription.user_id == actor.user_id).order_by(Subscription.created_at)
    return list(ctx.session.scalars(q))


def unsubscribe(ctx: Context, subscription_id: str) -> None:
    _require_actor(ctx)
    sub = ctx.session.get(Subscription, subscription_id)
    if sub is None:
        raise NotFound(f"no subscription {subscription_id}")
    accounts.authorize(ctx, Action.DELETE, Resource("notice_subscription", subject=sub.user_id), sub.id)
    ctx.session.delete(sub)
    accounts.audit_write(ctx, "notice_subscription.delete", "notice_subscription", subscription_id)
    ctx.session.commit()


# --- deliveries ---------------------------------------------------------------------------------------------------


def _queue_deliveries(ctx: Context, n: Notice) -> None:
    """Queue e-mails and webhooks for matching subscriptions whose user may see the notice now; they leave after
    commit (tasks.deliver), which checks visibility again at sending time."""
    marking, facets = marking_of(n), facets_of(n)
    rows = ctx.session.execute(select(Subscription, User).join(User, User.id == Subscription.user_id)
                               .where(User.active.is_(True))).all()
    now = ctx.clock.now()
    for sub, user in rows:
        if user.id == n.issued_by or not matches(criteria_of(sub), facets):
            continue
        if not may_see(accounts.actor_of(user), marking):
            continue
        targets = []
        if sub.email and user.email:
            targets.append(("email", user.email))
        if sub.webhook_url:
            targets.append(("webhook", sub.webhook_url))
        for channel, address in targets:
            ctx.session.add(Delivery(notice_id=n.id, subscription_id=sub.id, user_id=user.id, channel=channel,
                                     address=address, status="pending", attempts=0, created_at=now))


def deliveries(ctx: Context, notice_id: str) -> list[Delivery]:
    """The delivery log of a notice, for the issuing organisation."""
    n = _load_visible(ctx, notice_id, "read_deliveries")
    actor = _require_actor(ctx)
    if actor.organisation_id != n.owner_id:
        raise PermissionDenied("only the issuing organisation sees a notice's deliveries")
    return list(ctx.session.scalars(select(Delivery).where(Delivery.notice_id == n.id).order_by(Delivery.id)))


def outbound_payload(n: Notice, owner_name: str, base_url: str) -> dict[str, object]:
    """What leaves the node by e-mail or webhook. Only TLP:CLEAR/GREEN notices without personal data travel in
    full; for anything else the message says a notice is waiting and links to it, so restricted content stays
    behind the node's access checks instead of sitting in mailboxes and third-party logs."""
    payload: dict[str, object] = {
        "type": "notice.issued", "notice": n.id, "reference": n.reference, "notice_type": n.type,
        "tlp": n.tlp, "handling": n.handling, "issued_at": n.issued_at.isoformat(),
        "expires_at": n.expires_at.isoformat(), "url": f"{base_url.rstrip('/')}/notices/{n.id}",
        "issuer": owner_name,
    }
    if n.tlp in OPEN_TLP and not n.personal_data:
        payload.update({
            "title": n.title, "body": n.body, "language": n.language,
            "product_categories": n.product_categories, "right_ids": n.right_ids, "hs_chapters": n.hs_chapters,
            "route": n.route, "jurisdictions": n.jurisdictions,
        })
    return payload


@dataclass(frozen=True)
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    withheld: int = 0


def pending_deliveries(session: Session, max_attempts: int) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(Delivery.status == "pending",
                                                       Delivery.attempts < max_attempts).order_by(Delivery.id)))


def still_visible(session: Session, d: Delivery, clock: Clock) -> tuple[Notice | None, str | None]:
    """The notice if its subscriber may still see it and it is current; otherwise the reason it is withheld."""
    n = session.scalar(select(Notice).where(Notice.id == d.notice_id))
    actor = actor_for_user(session, d.user_id)
    if n is None or actor is None:
        return None, "the subscriber or the notice is gone"
    decision = may_see(actor, marking_of(n))
    if not decision:
        return None, f"no longer visible to the subscriber: {decision.reason}"
    if n.expires_at <= clock.now():
        return None, "the notice expired before it could be sent"
    return n, None


def owner_name(session: Session, n: Notice) -> str:
    org = session.get(Organisation, n.owner_id)
    return org.name if org else n.owner_id


def webhook_secret(session: Session, subscription_id: str) -> str | None:
    sub = session.get(Subscription, subscription_id)
    return sub.webhook_secret if sub else None


def query_of(q: str | None, type_: str | None, category: str | None, jurisdiction: str | None,
             right_id: str | None, hs_chapter: int | None, unread: bool, subscribed: bool, include_expired: bool,
             offset: int = 0, limit: int = 50) -> NoticeQuery:
    return NoticeQuery(q or None, type_ or None, category or None,
                                jurisdiction.strip().upper() if jurisdiction else None, right_id or None,
                                hs_chapter, unread, subscribed, include_expired, offset, limit)
