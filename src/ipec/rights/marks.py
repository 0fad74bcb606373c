"""Search keys for mark text: upper case, accents dropped, punctuation folded to single spaces.

Kept deliberately simpler than screening's normaliser: the register is searched by people who type the
mark, not by counterfeiters who disguise it.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9A-Z]+")


def mark_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("&", " AND ").replace("'", "").replace("’", "")
    return _NON_ALNUM.sub(" ", stripped.upper()).strip()
