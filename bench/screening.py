"""Screening benchmark: speed, index size, and precision/recall on a labelled synthetic set.

    .venv/bin/python bench/screening.py              # 100,000 marks, 100,000 declarations
    .venv/bin/python bench/screening.py --million    # also build the index for 1,000,000 marks
    .venv/bin/python bench/screening.py --marks 20000 --declarations 20000 --sample 200   # quick look

Prints the figures and saves them to bench/results/screening.json. Everything is generated from a seed:
- marks: pronounceable invented words (1-3 words; some with '&', an apostrophe or accents), unique by skeleton,
  none an ordinary word; plus "near-word" marks one letter away from a dictionary word (LEATHOR, ZAPATIS);
- rights: 1-3 goods classes, national or EU protection, sometimes authorised parties;
- declarations: positives carrying a mark in one disguise kind of the issue (or two marks), and negatives of
  each kind (clean, ordinary word near a mark, goods outside the classes, destination outside protection,
  genuine goods from an authorised party). Each carries its expected (declaration, right) pairs.
Side by side, on a sample in the same run: a naive baseline (rapidfuzz process.extractOne per token over all
marks, then the same rules) and PostgreSQL pg_trgm word similarity (GIN index, then the same rules).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from ipec.screening import concordance
from ipec.screening.engine import Screener
from ipec.screening.lexicon import common_words
from ipec.screening.normalize import party_key, skeleton, tokenize
from ipec.screening.rules import Declaration, Right, make_right

RESULTS = Path(__file__).parent / "results" / "screening.json"

ONSETS = [
    "B", "BR", "C", "CH", "D", "DR", "F", "FL", "G", "GR", "K", "KL", "L", "M", "N", "P", "PR", "R", "S", "ST",
    "T", "TR", "V", "Z", "J", "H", "SH", "PH", "QU", "X",
]
VOWELS = ["A", "E", "I", "O", "U", "AI", "EO", "IA", "OU", "Y"]
CODAS = ["", "", "", "N", "R", "S", "L", "X", "M", "T", "NT", "RD"]
ACCENTED = {"E": "É", "A": "À", "O": "Ô", "U": "Ü", "I": "Ï"}
LEET = {"O": "0", "I": "1", "E": "3", "A": "4", "S": "5", "T": "7"}
CYRILLIC = {"A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
            "T": "Т", "X": "Х", "Y": "У"}
QUALIFIERS = ["STYLE", "TYPE", "BRAND", "LOGO"]
GOODS_CLASSES = [25, 25, 25, 18, 18, 14, 14, 9, 9, 3, 3, 28, 5, 34, 16, 21, 30, 33, 12, 7]
NATIONAL = ["FR", "DE", "IT", "ES", "NL", "BE", "PL", "US", "GB", "CN", "JP", "BR", "AE", "CH", "TR", "IN"]
ORIGINS = ["CN", "HK", "VN", "TR", "IN", "TH", "MY", "BD"]
DESTINATIONS = ["FR", "DE", "IT", "ES", "NL", "BE", "PL", "PT", "AT", "SE", "US", "GB", "JP", "BR", "AE",
                "CH", "CA", "AU", "MX", "KR"]

DISGUISES = ["exact", "case", "accents", "spaced", "punctuated", "joined", "hyphenated", "ampersand",
             "apostrophe", "leetspeak", "lookalike", "doubled", "typo-substitution", "typo-insertion",
             "typo-deletion", "typo-transposition", "two-typos", "qualifier", "two-marks"]
NEGATIVES = ["clean", "near-word", "other-class", "outside-protection", "authorised-party"]


@dataclass
class Case:
    declaration: Declaration
    kind: str
    expected: frozenset[str]


# --- generation ------------------------------------------------------------------------------------------------


def word(rng: random.Random) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(rng.randint(2, 3)))


def make_marks(rng: random.Random, count: int, words: frozenset[str]) -> tuple[list[str], dict[str, str]]:
    """Marks unique by skeleton; returns (marks, near-word marks -> the ordinary word they are near)."""
    seen: set[str] = set()
    word_skeletons = {skeleton(w) for w in words}
    marks: list[str] = []
    near: dict[str, str] = {}

    def fresh(mark: str) -> bool:
        key = "".join(skeleton(t.text) for t in tokenize(mark))
        if key in seen or key in word_skeletons or len(key) < 4:
            return False
        seen.add(key)
        return True

    long_words = sorted(w for w in words if len(w) >= 6 and w.isalpha() and w.isascii())
    near_count = count // 100
    while len(near) < near_count and long_words:
        base = rng.choice(long_words)
        i = rng.randrange(1, len(base) - 1)
        mark = base[:i] + rng.choice("AEIOUXZ") + base[i + 1 :]
        if mark != base and mark not in words and fresh(mark):
            near[mark] = base
            marks.append(mark)
    while len(marks) < count:
        roll = rng.random()
        if roll < 0.10:
            mark = f"{word(rng)} {word(rng)}"
        elif roll < 0.12:
            mark = f"{word(rng)} {word(rng)} {word(rng)}"
        elif roll < 0.13:
            mark = f"{word(rng)} & {word(rng)}"
        elif roll < 0.14:
            mark = f"{rng.choice('LD')}'{word(rng)}"
        elif roll < 0.17:
            w = word(rng)
            vowels = [i for i, c in enumerate(w) if c in ACCENTED]
            i = rng.choice(vowels) if vowels else 0
            mark = w[:i] + ACCENTED.get(w[i], w[i]) + w[i + 1 :]
        else:
            mark = word(rng)
        if fresh(mark):
            marks.append(mark)
    return marks, near


def hs_codes_by_class() -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for prefix in concordance.table():
        for suffix in ("1010", "2090", "9900", "0000", "3000"):
            code = (prefix + suffix)[:6]
            for nice in concordance.classes_for(code):
                out[nice].append(code)
    return {k: sorted(set(v)) for k, v in out.items()}


def make_rights(rng: random.Random, marks: list[str]) -> list[Right]:
    rights = []
    for n, mark in enumerate(marks):
        classes = sorted(set(rng.sample(GOODS_CLASSES, rng.randint(1, 3))))
        protected = ["EU"] if rng.random() < 0.5 else rng.sample(NATIONAL, rng.randint(1, 4))
        parties = [f"{word(rng)} {rng.choice(['GMBH', 'BV', 'SA', 'LTD', 'INC'])}" for _ in range(rng.randint(1, 2))]
        authorised = parties if rng.random() < 0.3 else []
        rights.append(make_right(f"R{n:07d}", "trademark", mark, classes, protected, f"Holder {n % 5000}",
                                 authorised))
    return rights


def spaced(mark: str, sep: str) -> str:
    return sep.join(c for c in mark.replace(" ", ""))


def typo(rng: random.Random, text: str, op: str) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    i = rng.choice(letters[1:-1] or letters)
    if op == "substitution":
        return text[:i] + rng.choice([c for c in "BDFGKLMNPRSTVZ" if c != text[i]]) + text[i + 1 :]
    if op == "insertion":
        return text[:i] + rng.choice("BDFGKLMNPRSTVZ") + text[i:]
    if op == "deletion":
        return text[:i] + text[i + 1 :]
    j = i + 1 if i + 1 < len(text) and text[i + 1].isalpha() and text[i + 1] != text[i] else i - 1
    a, b = sorted((i, j))
    return text[:a] + text[b] + text[a] + text[b + 1 :]


def disguise(rng: random.Random, mark: str, kind: str) -> str | None:
    """The mark written in one disguise kind, or None when the kind does not apply to this mark."""
    words = mark.split()
    plain = mark.upper()
    key = skeleton("".join(t.text for t in tokenize(mark)))
    if kind == "exact":
        return mark
    if kind == "case":
        return mark.lower() if rng.random() < 0.5 else mark.title()
    if kind == "accents":
        vowels = [i for i, c in enumerate(plain) if c in ACCENTED]
        if not vowels:
            return None
        i = rng.choice(vowels)
        return plain[:i] + ACCENTED[plain[i]] + plain[i + 1 :]
    if kind in ("spaced", "punctuated"):
        if len(words) > 1 or len(plain) > 10 or not plain.isalpha():
            return None
        return spaced(plain, " " if kind == "spaced" else ".")
    if kind == "joined":
        return "".join(words) if len(words) > 1 and "&" not in words else None
    if kind == "hyphenated":
        if len(words) > 1 and "&" not in words:
            return "-".join(words)
        if len(plain) >= 6 and plain.isalpha():
            i = len(plain) // 2
            return plain[:i] + "-" + plain[i:]
        return None
    if kind == "ampersand":
        if "&" not in words:
            return None
        return mark.replace("&", "AND") if rng.random() < 0.5 else mark.replace(" & ", " ")
    if kind == "apostrophe":
        return mark.replace("'", "") if "'" in mark else None
    if kind == "leetspeak":
        spots = [i for i, c in enumerate(plain) if c in LEET]
        if not spots:
            return None
        for i in rng.sample(spots, min(len(spots), rng.randint(1, 2))):
            plain = plain[:i] + LEET[plain[i]] + plain[i + 1 :]
        return plain
    if kind == "lookalike":
        spots = [i for i, c in enumerate(plain) if c in CYRILLIC]
        if not spots:
            return None
        for i in rng.sample(spots, min(len(spots), rng.randint(1, 3))):
            plain = plain[:i] + CYRILLIC[plain[i]] + plain[i + 1 :]
        return plain
    if kind == "doubled":
        spots = [i for i, c in enumerate(plain) if c.isalpha()]
        i = rng.choice(spots)
        return plain[:i] + plain[i] + plain[i:]
    if kind.startswith("typo-"):
        if len(key) < 4 or len(words) > 1 or not plain.isalpha():
            return None
        return typo(rng, plain, kind[5:])
    if kind == "two-typos":
        if len(key) < 10 or len(words) > 1 or not plain.isalpha():
            return None
        once = typo(rng, plain, "substitution")
        return typo(rng, once, rng.choice(["substitution", "deletion", "insertion"]))
    if kind == "qualifier":
        q = rng.choice(QUALIFIERS)
        return rng.choice([f"{mark} {q}", f"{q} {mark}", f"{plain.replace(' ', '')}{q}"])
    raise ValueError(kind)


class World:
    def __init__(self, seed: int, marks: int) -> None:
        self.rng = random.Random(seed)
        words = common_words()
        self.marks, self.near = make_marks(self.rng, marks, words)
        self.rights = make_rights(self.rng, self.marks)
        self.by_mark = {r.mark: r for r in self.rights}
        self.hs = hs_codes_by_class()
        self.filler = sorted(w for w in words if len(w) >= 3 and w.isascii())
        self.codes = [f"{self.rng.choice('ABCDEFGHKLMNPRSTXZ')}{self.rng.choice('ABCDEFGHKLMNPRSTXZ')}-"
                      f"{self.rng.randint(10, 999)}" for _ in range(500)]
        self.products: list[str] = []

    def vet_products(self, screener: Screener, count: int = 3000) -> None:
        """Invented product words (not ordinary, not a mark, not near one), like model names in real
        descriptions."""
        while len(self.products) < count:
            w = word(self.rng)
            key = skeleton(w)
            if key in screener.index.exact or screener.index.fuzzy(key)[1] or w in common_words():
                continue
            self.products.append(w)

    def goods_for(self, right: Right, inside: bool) -> str:
        if inside:
            return self.rng.choice(self.hs[self.rng.choice(sorted(right.nice_classes))])
        while True:  # an HS code none of whose classes is protected (6506 is 9 and 25: not for a class-25 right)
            nice = self.rng.choice([c for c in self.hs if c not in right.nice_classes])
            code = self.rng.choice(self.hs[nice])
            if not concordance.classes_for(code) & right.nice_classes:
                return code

    def destination(self, right: Right, inside: bool) -> str:
        options = [d for d in DESTINATIONS if (d in right.countries) == inside]
        if inside and not options:
            options = sorted(right.countries)
        return self.rng.choice(options)

    def around(self, text: str) -> str:
        rng = self.rng
        before = rng.sample(self.filler, rng.randint(0, 2))
        after = rng.sample(self.filler, rng.randint(1, 3))
        if rng.random() < 0.5 and self.products:
            after.insert(0, rng.choice(self.products))
        if rng.random() < 0.3:
            after.append(rng.choice(self.codes))
        if rng.random() < 0.3:
            after.append(f"SIZE {rng.randint(30, 46)}")
        return " ".join([*before, text, *after]) if text else " ".join([*before, *after])

    def sender(self) -> str:
        return f"{word(self.rng)} TRADING CO"

    def declaration(self, n: int, description: str, hs: str, destination: str, consignor: str) -> Declaration:
        return Declaration(f"B{n:07d}", description, hs, self.rng.choice(ORIGINS), destination, consignor,
                           f"{word(self.rng)} {word(self.rng)}", float(self.rng.randint(1, 500)), 100.0, "EUR")

    def cases(self, count: int) -> list[Case]:
        rng = self.rng
        out: list[Case] = []
        near_marks = list(self.near)
        while len(out) < count:
            n = len(out)
            right = rng.choice(self.rights)
            if rng.random() < 0.45:
                kind = rng.choice(DISGUISES)
                if kind == "two-marks":
                    other = rng.choice(self.rights)
                    shared = sorted(right.nice_classes & other.nice_classes)
                    places = sorted(right.countries & other.countries & set(DESTINATIONS))
                    if other is right or not shared or not places:
                        continue
                    second = disguise(rng, other.mark, "leetspeak") or other.mark
                    text = f"{disguise(rng, right.mark, 'case')} AND {second}"
                    hs = rng.choice(self.hs[rng.choice(shared)])
                    decl = self.declaration(n, self.around(text), hs, rng.choice(places), self.sender())
                    out.append(Case(decl, kind, frozenset({right.right_id, other.right_id})))
                    continue
                text = disguise(rng, right.mark, kind)
                if text is None:
                    continue
                decl = self.declaration(n, self.around(text), self.goods_for(right, True),
                                        self.destination(right, True), self.sender())
                out.append(Case(decl, kind, frozenset({right.right_id})))
                continue
            kind = rng.choice(NEGATIVES)
            if kind == "clean":
                decl = self.declaration(n, self.around(""), self.goods_for(right, True),
                                        self.destination(right, True), self.sender())
            elif kind == "near-word":
                mark = rng.choice(near_marks)
                right = self.by_mark[mark]
                decl = self.declaration(n, self.around(self.near[mark]), self.goods_for(right, True),
                                        self.destination(right, True), self.sender())
            elif kind == "other-class":
                decl = self.declaration(n, self.around(right.mark), self.goods_for(right, False),
                                        self.destination(right, True), self.sender())
            elif kind == "outside-protection":
                if not [d for d in DESTINATIONS if d not in right.countries]:
                    continue
                decl = self.declaration(n, self.around(right.mark), self.goods_for(right, True),
                                        self.destination(right, False), self.sender())
            else:
                if not right.authorized_parties:
                    continue
                decl = self.declaration(n, self.around(right.mark), self.goods_for(right, True),
                                        self.destination(right, True), rng.choice(right.authorized_parties))
            out.append(Case(decl, kind, frozenset()))
        return out


# --- scoring ---------------------------------------------------------------------------------------------------


def score(cases: list[Case], found: list[set[str]]) -> dict[str, dict[str, float | int | None]]:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for case, got in zip(cases, found, strict=True):
        for bucket in (case.kind, "all"):
            c = by_kind[bucket]
            c["declarations"] += 1
            c["tp"] += len(got & case.expected)
            c["fp"] += len(got - case.expected)
            c["fn"] += len(case.expected - got)
            c["flagged"] += bool(got)
    out: dict[str, dict[str, float | int | None]] = {}
    for kind, c in sorted(by_kind.items()):
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        out[kind] = {
            "declarations": c["declarations"],
            "tp": tp, "fp": fp, "fn": fn,
            "precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "recall": round(tp / (tp + fn), 4) if tp + fn else None,
            "not_flagged": round(1 - c["flagged"] / c["declarations"], 4),
        }
    return out


def apply_rules(right: Right, decl: Declaration) -> bool:
    if not (right.nice_classes & concordance.classes_for(decl.hs_code)):
        return False
    if decl.destination not in right.countries:
        return False
    keys = {party_key(decl.consignor), party_key(decl.consignee)}
    return not (right.party_keys & keys)


def naive(world: World, cases: list[Case]) -> tuple[float, list[set[str]]]:
    """rapidfuzz process.extractOne per token over all marks (ratio >= 85), then the same rules."""
    choices = [r.mark.upper() for r in world.rights]
    started = time.perf_counter()
    found = []
    for case in cases:
        got: set[str] = set()
        for token in case.declaration.description.upper().split():
            if len(token) < 3:
                continue
            best = process.extractOne(token, choices, scorer=fuzz.ratio, score_cutoff=85)
            if best is not None:
                right = world.rights[best[2]]
                if apply_rules(right, case.declaration):
                    got.add(right.right_id)
        found.append(got)
    return time.perf_counter() - started, found


def pg_trgm(world: World, cases: list[Case], dsn: str) -> dict[str, object]:
    """pg_trgm word similarity of each mark to the description (GIN index), then the same rules."""
    try:
        import psycopg
    except ImportError as exc:
        return {"error": f"psycopg missing: {exc}"}
    try:
        conn = psycopg.connect(dsn, autocommit=True)
    except Exception as exc:  # the benchmark reports what it could not measure
        return {"error": f"no PostgreSQL at {dsn}: {exc}"}
    with conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute("CREATE TEMPORARY TABLE bench_marks (n integer, mark text)")
        started = time.perf_counter()
        with conn.cursor().copy("COPY bench_marks (n, mark) FROM STDIN") as copy:
            for n, right in enumerate(world.rights):
                copy.write_row((n, right.mark.upper()))
        conn.execute("CREATE INDEX ON bench_marks USING gin (mark gin_trgm_ops)")
        built = time.perf_counter() - started
        conn.execute("SET pg_trgm.word_similarity_threshold = 0.7")
        started = time.perf_counter()
        found = []
        for case in cases:
            rows = conn.execute("SELECT n FROM bench_marks WHERE mark <%% %s",
                                (case.declaration.description.upper(),)).fetchall()
            got = {world.rights[n].right_id for (n,) in rows if apply_rules(world.rights[n], case.declaration)}
            found.append(got)
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_marks")
    return {"index_build_s": round(built, 2), "declarations_per_s": round(len(cases) / elapsed, 1),
            "quality": score(cases, found)["all"]}


# --- measuring -------------------------------------------------------------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def index_only(marks: int, seed: int) -> dict[str, float]:
    """Build rights and the index for `marks` marks in this process; report time and memory."""
    rng = random.Random(seed)
    names, _ = make_marks(rng, marks, common_words())
    rights = make_rights(rng, names)
    del names
    before = rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    screener = Screener(rights)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    after = rss_mb()
    return {
        "marks": marks,
        "index_build_s": round(elapsed, 2),
        "index_build_cpu_s": round(cpu, 2),
        "index_mb": round(after - before, 1),
        "process_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "skeletons": len(screener.index),
    }


def index_in_subprocess(marks: int, seed: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--index-only", str(marks), "--seed", str(seed)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


_shared: Screener | None = None


def _screen_part(part: list[Declaration]) -> int:
    assert _shared is not None
    return sum(len(_shared.screen(d)) for d in part)


def throughput(screener: Screener, declarations: list[Declaration], workers: int) -> float:
    global _shared
    _shared = screener
    size = (len(declarations) + workers - 1) // workers
    parts = [declarations[i : i + size] for i in range(0, len(declarations), size)]
    gc.freeze()  # as the CLI does: no collection in the workers touching (and copying) the shared index
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_screen_part, parts)
    elapsed = time.perf_counter() - started
    gc.unfreeze()
    return len(declarations) / elapsed


def main(argv: Iterable[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--marks", type=int, default=100_000)
    parser.add_argument("--declarations", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=1000, help="declarations for the side-by-side baselines")
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--pg-sample", type=int, default=300)
    parser.add_argument("--skip-baselines", action="store_true", help="only the engine's own figures")
    parser.add_argument("--million", action="store_true", help="also build the index for 1,000,000 marks")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=20240603)
    parser.add_argument("--dsn", default="host=127.0.0.1 port=5432 user=root dbname=test")
    parser.add_argument("--index-only", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.index_only:
        print(json.dumps(index_only(args.index_only, args.seed)))
        return {}

    print(f"generating {args.marks:,} marks and {args.declarations:,} declarations (seed {args.seed}) ...")
    world = World(args.seed, args.marks)
    index = index_in_subprocess(args.marks, args.seed)
    screener = Screener(world.rights)
    world.vet_products(screener)
    cases = world.cases(args.declarations)
    declarations = [c.declaration for c in cases]

    # One core, one pass over the whole set with a fresh screener (its caches start empty). Timed by the CPU
    # time of this process as well as the wall clock: on a shared machine the wall clock counts other people's
    # work too, the CPU time does not.
    fresh = Screener(world.rights)
    gc.freeze()  # as `ipec screen` does once its index is built (cli.run)
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    scored = [{h.right_id: h.score for h in fresh.screen(d)} for d in declarations]
    wall, cpu = time.perf_counter() - wall_started, time.process_time() - cpu_started
    gc.unfreeze()
    found = [set(s) for s in scored]
    quality = score(cases, found)
    # Precision and recall had the threshold been higher (every candidate scores at least 0.7).
    sweep = {
        str(t): score(cases, [{r for r, v in s.items() if v >= t} for s in scored])["all"]
        for t in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)
    }

    # Scaling: the same screener, warmed on other declarations of the same world (a long-running screener's
    # caches are warm), forked into N processes that split the set.
    warmed = Screener(world.rights)
    for case in world.cases(20_000):
        warmed.screen(case.declaration)
    scaling = {n: round(throughput(warmed, declarations, n), 1) for n in range(1, args.workers + 1)}

    baselines: dict[str, object] = {}
    if not args.skip_baselines:
        sample = cases[: args.sample]
        sample_screener = Screener(world.rights)  # fresh: no cache from the runs above
        started = time.perf_counter()
        engine_sample = [{h.right_id for h in sample_screener.screen(c.declaration)} for c in sample]
        engine_s = time.perf_counter() - started
        naive_cases = cases[: args.naive_sample]
        naive_s, naive_found = naive(world, naive_cases)
        baselines = {
            "engine_on_sample": {
                "declarations": len(sample),
                "declarations_per_s": round(len(sample) / engine_s, 1),
                "quality": score(sample, engine_sample)["all"],
            },
            "naive_rapidfuzz_extractOne": {
                "declarations": len(naive_cases),
                "declarations_per_s": round(len(naive_cases) / naive_s, 2),
                "quality": score(naive_cases, naive_found)["all"],
            },
            "pg_trgm_word_similarity": {
                "declarations": min(len(sample), args.pg_sample),
                **pg_trgm(world, sample[: args.pg_sample], args.dsn),
            },
        }
    results: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "seed": args.seed,
        "marks": len(world.rights),
        "declarations": len(declarations),
        "positives": sum(1 for c in cases if c.expected),
        "declarations_per_s_one_core_cpu_time": round(len(declarations) / cpu, 1),
        "declarations_per_s_one_core_wall_clock": round(len(declarations) / wall, 1),
        "load_average": os.getloadavg(),
        "workers_declarations_per_s": scaling,
        "index_100k": index,
        "quality": quality,
        "threshold_sweep": sweep,
        "baselines": baselines,
    }
    if args.million:
        results["index_1m"] = index_in_subprocess(1_000_000, args.seed)
    report(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"saved {args.out}")
    return results


def report(r: dict[str, object]) -> None:
    print(f"\n{r['marks']:,} marks, {r['declarations']:,} declarations ({r['positives']:,} positive)")
    print(f"one core: {r['declarations_per_s_one_core_cpu_time']:,} declarations per CPU second "
          f"({r['declarations_per_s_one_core_wall_clock']:,}/s by the wall clock; load {r['load_average']})")
    print(f"workers: {r['workers_declarations_per_s']}")
    for key in ("index_100k", "index_1m"):
        if key in r:
            print(f"{key}: {r[key]}")
    quality = r["quality"]
    assert isinstance(quality, dict)
    print(f"\n{'kind':<22}{'decl':>8}{'tp':>7}{'fp':>6}{'fn':>6}{'precision':>11}{'recall':>8}{'clean':>8}")
    for kind, q in quality.items():
        print(f"{kind:<22}{q['declarations']:>8}{q['tp']:>7}{q['fp']:>6}{q['fn']:>6}"
              f"{q['precision'] if q['precision'] is not None else '-':>11}"
              f"{q['recall'] if q['recall'] is not None else '-':>8}{q['not_flagged']:>8}")
    sweep = r["threshold_sweep"]
    assert isinstance(sweep, dict)
    print("\nthreshold sweep: " + ", ".join(f"{t}: P {q['precision']} R {q['recall']}" for t, q in sweep.items()))
    print("\nside by side:")
    baselines = r["baselines"]
    assert isinstance(baselines, dict)
    for name, b in baselines.items():
        print(f"  {name}: {b}")


if __name__ == "__main__":
    main()
