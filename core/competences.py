"""Free text -> competences of the vocabulary, with a confidence.

A phrase as a counsellor types it ("tig lassen rvs", "heftruckattest", "PLC Siemens") is compared
with every label and variant of the vocabulary after Dutch normalisation (core.textnorm):

* unit overlap, IDF-weighted, in both directions: how much of the label the phrase covers and
  how much of the phrase the competence explains with any of its texts (word order free,
  compounds split, stems);
* a character-level similarity of the canonical strings for typing errors.

Below ``THRESHOLD`` nothing is returned: the phrase stays "niet herkend" and is never forced onto
a competence. A negated phrase ("geen nachtwerk") is never recognised as the competence it names,
nor is a hobby or an interest ("taarten bakken als hobby", "interesse in informatica"). A phrase
that names a certificate ("brevet", "getuigschrift", "attest") prefers a competence that is one.
Counsellor-confirmed phrases (local synonyms) are looked up first.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

import re

from core.textnorm import MAX_TEXT, STOPWORDS, Normalizer, clip_text, context_words, limit_words, normalize, stem

THRESHOLD = 0.62          # below: "niet herkend"
# a phrase with one of these words says what a worker cannot or will not do ("geen nachtwerk"):
# it is never recognised as the competence it names (unless that competence's own text holds the
# word, as in "niet-destructief onderzoek")
NEGATIONS = frozenset({"geen", "niet", "nooit", "not", "no", "never", "jamais", "aucun", "aucune"})
MULTI_THRESHOLD = 0.86    # a phrase may name several competences when each scores this high
# a negation followed by one of these words affirms ("zwaar werk geen probleem", "geen bezwaar
# tegen ploegen", "heeft er geen moeite mee")
_NEGATED_OBJECTIONS = frozenset({"probleem", "problemen", "bezwaar", "bezwaren", "moeite", "punt", "issue"})
CONTEXT_WEIGHT = 0.2      # weight of a word around a competence ("ervaring", "kan", "heel") in a phrase
SAME_STEMS = 0.99         # the same stems as a text, written otherwise: just below the text as written
# a list of several things in one phrase ("pools moedertaal, nederlands A2")
_LIST_SEPARATORS = re.compile(r"\s*[,;\n]\s*|\s+\+\s+")


@dataclass(frozen=True)
class CompetenceSuggestion:
    competence_id: str
    label: str
    score: float           # 0..1
    matched_text: str      # the label or variant that matched


@dataclass(frozen=True)
class CompetenceEntry:
    competence_id: str
    label: str             # preferred Dutch label (shown)
    texts: tuple[str, ...]  # label, French label, variants


def _negations(words: list[str]) -> list[str]:
    """The negation words among ``words``, except those that negate an objection ("geen
    probleem", "geen bezwaar": an affirmation)."""
    out = []
    for k, w in enumerate(words):
        if w in NEGATIONS:
            nxt = words[k + 1: k + 3]
            if nxt and (nxt[0] in _NEGATED_OBJECTIONS or (nxt[0] == "enkel" and nxt[1:] and
                                                         nxt[1] in _NEGATED_OBJECTIONS)):
                continue
            out.append(w)
    return out


def _negation_words(text: str) -> frozenset[str]:
    """The negation words a text holds ("geen hoogtevrees": geen)."""
    return frozenset(_negations(normalize(text).split()))


def negation(text: str, matched_text: str = "") -> str | None:
    """The negation word of a phrase that the matched text does not hold, or None."""
    allowed = set(normalize(matched_text).split()) if matched_text else set()
    for w in _negations(normalize(text).split()):
        if w not in allowed:
            return w
    return None


# a phrase with one of these words tells what a worker does for pleasure or would like to do ("bakt
# graag taarten voor de familie", "interesse in informatica", "fotografie als hobby"): no competence
# (unless the competence's own text holds the word, as in "technische interesse")
WISH_WORDS = frozenset({"hobby", "hobbys", "hobbies", "hobbyist", "vrijetijd", "interesse", "interesses",
                        "geinteresseerd", "droomt", "droom", "familie", "vrienden", "liefhebber"})
_WISH_PAIRS = (("vrije", "tijd"),)


def wish(text: str, matched_text: str = "") -> str | None:
    """The word or words that make a phrase a hobby or a wish rather than a competence ("hobby",
    "vrije tijd", "interesse") and that the matched text does not hold, or None."""
    words = normalize(text).split()
    allowed = set(normalize(matched_text).split()) if matched_text else set()
    for w in words:
        if w in WISH_WORDS and w not in allowed:
            return w
    for a, b in _WISH_PAIRS:
        for k in range(len(words) - 1):
            if words[k] == a and words[k + 1] == b and not {a, b} <= allowed:
                return f"{a} {b}"
    return None


def _not_named(text: str, matched_text: str) -> bool:
    """The phrase negates the competence it names or holds it as a hobby or a wish."""
    return negation(text, matched_text) is not None or wish(text, matched_text) is not None


def list_parts(text: str) -> list[str]:
    """The items of a phrase that lists several things ("pools moedertaal, nederlands A2"), or
    the phrase itself."""
    parts = [p for p in _LIST_SEPARATORS.split(text) if p and p.strip()]
    return parts if len(parts) > 1 else [text]


def limit_hint(text: str) -> bool:
    """The phrase reads like a limit rather than a competence: it negates ("geen nachtwerk") or
    names a health complaint or limit ("rugklachten", "hoogtevrees", "last van de knie")."""
    if negation(text):
        return True
    words = set(normalize(text).split())
    return bool(words & limit_words())


_NAME_PARTICLES = frozenset({"de", "het", "den", "der", "van", "t", "s"})   # bij de Lijn, bij Van Hool


# the words for a certificate are one unit: "brevet kraanman", "getuigschrift grondverzetmachines"
# and "certificaat lasten aanslaan" name the attest as "attest kraan" does
CERTIFICATE = "attest"
_CERTIFICATE_UNITS = frozenset({"attest", "attestation", "certificat", "certificer", "gecertificeerd", "brevet",
                                "gebrevetteerd", "getuigschrift"})
CERTIFICATE_MARGIN = 0.12   # a certificate named this much less well still comes before a skill


def _unit_form(u: str) -> str:
    """A loanword's plural in -es has the stem of its singular in -e (machines / machine, pannes /
    panne), which the Dutch stemmer leaves apart; a word for a certificate is "attest"."""
    if u in _CERTIFICATE_UNITS:
        return CERTIFICATE
    if len(u) >= 6 and u.endswith("es") and u[-3] not in "aeiouy":
        return stem(u[:-1])
    return u


def _word_typos(a: str, b: str) -> bool:
    """Every word of ``a`` is a typing error of a word of ``b`` (in the same order or sorted): at
    most one edit for every four letters. A short word typed in place of another ("s7
    programmeren" / "ISO programmeren") is another word, not a typing error."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return "".join(wa) == "".join(wb)   # "heftruck rijden" / "heftruckrijden"

    def close(xs: list[str], ys: list[str]) -> bool:
        return all(Levenshtein.distance(x, y) <= max(1, len(y) // 4) for x, y in zip(xs, ys))

    return close(wa, wb) or close(sorted(wa), sorted(wb))


TIE_MARGIN = 0.01   # two weak suggestions this close: the phrase does not say which it is
TIE_BELOW = 0.75


def _tied(suggestions: list[CompetenceSuggestion]) -> bool:
    """A weak best suggestion with another competence as good as it ("hydraulische herstellingen":
    hydraulics or repairs?): better "niet herkend" with both suggested than a coin toss. A first
    suggestion placed before a better-scoring one was chosen by a rule (a certificate named), not
    by a coin toss."""
    return (len(suggestions) > 1 and suggestions[0].score < TIE_BELOW
            and suggestions[0].score - TIE_MARGIN <= suggestions[1].score <= suggestions[0].score)


def phrase_key(text: str) -> str:
    """Key under which a counsellor's own synonym is stored (surface-normalised)."""
    return " ".join(normalize(text).split())


class CompetenceMatcher:
    W_ENTRY = 0.55      # share of the label covered by the phrase
    W_QUERY = 0.45      # share of the phrase explained by the competence (any of its texts)
    TYPO_EDITS = 2      # character edits (insert / delete) that still read as a typing error

    def __init__(self, entries: Iterable[CompetenceEntry], synonyms: dict[str, str] | None = None,
                 extra_vocabulary: Iterable[str] = ()):
        self.entries = list(entries)
        self.by_id = {e.competence_id: e for e in self.entries}
        # no competence is written longer than a phrase (a longer text is a broken import or edit)
        usable = [[t for t in e.texts if len(t) <= MAX_TEXT] for e in self.entries]
        context = sorted(context_words())
        self.norm = Normalizer.from_texts([t for texts in usable for t in texts] + list(extra_vocabulary) + context)
        # stems of the words around a competence ("ervaring", "kan", "heel"): little weight in a phrase
        self.context_units = frozenset(u for w in context for u in self.norm.tokens(w))
        self.t_comp: list[int] = []
        self.t_text: list[str] = []
        self.t_canon: list[str] = []
        self.t_units: list[frozenset[str]] = []
        self.t_neg: list[frozenset[str]] = []   # negation words a text holds ("geen hoogtevrees")
        for ci, texts in enumerate(usable):
            seen: set[str] = set()
            for t in texts:
                canon = self.norm.canonical(t)
                if not canon or canon in seen:
                    continue
                seen.add(canon)
                self.t_comp.append(ci)
                self.t_text.append(t)
                self.t_canon.append(canon)
                self.t_units.append(frozenset(_unit_form(u) for u in self.norm.tokens(t)))
                self.t_neg.append(_negation_words(t))
        df: dict[str, int] = {}
        for units in self.t_units:
            for u in units:
                df[u] = df.get(u, 0) + 1
        n = max(1, len(self.t_units))
        self.idf = {u: math.log(1.0 + n / d) for u, d in df.items()}
        self.default_idf = math.log(1.0 + n)
        self.postings: dict[str, list[int]] = {}
        for i, units in enumerate(self.t_units):
            for u in units:
                self.postings.setdefault(u, []).append(i)
        self.canon_by_text = {c: i for i, c in enumerate(self.t_canon)}
        # every unit of every text of a competence: a phrase may use words of two variants
        self.c_units: list[frozenset[str]] = [frozenset() for _ in self.entries]
        for ci, units in zip(self.t_comp, self.t_units):
            self.c_units[ci] = self.c_units[ci] | units
        self.synonyms: dict[str, str] = dict(synonyms or {})
        self._cache: dict[tuple[str, int], list[CompetenceSuggestion]] = {}

    # -- phrase analysis -------------------------------------------------------------------------
    # who does it and where it is done, to the activity: lasser / lasster -> lassen, monteur ->
    # monteren, spuitgieterij -> spuitgieten, metselaar -> metselen (longest ending first); a
    # consonant doubled before the ending may be single in the verb (uitbenner -> uitbenen)
    _DERIVED = (("ster", "en"), ("erij", "en"), ("eur", "eren"), ("er", "en"), ("ar", "en"))

    def _activity(self, u: str) -> tuple[str, ...] | None:
        """The vocabulary units of the activity an unknown agent or workplace noun names, or None
        (orderpicker -> order + pick, as orderpicken is analysed)."""
        for end, verb in self._DERIVED:
            if len(u) > len(end) + 3 and u.endswith(end):
                base = u[: -len(end)]
                bases = [base] + ([base[:-1]] if base[-1] == base[-2] and base[-1] not in "aeiou" else [])
                for b in bases:
                    one = stem(b + verb)
                    if one in self.postings:
                        return (one,)
                    units = tuple(_unit_form(x) for x in self.norm.tokens(b + verb))
                    if len(units) > 1 and all(x in self.postings for x in units):
                        return units
        return None

    def _diminutive(self, u: str) -> str | None:
        """The vocabulary unit of a diminutive (staafjes -> staaf, buisje -> buis), or None."""
        for end in ("tjes", "jes", "tje", "je"):
            if len(u) > len(end) + 2 and u.endswith(end):
                base = stem(u[: -len(end)])
                if base in self.postings:
                    return base
        return None

    def phrase_units(self, text: str) -> frozenset[str]:
        """Stemmed units of a phrase; an agent or workplace noun the vocabulary does not know
        counts as the activity it names ("cnc draaier" as "cnc draaien")."""
        return self._phrase(text)[0]

    def _phrase(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """(units of the phrase, units that only name where the worker worked). The words after
        "bij" that the vocabulary does not know are an employer ("lasser bij Van Hool", "orderpicker
        bij Colruyt"): they weigh as little as the words around a competence."""
        out: set[str] = set()
        employer: set[str] = set()
        after_bij = False
        for w in normalize(text).split():
            if w == "bij":
                after_bij = True
                continue
            if w in STOPWORDS:
                if w not in _NAME_PARTICLES:
                    after_bij = False
                continue
            for u in self.norm.tokens(w):
                u = _unit_form(u)
                if u not in self.postings:
                    found = self._activity(u) or ((self._diminutive(u),) if self._diminutive(u) else None)
                    if found:
                        out.update(found)
                        continue
                    if after_bij:
                        employer.add(u)
                out.add(u)
        return frozenset(out), frozenset(employer - self.postings.keys())

    # -- local synonyms --------------------------------------------------------------------------
    def add_synonym(self, text: str, competence_id: str) -> None:
        if competence_id not in self.by_id:
            raise KeyError(competence_id)
        self.synonyms[phrase_key(text)] = competence_id
        self._cache.clear()

    # -- scoring ---------------------------------------------------------------------------------
    def _w(self, u: str) -> float:
        return self.idf.get(u, self.default_idf)

    def _wq(self, u: str, employer: frozenset[str] = frozenset()) -> float:
        """Weight of a unit of the phrase: a word around a competence, an employer's name or a
        number that names none ("10 jaar ervaring") counts little."""
        w = self.idf.get(u)
        if w is None:
            return self.default_idf * (CONTEXT_WEIGHT if u in self.context_units or u in employer or u.isdigit()
                                       else 1.0)
        return w * CONTEXT_WEIGHT if u in self.context_units else w

    def _candidates(self, q_units: frozenset[str], canon: str) -> set[int]:
        cand: set[int] = set()
        for u in q_units:
            cand.update(self.postings.get(u, ()))
        if canon:
            for _c, _s, i in process.extract(canon, self.t_canon, scorer=fuzz.ratio, limit=12, score_cutoff=70):
                cand.add(i)
        return cand

    def _score(self, i: int, q_units: frozenset[str], q_weight: float, canon: str,
               employer: frozenset[str] = frozenset()) -> float:
        e_units = self.t_units[i]
        if canon == self.t_canon[i]:
            return 1.0
        common = q_units & e_units
        unit_score = 0.0
        if common and e_units:
            cw = sum(self._w(u) for u in common)
            ew = sum(self._w(u) for u in e_units)
            # the share of the phrase explained counts the words of every text of the competence:
            # "ploeg leiden" is "ploeg aansturen" + "team leiden", not the variant "ploegen"
            cover = min(1.0, sum(self._wq(u, employer) for u in q_units & self.c_units[self.t_comp[i]])
                        / max(q_weight, 1e-9))
            unit_score = min(SAME_STEMS, self.W_ENTRY * cw / ew + self.W_QUERY * cover)
        other = self.t_canon[i]
        char = fuzz.ratio(canon, other) / 100.0
        char_sorted = fuzz.token_sort_ratio(canon, other) / 100.0
        char_score = max(char, char_sorted)
        # close enough to be a typing error: a few edits for the length ("route plannen" is no
        # typing error for "productie plannen", though one holds the letters of the other)
        edits = round((1.0 - char_score) * (len(canon) + len(other)))
        typo = edits <= self.TYPO_EDITS + max(len(canon), len(other)) // 12 and _word_typos(canon, other)
        char_score = char_score * 0.95 if char_score >= 0.85 and typo else char_score * 0.7
        return max(unit_score, char_score)

    def suggest(self, text: str, limit: int = 8) -> list[CompetenceSuggestion]:
        """Best competences for a phrase, best first, one entry per competence (may be below threshold)."""
        text = clip_text(text)
        key = (text, limit)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        out = self._suggest(text, limit)
        if len(self._cache) > 20000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def _suggest(self, text: str, limit: int) -> list[CompetenceSuggestion]:
        if not text or not text.strip():
            return []
        results: dict[int, tuple[float, str]] = {}
        syn = self.synonyms.get(phrase_key(text))
        if syn and syn in self.by_id:
            ci = self.entries.index(self.by_id[syn])
            results[ci] = (1.0, text.strip())
        canon = self.norm.canonical(text)
        q_units, employer = self._phrase(text)
        q_weight = sum(self._wq(u, employer) for u in q_units)
        q_neg = _negation_words(text)
        for i in self._candidates(q_units, canon):
            if not self.t_neg[i] <= q_neg:
                # a text that says what is not the case ("geen hoogtevrees") is the opposite of a
                # phrase without its negation ("hoogtevrees")
                continue
            s = self._score(i, q_units, q_weight, canon, employer)
            ci = self.t_comp[i]
            if s > results.get(ci, (-1.0, ""))[0]:
                results[ci] = (s, self.t_text[i])
        ranked = sorted(results.items(), key=lambda kv: (-kv[1][0], len(self.entries[kv[0]].label)))
        if CERTIFICATE in q_units:
            ranked = self._certificate_first(ranked)
        return [CompetenceSuggestion(self.entries[ci].competence_id, self.entries[ci].label, round(min(1.0, s), 4), t)
                for ci, (s, t) in ranked[:limit]]

    def _certificate_first(self, ranked: list[tuple[int, tuple[float, str]]]) -> list[tuple[int, tuple[float, str]]]:
        """A phrase that names a certificate ("attest airco wagens", "HV attest elektrische wagens")
        names a competence whose texts speak of one: when the best competence does not and one that
        does scores above the threshold and not far below it, that one comes first (the skill the
        attest is about, if as good, is still named with it)."""
        if not ranked or CERTIFICATE in self.c_units[ranked[0][0]]:
            return ranked
        top = ranked[0][1][0]
        for k, (ci, (s, _t)) in enumerate(ranked[1:], 1):
            if s < THRESHOLD or s < top - CERTIFICATE_MARGIN:
                break
            if CERTIFICATE in self.c_units[ci]:
                return [ranked[k]] + ranked[:k] + ranked[k + 1:]
        return ranked

    def recognise(self, text: str) -> CompetenceSuggestion | None:
        """The competence a phrase names, or None when nothing is close enough ("niet herkend")."""
        best = self.suggest(text, 2)
        if not best or best[0].score < THRESHOLD or _not_named(text, best[0].matched_text) or _tied(best):
            return None
        return best[0]

    def recognise_all(self, text: str) -> list[CompetenceSuggestion]:
        """Every competence a phrase clearly names ("MIG/MAG lassen en slijpen" -> two); a phrase
        that lists several things ("pools moedertaal, nederlands A2") is read item by item."""
        parts = list_parts(text)
        if len(parts) == 1:
            return self._recognise_all(text)
        out: list[CompetenceSuggestion] = []
        for p in parts:
            for s in self._recognise_all(p):
                if all(s.competence_id != o.competence_id for o in out):
                    out.append(s)
        return out

    def _recognise_all(self, text: str) -> list[CompetenceSuggestion]:
        sugg = self.suggest(text, 5)
        if not sugg or sugg[0].score < THRESHOLD or _not_named(text, sugg[0].matched_text) or _tied(sugg):
            return []
        out = [sugg[0]]
        out += [s for s in sugg[1:] if s.score >= MULTI_THRESHOLD and not _not_named(text, s.matched_text)]
        # words the competences found do not explain may name one more on their own ("tig lassen
        # rvs": TIG-lassen, and "rvs" is RVS (inox) verwerken), however little of the phrase they are
        return out + self.also_named(text, {s.competence_id for s in out})

    def also_named(self, text: str, competence_ids: set[str]) -> list[CompetenceSuggestion]:
        """Another competence that the words of a phrase left unexplained by these competences
        name on their own, clearly ("tig lassen rvs" read as TIG-lassen: RVS (inox) verwerken)."""
        rest = self._unexplained(text, competence_ids)
        if not rest:
            return []
        best = self.suggest(rest, 2)
        if (not best or best[0].score < MULTI_THRESHOLD or _tied(best) or _not_named(text, best[0].matched_text)
                or best[0].competence_id in competence_ids):
            return []
        return [best[0]]

    def _unexplained(self, text: str, competence_ids: set[str]) -> str:
        """The words of a phrase that no text of these competences holds, leaving out the words
        around a competence and an employer's name; "" when there are none."""
        units, employer = self._phrase(text)
        known: set[str] = set(self.context_units) | set(employer)
        for cid in competence_ids:
            entry = self.by_id.get(cid)
            if entry is not None:
                known |= self.c_units[self.entries.index(entry)]
        if not units - known:
            return ""
        words = []
        for w in normalize(text).split():
            if w in STOPWORDS:
                continue
            wu = set(self._phrase(w)[0])
            if wu and not wu & known:
                words.append(w)
        return " ".join(words)
