"""Corpus-learned knowledge for job-title matching, derived from the label sets themselves.

* :func:`mine_substitutions` - words that are interchangeable in job titles. Two labels of the
  same occupation that differ in exactly one unit (``filiaalbeheerder`` / ``filiaalmanager``,
  ``leraar fysica secundair onderwijs`` / ``leraar fysica voortgezet onderwijs``) are evidence
  that the two differing units can replace each other. A pair seen in several occupations is a
  learned substitution, with a strength that grows with the number of occupations and shrinks
  with how freely each unit is replaced by anything else.
* :func:`learn_acronyms` - acronyms that the labels spell out (``chief operating officer`` gives
  ``coo``), so that a title typed as an acronym finds the occupation whose label spells it out.
* :func:`char_grams` / :class:`GramIndex` - character n-grams of a canonical title (inside words,
  with word boundaries), used as a typo-tolerant similarity that also works inside compounds.

Everything here is pure Python, deterministic, and computed from the occupation labels only.
"""
from __future__ import annotations

import math
from collections import Counter
from itertools import combinations
from typing import Iterable, Sequence

__all__ = ["mine_substitutions", "learn_acronyms", "char_grams", "GramIndex"]


def mine_substitutions(label_units_per_occupation: Iterable[Sequence[Iterable[str]]], *, min_support: int = 2,
                       max_per_unit: int = 8, smoothing: float = 2.0) -> dict[str, tuple[tuple[str, float], ...]]:
    """unit -> ((substitute, strength 0..1), ...) learned from labels of the same occupation.

    Every occupation is a sequence of labels, each given as its units (words and compound parts;
    units starting with ``#`` are ignored). A pair (a, b) is counted once per occupation when two
    of its labels share at least one unit and differ by a for b only. Pairs seen in at least
    ``min_support`` occupations are kept. The strength is
    ``support / (support + smoothing) * support / sqrt(subst(a) * subst(b))`` (capped at 1), where
    subst(x) counts the occupations in which x is replaced by anything: a word that is swapped for
    everything (a generic head) gets weaker links than a specific, consistent pair.
    """
    pair_occ: Counter = Counter()
    subst_occ: Counter = Counter()
    for labels in label_units_per_occupation:
        sets = list({frozenset(u for u in units if u and u[0] != "#") for units in labels})
        pairs: set[tuple[str, str]] = set()
        for a, b in combinations(sets, 2):
            if len(a) != len(b):
                continue
            d1 = a - b
            if len(d1) != 1:
                continue
            d2 = b - a
            if len(d2) != 1 or not (a & b):
                continue
            x, y = next(iter(d1)), next(iter(d2))
            if x.isdigit() or y.isdigit() or len(x) < 2 or len(y) < 2:
                continue
            pairs.add((x, y) if x < y else (y, x))
        for p in pairs:
            pair_occ[p] += 1
        for u in {x for p in pairs for x in p}:
            subst_occ[u] += 1
    table: dict[str, list[tuple[str, float]]] = {}
    for (x, y), n in pair_occ.items():
        if n < min_support:
            continue
        s = n / (n + smoothing) * min(1.0, n / math.sqrt(subst_occ[x] * subst_occ[y]) * 2.0)
        s = round(min(1.0, s), 4)
        table.setdefault(x, []).append((y, s))
        table.setdefault(y, []).append((x, s))
    return {u: tuple(sorted(v, key=lambda t: (-t[1], t[0]))[:max_per_unit]) for u, v in sorted(table.items())}


def learn_acronyms(texts: Iterable[str], normalize, stopwords: frozenset[str], *, min_len: int = 3,
                   max_len: int = 6) -> dict[str, str]:
    """acronym -> the normalised label text it abbreviates, from labels of ``min_len`` to ``max_len``
    words (``chief information security officer`` -> ``ciso``; also without function words:
    ``officier van justitie`` -> ``oj`` is too short and is left out). ``normalize`` is the surface
    normalisation of the caller. When several labels give one acronym, the expansion written most
    often wins (ties: the shortest, then alphabetical), so the result does not depend on label order."""
    seen: dict[str, Counter] = {}
    for t in texts:
        words = normalize(t).split()
        if not words or not all(w[0].isalpha() for w in words):
            continue
        forms = {tuple(words), tuple(w for w in words if w not in stopwords)}
        for form in forms:
            if min_len <= len(form) <= max_len:
                acro = "".join(w[0] for w in form)
                seen.setdefault(acro, Counter())[" ".join(words)] += 1
    out: dict[str, str] = {}
    for acro, c in seen.items():
        out[acro] = min(c.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
    return out


def char_grams(text: str, n: int = 3) -> Counter:
    """Character n-grams of a canonical text, each word padded with spaces (``" kap"``)."""
    out: Counter = Counter()
    for w in text.split():
        p = f" {w} "
        if len(p) <= n:
            out[p] += 1
            continue
        for k in range(len(p) - n + 1):
            out[p[k:k + n]] += 1
    return out


class GramIndex:
    """TF-IDF vectors of character n-grams per label, for a cosine between a query and chosen labels."""

    def __init__(self, texts: Sequence[str], n: int = 3, idf: dict[str, float] | None = None):
        self.n = n
        self.texts = texts
        if idf is None:
            df: Counter = Counter()
            for t in texts:
                df.update(char_grams(t, n).keys())
            total = len(texts) or 1
            idf = {g: round(math.log(1.0 + total / d), 4) for g, d in df.items()}
        self.idf = idf
        self.max_idf = math.log(1.0 + (len(texts) or 1))
        self._vectors: dict[int, tuple[dict[str, float], float]] = {}   # built on first use

    def vector(self, i: int) -> tuple[dict[str, float], float]:
        hit = self._vectors.get(i)
        if hit is None:
            idf = self.idf
            vec = {k: (1.0 + math.log(c)) * idf.get(k, self.max_idf) for k, c in char_grams(self.texts[i], self.n).items()}
            hit = self._vectors[i] = (vec, math.sqrt(sum(v * v for v in vec.values())) or 1.0)
        return hit

    def query_vector(self, text: str) -> tuple[dict[str, float], float]:
        g = char_grams(text, self.n)
        vec = {k: (1.0 + math.log(c)) * self.idf.get(k, self.max_idf) for k, c in g.items()}
        return vec, math.sqrt(sum(v * v for v in vec.values())) or 1.0

    def cosine(self, qvec: dict[str, float], qnorm: float, i: int) -> float:
        lv, ln = self.vector(i)
        if len(qvec) > len(lv):
            dot = sum(v * qvec.get(k, 0.0) for k, v in lv.items())
        else:
            dot = sum(v * lv.get(k, 0.0) for k, v in qvec.items())
        return dot / (qnorm * ln)
