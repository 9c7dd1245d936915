"""Job-title matching: a free-text job title -> ranked occupations.

``TitleMatcher`` is built once from generic occupation records (ESCO or app-embedded), each with
labels of a kind (preferred / alternative / hidden). A query is normalised with
:class:`core.textnorm.Normalizer` (whose vocabulary is learned from the labels), candidates come
from an inverted index over normalised, stemmed units (words and compound parts), from learned
substitutes of those units, and from a character-level search (typing errors). Each candidate
label gets the features in :data:`FEATURES` - IDF cosine and coverage (exact and through
substitutions), head-noun agreement, character similarity and trigram TF-IDF cosine, coverage of
the query by all labels of the occupation, BM25 of the query words in the occupation's description
(a weak extra document that often holds the word the labels lack) - blended linearly with :attr:`TitleMatcher.WEIGHTS`
(fitted with ``tools/dev_eval_titles.py --tune``, two-fold cross-validation) and scaled by the kind
of label (preferred > alternative > hidden).

Substitutions are learned from the occupation file itself (:mod:`core.title_features`): units
that replace each other between labels of one occupation (``filiaalbeheerder`` /
``filiaalmanager``) in several occupations.

The best candidates of the blend are then re-ordered by a small tree ensemble fitted with
LambdaRank on labelled title sets (:mod:`core.title_ranker`, ``resources/ranker/titles.json``);
it is used on large corpora only, and the score returned stays the blend's (0..100), capped so
that it never rises down the list.

An acronym typed in capitals that is no word of the labels (``COO``) is replaced by the label
words that spell it out (``chief operating officer``, :func:`core.title_features.learn_acronyms`);
acronyms that no label spells out come from the hand-written abbreviation list.

One entry per occupation, best first; the label that matched is returned.
The prepared state can be exported as plain data (:meth:`TitleMatcher.export_state`) and
restored without re-analysing the labels (:meth:`TitleMatcher.from_state`).
"""
from __future__ import annotations

import hashlib
import logging
from bisect import bisect_left, bisect_right
import math
import re
from collections import defaultdict
from operator import mul
from dataclasses import dataclass
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from core.resources import resource_path
from core.textnorm import MAX_TEXT, STOPWORDS, Normalizer, clip_text, normalize
from core.title_features import GramIndex, learn_acronyms, mine_substitutions
from core.title_ranker import RANKER_EXTRA, TitleRanker, default_ranker

__all__ = ["LabelKind", "OccupationRecord", "TitleMatch", "TitleMatcher", "records_from_esco", "FEATURES"]

# features of a candidate label (TitleMatcher.candidate_features), blended with TitleMatcher.WEIGHTS
FEATURES = (
    "cos",        # IDF cosine over units (words, compound parts, truncations)
    "subst_cos",  # extra cosine through corpus-learned substitutions, for query units the label lacks
    "cover",      # share of the query's IDF weight found in the label
    "subst_cover",  # extra coverage through substitutions
    "head",       # head noun agreement: 1 same head, 0.5 the query head is a part of the label
    "subst_head",  # the label head is a learned substitute of the query head (strength)
    "char",       # character similarity of the canonical strings (ratio, token sort, sorted units)
    "exact",      # the canonical label as typed
    "grams",      # character trigram TF-IDF cosine (typing errors, also inside compounds)
    "occ_cover",  # share of the query's IDF weight found in any label of the occupation
    "occ_subst",  # extra occupation coverage through substitutions
    "label_cover",  # share of the label's IDF weight found in the query (precision)
    "occ_size",   # log of the number of labels of the occupation, scaled to 0..1 (a prior)
    "occ_head",   # some label of the occupation has the query head as its head (or a learned substitute)
    "occ_core",   # query weight found in the occupation, each unit counted by the share of its labels having it
    "desc",       # BM25 of the query units in the occupation's description, scaled to 0..1
    "desc_gap",   # query weight missing from every label of the occupation but found in its description
)

log = logging.getLogger("werkbrug.titles")

