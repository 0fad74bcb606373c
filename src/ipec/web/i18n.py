"""Translations for pages: Babel catalogues (.po) under ipec/locales, compiled in memory at first use."""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT = "en"


@cache
def translations(locale: str) -> NullTranslations:
    if locale == DEFAULT or locale not in LOCALES:
        return NullTranslations()
    po = resources.files("ipec").joinpath(f"locales/{locale}/LC_MESSAGES/messages.po")
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def negotiate(query: str | None, cookie: str | None, user_locale: str | None, accept_language: str | None) -> str:
    """Explicit choice first (link, then cookie), then the user's profile, then the browser's languages."""
    for candidate in (query, cookie, user_locale):
        if candidate and candidate in LOCALES:
            return candidate
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LOCALES:
            return tag
    return DEFAULT


def N_(message: str) -> str:
    """Mark a text for translation where it is defined; it is translated where it is shown."""
    return message


# Values of enums that pages show through _(value): listed here so `make i18n` extracts them.
ENUM_LABELS = [
    N_("admin"), N_("officer"), N_("analyst"), N_("holder"), N_("viewer"),
    N_("customs"), N_("police"), N_("prosecutor"), N_("court"), N_("ip_office"), N_("rights_holder"),
    N_("coordinator"), N_("trademark"), N_("design"), N_("patent"), N_("copyright"), N_("gi"),
    N_("filed"), N_("registered"), N_("expired"), N_("cancelled"), N_("word"), N_("figurative"),
]
