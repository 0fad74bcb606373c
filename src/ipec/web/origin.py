"""Refuse cross-site form posts: a state-changing request carried by the session cookie must come from a page
of this node. SameSite=Lax cookies already stop most of them; this also covers older browsers and subdomains.
Token-authenticated API calls carry no cookie and are not affected."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from ipec.web.deps import SESSION_COOKIE
from ipec.web.errors import problem

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class SameOriginMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if SESSION_COOKIE in headers.get("cookie", "") and "authorization" not in headers:
            source = headers.get("origin") or headers.get("referer")
            host = headers.get("host", "")
            if source and source != "null" and urlsplit(source).netloc != host:
                response = problem(403, "cross-site-request", "CrossSiteRequest",
                                   f"a form of {urlsplit(source).netloc} may not change data on this node")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