_CAPS_WORD = re.compile(r"(?<![^\W\d_])[A-Z]{3,6}(?![^\W\d_])")   # COO, CISO; not inside a word

STATE_VERSION = 1
ALGORITHM_REVISION = 14  # bump when the analysis of labels changes


def state_fingerprint() -> str:
    """Fingerprint of everything an exported state depends on besides the records: the
    analysis revision and the lexicon files. A state with another fingerprint is rejected."""
    h = hashlib.sha256(f"{STATE_VERSION}|{ALGORITHM_REVISION}".encode())
    folder = resource_path("lexicon")
    if folder.is_dir():
        for f in sorted(folder.iterdir()):
            if f.is_file():
                h.update(f.name.encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


class LabelKind:
    PREFERRED = "preferred"
    ALTERNATIVE = "alternative"
    HIDDEN = "hidden"
    REFERENCE = "reference"   # added from the embedded reference data to an occupation of the taxonomy


_KIND_WEIGHT = {LabelKind.PREFERRED: 1.0, LabelKind.ALTERNATIVE: 0.985, LabelKind.REFERENCE: 0.985,
                LabelKind.HIDDEN: 0.96}


@dataclass(frozen=True, slots=True)
class OccupationRecord:
    """Generic input: one occupation with its labels as (text, kind) pairs."""
    key: str                                   # ESCO URI or an app-specific id
    isco: str
    labels: tuple[tuple[str, str], ...]
    description: str = ""                      # free text; a weak extra source of words


@dataclass(frozen=True, slots=True)
class TitleMatch:
    uri: str        # the record key (ESCO URI for ESCO occupations)
    label: str      # the label that matched best
    isco: str
    score: float    # 0..100
    kind: str       # kind of the matched label

    def as_dict(self) -> dict:
        return {"uri": self.uri, "label": self.label, "isco": self.isco, "score": round(self.score, 2)}


MAX_DESCRIPTION = 5000   # characters of an occupation's description that are read


def _usable_label(text: str) -> bool:
    """A label worth indexing: not empty, and not longer than any title is (a broken import)."""
    return bool(text) and bool(text.strip()) and len(text) <= MAX_TEXT


def records_from_esco(occupations: Iterable) -> list[OccupationRecord]:
    """OccupationRecords from core.esco_csv.EscoOccupation objects."""
    out = []
    for o in occupations:
        labels = [(o.preferred_label, LabelKind.PREFERRED)]
        labels += [(a, LabelKind.ALTERNATIVE) for a in o.alt_labels]
        labels += [(h, LabelKind.HIDDEN) for h in o.hidden_labels]
        out.append(OccupationRecord(o.uri, o.isco, tuple(labels), getattr(o, "description", "") or ""))
    return out


class TitleMatcher:
    # blend weights: label-level features, then coverage of the query by all labels of the occupation
    # blend weights, in the order of FEATURES
    WEIGHTS: tuple[float, ...] = (0.34, 0.22, 0.0, 0.08, 0.0, 0.2, 0.15, 0.27, 0.19, 0.29, 0.33, 0.0, 0.02, 0.07, 0.1, 0.06, 0.1)
    CANDIDATES = 45
    PREFIX_WEIGHT = 0.5
    SUBST_PRUNE = 0.5
    FREQUENT_DF = 150
    FUZZ_TOP = 100
    GRAM_TOP = 40
    SWAP_RATIO = 70   # two different known words this alike (fuzz.ratio) count as a swap
    SUBST_MIN_SUPPORT = 1
    DESC_K1 = 1.2
    DESC_B = 0.75

    def __init__(self, records: Sequence[OccupationRecord] | None = None, *, _state: dict | None = None):
        if _state is not None:
            self._load(_state)
            return
        records = list(records or [])
        texts = [t for r in records for t, _k in r.labels if _usable_label(t)]
        self.norm = Normalizer.from_texts(texts)
        self.occ_keys: list[str] = []
        self.occ_isco: list[str] = []
        self.occ_desc: list[tuple[str, ...]] = []
        # per label
        self.l_occ: list[int] = []
        self.l_kind: list[str] = []
        self.l_text: list[str] = []
        self.l_canon: list[str] = []
        self.l_units: list[tuple[str, ...]] = []
        self.l_head: list[str] = []
        seen_occ: dict[str, int] = {}
        for r in records:
            oi = seen_occ.get(r.key)
            if oi is None:
                oi = seen_occ[r.key] = len(self.occ_keys)
                self.occ_keys.append(r.key)
                self.occ_isco.append(r.isco or "")
                self.occ_desc.append(self.norm.plain_units(clip_text(r.description, MAX_DESCRIPTION))
                                     if r.description else ())
            done: set[str] = set()
            for text, kind in r.labels:
                if not _usable_label(text):
                    continue
                canon = self.norm.canonical(text)
                if not canon or canon in done:
                    continue
                done.add(canon)
                self.l_occ.append(oi)
                self.l_kind.append(kind)
                self.l_text.append(text.strip())
                self.l_canon.append(canon)
                self.l_units.append(self.norm.match_units(text))
                self.l_head.append(self.norm.head(text))
        self._prepare()

    # ------------------------------------------------------------------ state
    def export_state(self) -> dict:
        """Prepared state as plain JSON-able data (store it, e.g. in SQLite, as JSON)."""
        return {
            "version": STATE_VERSION,
            "fingerprint": state_fingerprint(),
            "vocab": self.norm.export_vocab(),
            "occupations": [[k, i] for k, i in zip(self.occ_keys, self.occ_isco)],
            "labels": [[o, k, t, c, " ".join(u), h] for o, k, t, c, u, h in
                       zip(self.l_occ, self.l_kind, self.l_text, self.l_canon, self.l_units, self.l_head)],
            "subst": {u: [[v, x] for v, x in subs] for u, subs in self.subst.items()},
            "gram_idf": self.grams.idf,
            "desc": [" ".join(d) for d in self.occ_desc],
        }

    @classmethod
    def from_state(cls, state: dict) -> "TitleMatcher":
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise ValueError("unsupported TitleMatcher state version")
        if state.get("fingerprint") != state_fingerprint():
            raise ValueError("TitleMatcher state was prepared with other normalisation data")
        return cls(_state=state)

    def _load(self, state: dict) -> None:
        self.norm = Normalizer(state["vocab"])
        self.occ_keys = [o[0] for o in state["occupations"]]
        self.occ_isco = [o[1] for o in state["occupations"]]
        desc = state.get("desc") or []
        self.occ_desc = [tuple(d.split()) for d in desc] if len(desc) == len(self.occ_keys) else \
            [() for _ in self.occ_keys]
        labels = state["labels"]
        self.l_occ = [int(x[0]) for x in labels]
        self.l_kind = [x[1] for x in labels]
        self.l_text = [x[2] for x in labels]
        self.l_canon = [x[3] for x in labels]
        self.l_units = [tuple(x[4].split()) for x in labels]
        self.l_head = [x[5] for x in labels]
        self._learned = {"subst": state.get("subst"), "gram_idf": state.get("gram_idf")}
        self._prepare()

    def _prepare(self) -> None:
        n = len(self.l_units)
        df: dict[str, int] = {}
        postings: dict[str, list[int]] = {}
        for i, units in enumerate(self.l_units):
            for u in units:
                df[u] = df.get(u, 0) + 1
                postings.setdefault(u, []).append(i)
        self.idf = {u: math.log(1.0 + n / d) * (self.PREFIX_WEIGHT if u[0] == "#" else 1.0)
                    for u, d in df.items()}
        self.max_idf = math.log(1.0 + n) if n else 1.0
        self.postings = postings
        self.l_norm = [math.sqrt(sum(self.idf[u] ** 2 for u in units)) or 1.0 for units in self.l_units]
        self.l_total = [sum(self.idf[u] for u in units if u[0] != "#") or 1.0 for units in self.l_units]
        self.l_weight = [_KIND_WEIGHT.get(k, 0.95) for k in self.l_kind]
        self.l_fuzzy = [default_process(c) for c in self.l_canon]
        # labels by length, for the character-level search (a ratio of 60 needs lengths within 3:7)
        self._by_len = sorted(range(len(self.l_fuzzy)), key=lambda i: (len(self.l_fuzzy[i]), i))
        self._len_sorted = [self.l_fuzzy[i] for i in self._by_len]
        self._lens = [len(x) for x in self._len_sorted]
        self.l_sorted = [" ".join(sorted(u for u in units if u[0] != "#")) for units in self.l_units]
        self.l_unitset = [frozenset(u) for u in self.l_units]
        self.l_words = [tuple(w for w in normalize(t).split() if w not in STOPWORDS) for t in self.l_text]
        same: dict[str, int] = {}
        for c in self.l_canon:
            same[c] = same.get(c, 0) + 1
        self.l_amb = [math.log(same[c]) for c in self.l_canon]
        occ_units: list[set[str]] = [set() for _ in self.occ_keys]
        occ_labels: list[list[tuple[str, ...]]] = [[] for _ in self.occ_keys]
        for oi, units in zip(self.l_occ, self.l_units):
            occ_units[oi].update(units)
            occ_labels[oi].append(units)
        self.occ_units = [frozenset(s) for s in occ_units]
        occ_share: list[dict[str, float]] = []
        for labels in occ_labels:
            c: dict[str, int] = {}
            for units in labels:
                for u in units:
                    if u[0] != "#":
                        c[u] = c.get(u, 0) + 1
            occ_share.append({u: k / len(labels) for u, k in c.items()})
        self.occ_share = occ_share
        occ_heads: list[set[str]] = [set() for _ in self.occ_keys]
        for oi, h in zip(self.l_occ, self.l_head):
            occ_heads[oi].add(h)
        self.occ_heads = [frozenset(s) for s in occ_heads]
        biggest = max((len(x) for x in occ_labels), default=1)
        self.occ_size = [math.log(1 + len(x)) / math.log(1 + biggest) for x in occ_labels]
        # interchangeable units learned from the label sets of the occupations
        learned = getattr(self, "_learned", None) or {}
        subst = learned.get("subst")
        self.subst = ({u: tuple((v, float(x)) for v, x in subs) for u, subs in subst.items()} if subst is not None
                      else mine_substitutions(occ_labels, min_support=self.SUBST_MIN_SUPPORT))
        self.grams = GramIndex(self.l_fuzzy, idf=learned.get("gram_idf"))
        self._acronyms: dict[str, str] | None = None     # learned on the first query in capitals
        self._prepare_descriptions()
        self.use_ranker(default_ranker())
        self._learned = None
        self._cache: dict[tuple[str, int], list[TitleMatch]] = {}

    def _prepare_descriptions(self) -> None:
        """Saturated BM25 term weights of the description units per occupation (0..1, before IDF)."""
        k1, b = self.DESC_K1, self.DESC_B
        docs = [d for d in self.occ_desc if d]
        n = len(docs)
        avg = (sum(len(d) for d in docs) / n) if n else 1.0
        df: dict[str, int] = {}
        for d in docs:
            for u in set(d):
                df[u] = df.get(u, 0) + 1
        self.desc_idf = {u: math.log(1.0 + (n - c + 0.5) / (c + 0.5)) for u, c in df.items()}
        self.desc_max_idf = math.log(1.0 + (n + 0.5) / 0.5) if n else 0.0
        self.desc_w: list[dict[str, float]] = []
        for d in self.occ_desc:
            tf: dict[str, int] = {}
            for u in d:
                tf[u] = tf.get(u, 0) + 1
            norm = k1 * (1.0 - b + b * len(d) / avg)
            self.desc_w.append({u: c / (c + norm) for u, c in tf.items()})

    _KIND_CODE = {LabelKind.PREFERRED: 0.0, LabelKind.ALTERNATIVE: 1.0, LabelKind.HIDDEN: 2.0, LabelKind.REFERENCE: 3.0}

    def use_ranker(self, ranker: TitleRanker | None) -> None:
        """Re-order the best candidates with ``ranker`` (None: the linear blend alone). A ranker is
        only used on a corpus as large as the ones it was fitted on, and for these features."""
        self.ranker = None
        self.rank_top = 0   # candidates that get every feature the ranker reads (0: no ranker)
        self._cache = {}
        if ranker is None or len(self.l_text) < ranker.min_labels:
            return
        if ranker.features != FEATURES + RANKER_EXTRA:
            log.warning("title ranker not used: it was fitted on other features")
            return
        self.ranker = ranker
        self.rank_top = ranker.top

    def ranker_context(self, text: str) -> tuple[tuple[str, ...], frozenset[str], frozenset[str], float]:
        """What the ranker needs to know about a query, once per query: its words (stop words left
        out) as a list and as a set, those of them that are vocabulary words, and the share of
        words the vocabulary does not know."""
        words = tuple(w for w in normalize(text).split() if w not in STOPWORDS)
        known = frozenset(w for w in words if self.norm.known(w))
        return words, frozenset(words), known, (len(words) - len(known)) / max(1, len(words))

    def ranker_features(self, ctx: tuple[tuple[str, ...], frozenset[str], frozenset[str], float], i: int,
                        feats: Sequence[float], linear: float) -> tuple[float, ...]:
        """The ranker's input for label ``i`` (see RANKER_EXTRA): its candidate features, kind,
        size and blended score, then what compares the words as written:

        - swap: share of the query's known words that the label replaces by another known word
          written much like it (lasser / laser): the character features then reward a
          different job, not a typing error;
        - unknown: share of query words outside the vocabulary (typing errors, new compounds);
        - ambiguity: log of the number of labels written like this one (several occupations
          share it, so the label alone cannot tell them apart);
        - label_extra: label words the query does not have."""
        words, qset, known, unknown = ctx
        lw = self.l_words[i]
        swap = 0
        if known:
            lset = set(lw)
            others = [v for v in lw if v not in qset and self.norm.known(v)]
            if others:
                for w in words:
                    if w in known and w not in lset and \
                            max(fuzz.ratio(w, v) for v in others) >= self.SWAP_RATIO:
                        swap += 1
        extra = sum(1 for v in lw if v not in qset)
        return (*feats, self._KIND_CODE.get(self.l_kind[i], 1.0), float(len(self.l_units[i])), linear,
                swap / max(1, len(words)), unknown, self.l_amb[i], float(extra))

    def __len__(self) -> int:
        return len(self.occ_keys)

    @property
    def label_count(self) -> int:
        return len(self.l_text)

    # ------------------------------------------------------------------ query
    def query(self, text: str, top: int = 10) -> list[TitleMatch]:
        """Best-matching occupations for a job title, one entry per occupation, best first."""
        text = clip_text(text)
        key = (text, top)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        res = self._query(text, top)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = res
        return res

    @property
    def acronyms(self) -> dict[str, str]:
        """acronym -> the label words it stands for (:func:`core.title_features.learn_acronyms`)."""
        if self._acronyms is None:
            self._acronyms = learn_acronyms(self.l_text, normalize, STOPWORDS)
        return self._acronyms

    def expand_acronyms(self, text: str) -> str:
        """The text with each acronym written in capitals (``COO``) that is unknown as a word but
        spelled out by some label replaced by the words it stands for (``chief operating officer``).
        Only capitals count: a short unknown word in lower case is more often a typing error."""
        caps = {w.lower() for w in _CAPS_WORD.findall(text)} if any(c.isupper() for c in text) else ()
        if not caps:
            return text
        acr, counts = self.acronyms, self.norm.counts
        hits = {w for w in caps if w in acr and w not in counts and w not in STOPWORDS}
        if not hits:
            return text
        return " ".join(acr[w] if w in hits else w for w in normalize(text).split())

    def _candidates(self, text: str, all_features: bool = False
                    ) -> tuple[list[tuple[int, tuple[float, ...]]], list[float]]:
        """Candidate labels with their features and blended scores (kind weight included)."""
        if not text or not self.l_units:
            return [], []
        norm = self.norm
        text = self.expand_acronyms(text)
        canon = norm.canonical(text)
        if not canon:
            return [], []
        q_units = norm.match_units(text)
        q_head = norm.head(text)
        idf = self.idf
        max_idf = self.max_idf
        qw = {u: idf.get(u, max_idf * (self.PREFIX_WEIGHT if u[0] == "#" else 1.0)) for u in q_units}
        q_norm2 = sum(w * w for w in qw.values())
        q_norm = math.sqrt(q_norm2) or 1.0
        q_total = sum(qw.values()) or 1.0

        acc: dict[int, float] = defaultdict(float)
        sacc: dict[int, float] = {}
        scover: dict[int, float] = {}
        postings = self.postings
        unitset = self.l_unitset
        enough = self.CANDIDATES * 3
        # rare units first; a frequent unit (a generic head such as medewerker) only adds to
        # labels that are already candidates once there are enough of them
        for u in sorted(qw, key=lambda x: (len(postings.get(x, ())), x)):
            plist = postings.get(u)
            if not plist:
                continue
            w = qw[u]
            w2 = w * w
            if len(acc) >= enough and len(plist) > self.FREQUENT_DF and len(plist) > len(acc):
                for i in [i for i in acc if u in unitset[i]]:
                    acc[i] += w2
            else:
                for i in plist:
                    acc[i] += w2
        # corpus-learned substitutions for the query units a label lacks
        subst = self.subst
        q_subst: dict[str, tuple[tuple[str, float], ...]] = {}
        few = len(acc) < enough
        for u, w in qw.items():
            subs = subst.get(u) if u[0] != "#" else None
            if not subs:
                continue
            subs = tuple((v, s) for v, s in subs if v not in qw)
            if not subs:
                continue
            q_subst[u] = subs
            best: dict[int, tuple[float, float]] = {}
            for v, s in subs:
                plist = postings.get(v)
                if not plist:
                    continue
                wv = idf.get(v, 0.0)
                if few or len(plist) <= len(acc):
                    ids = plist if few else [i for i in plist if i in acc]
                else:
                    ids = [i for i in acc if v in unitset[i]]
                for i in ids:
                    b = best.get(i)
                    if b is None or s > b[0]:
                        best[i] = (s, s * w * wv)
            for i, (s, d) in best.items():
                if u not in unitset[i]:
                    sacc[i] = sacc.get(i, 0.0) + d
                    scover[i] = scover.get(i, 0.0) + s * w
        l_norm = self.l_norm
        cand: list[tuple[float, int]] = []
        keys = set(acc) | set(sacc)
        if keys:
            scored = [((acc.get(i, 0.0) + self.SUBST_PRUNE * sacc.get(i, 0.0)) / (q_norm * l_norm[i]), i)
                      for i in keys]
            if len(scored) > self.CANDIDATES * 3:
                scored.sort(reverse=True)
                scored = scored[: self.CANDIDATES * 3]
            cand = scored
        q_fuzzy = default_process(canon)
        q_sorted = " ".join(sorted(u for u in q_units if u[0] != "#"))
        # character-level candidates (typing errors the unit analysis could not repair); not
        # needed when every word of the query is a known word and the units found enough labels
        counts = norm.counts
        if len(cand) >= self.CANDIDATES and all(x in counts for x in normalize(text).split()):
            extra = []
        else:
            extra = self._char_search(q_fuzzy, self.CANDIDATES // 2)
        have_c = {i for _, i in cand}
        n_index = len(cand)   # candidates from here on come from the character-level search
        for _c, _s, i in extra:
            if i not in have_c:
                cand.append((0.0, i))
        # description units of the query (as analysed and as written) with their BM25 idf
        d_idf = self.desc_idf
        d_units = {u for u in q_units if u[0] != "#"}
        d_units.update(norm.plain_units(text))
        d_q = [(u, d_idf[u]) for u in d_units if u in d_idf]
        d_total = sum(d_idf.get(u, self.desc_max_idf) for u in d_units) or 1.0
        desc_w = self.desc_w

        l_units = self.l_units
        l_head = self.l_head
        l_fuzzy = self.l_fuzzy
        l_sorted = self.l_sorted
        grams = self.grams
        gvec, gnorm = grams.query_vector(q_fuzzy)
        head_subst = dict(subst.get(q_head, ())) if q_head else {}
        l_occ = self.l_occ
        occ_units = self.occ_units
        occ_feat: dict[int, tuple[float, float]] = {}
        l_total = self.l_total
        occ_size = self.occ_size
        occ_heads = self.occ_heads
        occ_share = self.occ_share
        # unused features are skipped when querying
        want_lc = all_features or self.WEIGHTS[11] != 0.0 or self.rank_top > 0
        rows: list[tuple[int, tuple[float, ...]]] = []
        q_items = list(qw.items())
        q_plain = [(u, w) for u, w in q_items if u[0] != "#"]
        for _pre, i in cand:
            qn_ln = q_norm * l_norm[i]
            us = unitset[i]
            matched = [w for u, w in q_items if u in us]
            cov = sum(matched) / q_total
            cos = sum(w * w for w in matched) / qn_ln
            scos = sacc.get(i, 0.0) / qn_ln
            scov = scover.get(i, 0.0) / q_total
            lh = l_head[i]
            hsyn = 0.0
            if q_head and lh == q_head:
                hs = 1.0
            elif q_head and q_head in l_units[i]:
                hs = 0.5
            else:
                hs = 0.0
                hsyn = head_subst.get(lh, 0.0)
            chs = ex = gc = 0.0  # character features: filled in below for the best candidates
            oi = l_occ[i]
            of = occ_feat.get(oi)
            if of is None:
                ou = occ_units[oi]
                oc = osyn = 0.0
                for u, w in qw.items():
                    if u in ou:
                        oc += w
                    else:
                        subs = q_subst.get(u)
                        if subs:
                            osyn += w * max((s for v, s in subs if v in ou), default=0.0)
                oh = occ_heads[oi]
                if not q_head:
                    hf = 0.0
                elif q_head in oh:
                    hf = 1.0
                else:
                    hf = max((x for v, x in head_subst.items() if v in oh), default=0.0)
                sh = occ_share[oi]
                core = sum(w * sh.get(u, 0.0) for u, w in qw.items()) / q_total
                dw = desc_w[oi]
                if dw:
                    dsc = sum(x * dw.get(u, 0.0) for u, x in d_q) / d_total
                    gap = sum(w * dw.get(u, 0.0) for u, w in qw.items() if u[0] != "#" and u not in ou) / q_total
                else:
                    dsc = gap = 0.0
                of = occ_feat[oi] = (oc / q_total, osyn / q_total, hf, core, dsc, gap)
            lc = min(1.0, sum(w for u, w in q_plain if u in us) / l_total[i]) if want_lc else 0.0
            rows.append((i, (cos, scos, cov, scov, hs, hsyn, chs, ex, gc, of[0], of[1],
                             lc, occ_size[oi], of[2], of[3], of[4], of[5])))
        # character similarity only for the candidates that can still reach the top (and for
        # every character-level candidate), then the trigram cosine for the best of those
        w = self.WEIGHTS
        l_weight = self.l_weight
        scores = [sum(map(mul, w, f)) * l_weight[i] for i, f in rows]
        if all_features or len(rows) <= self.FUZZ_TOP:
            todo = range(len(rows))
        else:
            todo = sorted(range(len(rows)), key=scores.__getitem__, reverse=True)[: self.FUZZ_TOP]
            todo = sorted(set(todo) | set(range(n_index, len(rows))))
        wc, wx, wg = w[6], w[7], w[8]
        for k in todo:
            i, f = rows[k]
            lf = l_fuzzy[i]
            ch = fuzz.ratio(q_fuzzy, lf) / 100.0
            ts = fuzz.token_sort_ratio(q_fuzzy, lf) / 100.0
            so = fuzz.ratio(q_sorted, l_sorted[i]) / 100.0
            chs = max(ch, ts, 0.97 * so)
            ex = 1.0 if ch == 1.0 else 0.0
            rows[k] = (i, f[:6] + (chs, ex) + f[8:])
            scores[k] += (wc * chs + wx * ex) * l_weight[i]
        gram_top = max(self.GRAM_TOP, self.rank_top)
        if all_features or len(todo) <= gram_top:
            todo2 = todo
        else:
            todo2 = sorted(todo, key=scores.__getitem__, reverse=True)[:gram_top]
        for k in todo2:
            i, f = rows[k]
            gc = grams.cosine(gvec, gnorm, i)
            rows[k] = (i, f[:8] + (gc,) + f[9:])
            scores[k] += wg * gc * l_weight[i]
        return rows, scores

    CHAR_CUTOFF = 60

    def _char_search(self, q: str, limit: int) -> list[tuple[str, float, int]]:
        """Labels within ``CHAR_CUTOFF`` of fuzz.ratio of ``q``, best first (ties: label order), as
        process.extract over all labels gives them; only labels of a length that can reach the
        cutoff are compared (ratio = 2 * common / total length)."""
        n = len(q)
        if not n:
            return []
        lo = bisect_left(self._lens, -(-3 * n // 7))
        hi = bisect_right(self._lens, 7 * n // 3)
        found = process.extract(q, self._len_sorted[lo:hi], scorer=fuzz.ratio, processor=None,
                                limit=2 * limit, score_cutoff=self.CHAR_CUTOFF)
        out = sorted(((c, sc, self._by_len[lo + k]) for c, sc, k in found), key=lambda x: (-x[1], x[2]))
        return out[:limit]

    def candidate_features(self, text: str) -> list[tuple[int, tuple[float, ...]]]:
        """(label index, features) for the candidate labels of a query; see :data:`FEATURES`."""
        return self._candidates(text, all_features=True)[0]

    def blend(self, feats: Sequence[float], weights: Sequence[float] | None = None) -> float:
        """Score of one candidate label from its features (label part and occupation part)."""
        w = weights or self.WEIGHTS
        return sum(a * b for a, b in zip(w, feats))

    def _query(self, text: str, top: int) -> list[TitleMatch]:
        rows, scores = self._candidates(text)
        if not rows:
            return []
        results = [(sc, r[0], k) for k, (sc, r) in enumerate(zip(scores, rows))]
        results.sort(key=lambda x: (-x[0], len(self.l_text[x[1]]), x[1]))
        ranker = self.ranker
        if ranker is not None and len(results) > 1:
            # the trees re-order the best candidates of the blend; the rest keep its order
            head = results[: ranker.top]
            ctx = self.ranker_context(text)
            learned = {k: ranker.score(self.ranker_features(ctx, i, rows[k][1], sc)) for sc, i, k in head}
            head.sort(key=lambda x: (-learned[x[2]], -x[0], len(self.l_text[x[1]]), x[1]))
            results[: ranker.top] = head
        out: list[TitleMatch] = []
        seen: set[int] = set()
        ceiling = 100.0
        for s, i, _k in results:
            oi = self.l_occ[i]
            if oi in seen:
                continue
            seen.add(oi)
            # the score stays the blend's (0..100, comparable between queries), never above the
            # score of an entry ranked before it
            score = min(ceiling, round(max(0.0, min(100.0, 100.0 * s)), 2))
            ceiling = score
            out.append(TitleMatch(self.occ_keys[oi], self.l_text[i], self.occ_isco[oi], score, self.l_kind[i]))
            if len(out) >= top:
                break
        return out
