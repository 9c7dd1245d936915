"""Dutch-aware text normalisation for job titles and competences.

Layers, each usable on its own:

* :func:`normalize` - surface form: lower case, no diacritics, no gender tags such as
  ``(m/v/x)``, punctuation to spaces, known abbreviations expanded (``adm. medew.``).
* :class:`Normalizer` - word level, driven by a vocabulary (word -> count) that is usually
  learned from a label corpus: Flemish/Netherlands variants (``technieker`` -> ``technicus``),
  feminine and plural forms (``medewerkster`` -> ``medewerker``), compound splitting with a
  small dynamic-programming splitter (``heftruckchauffeur`` -> ``heftruck`` + ``chauffeur``),
  the head of a title, and correction of typing errors against the vocabulary.
* :func:`tokens` / :func:`canonical` / :func:`head` - the same through a default normaliser
  that only knows the hand-written lexicon in ``resources/lexicon``.

Everything is deterministic and cached.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Mapping

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.resources import resource_path

__all__ = [
    "normalize",
    "strip_diacritics",
    "remove_gender_tags",
    "stem",
    "Normalizer",
    "default_normalizer",
    "canonical",
    "tokens",
    "head",
    "split_compound",
    "STOPWORDS",
    "context_words",
]

# --------------------------------------------------------------------------- lexicon files


def _lexicon_lines(name: str) -> list[str]:
    path = resource_path("lexicon", name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return out


def _surface(text: str) -> str:
    """Lower case, no diacritics, letters and digits separated by single spaces."""
    s = unicodedata.normalize("NFKD", text.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _PLURAL_S_RE.sub("", s)          # cmr's, pc's, auto's: the plural's apostrophe and s
    s = _ELISION_RE.sub(r"\1 ", s)       # chef d'equipe, l'electrode: an elided French article
    s = _APOSTROPHE_RE.sub("", s)
    return " ".join(_NON_ALNUM_RE.split(s)).strip()


_APOSTROPHE_CHARS = "'\u2019`\u00b4"
_PLURAL_S_RE = re.compile(rf"(?<=[a-z0-9])[{_APOSTROPHE_CHARS}]s\b")
_ELISION_RE = re.compile(rf"\b([dlj]|qu)[{_APOSTROPHE_CHARS}](?=[a-z])")
_APOSTROPHE_RE = re.compile(r"(?<=[a-z0-9])['\u2019`\u00b4](?=[a-z])")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")

STOPWORDS: frozenset[str] = frozenset(_surface(w) for w in _lexicon_lines("stopwords_nl.txt"))
_NONFEMININE: tuple[str, ...] = tuple(_surface(w) for w in _lexicon_lines("nonfeminine_nl.txt"))
_LEXICON_WORDS: tuple[str, ...] = tuple(_surface(w) for w in _lexicon_lines("words_nl.txt"))


@lru_cache(maxsize=1)
def limit_words() -> frozenset[str]:
    """Words of health and functional limits in intake notes (rugklachten, hoogtevrees)."""
    return frozenset(_surface(w) for w in _lexicon_lines("limit_words_nl.txt"))


MAX_WORD = 60    # letters: longer "words" (a pasted string without spaces) are never analysed
MAX_TEXT = 200   # characters of a title or a phrase that matching reads


def clip_text(text: str, limit: int = MAX_TEXT) -> str:
    """The first ``limit`` characters of a text, cut at a space when there is one: a job title or
    a competence phrase is never longer, and comparing pasted pages letter by letter would take
    minutes."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space >= limit // 2 else cut


@lru_cache(maxsize=1)
def intake_words() -> tuple[str, ...]:
    """Everyday words of intake notes that name no competence (conditions, posture, time, health
    and limits): known words for the competence matcher, so that they are not read as typing
    errors of competence words."""
    words = [_surface(w) for w in _lexicon_lines("intake_words_nl.txt")]
    return tuple(dict.fromkeys(words + sorted(limit_words())))


@lru_cache(maxsize=1)
def context_words() -> frozenset[str]:
    """Words around a competence in intake notes that name none ("10 jaar ervaring met", "kan
    goed", "werkt heel"): little weight for the competence matcher."""
    return frozenset(_surface(w) for w in _lexicon_lines("context_words_nl.txt"))


def _load_variants() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for line in _lexicon_lines("variants_nl.tsv"):
        if "\t" not in line:
            continue
        canon, variants = line.split("\t", 1)
        target = tuple(_surface(canon).split())
        for v in variants.split():
            v = _surface(v)
            if v and v not in table and (v,) != target:
                table[v] = target
    return table


def _load_abbreviations() -> dict[str, str]:
    table = {}
    for line in _lexicon_lines("abbreviations_nl.tsv"):
        if "\t" in line:
            a, e = line.split("\t", 1)
            table[_surface(a)] = _surface(e)
    return table


_VARIANTS = _load_variants()
_ABBREVIATIONS = _load_abbreviations()
_LEXICON_WORDS_SET = frozenset(_LEXICON_WORDS)
_PLAIN_WORDS = frozenset(_LEXICON_WORDS) | frozenset(_VARIANTS) | frozenset(
    w for t in _VARIANTS.values() for w in t)

# --------------------------------------------------------------------------- surface level

_G = r"[mvwxfhd]"
_GENDER_RE = re.compile(
    r"\(\s*" + _G + r"\s*(?:[/,|.\-]\s*" + _G + r"\s*){1,3}\)"          # (m/v/x) (v/m) (m/w/d) (h/f)
    r"|\(\s*(?:man|vrouw|mannelijk|vrouwelijk)\s*(?:/\s*(?:man|vrouw|mannelijk|vrouwelijk|x)\s*)+\)"
    r"|\(\s*(?:mvx|mv|vm|mwd|hf|fh)\s*\)"
    r"|(?<![\w/])" + _G + r"\s*/\s*" + _G + r"(?:\s*/\s*" + _G + r")?(?![\w/])",  # bare m/v/x
    re.IGNORECASE,
)


def remove_gender_tags(text: str) -> str:
    """Remove gender tags such as ``(m/v/x)``, ``(M/V)``, ``m/v/x``, ``(v/m)``, ``(h/f)``."""
    return _GENDER_RE.sub(" ", text)


def strip_diacritics(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


# names written with a sign that the surface form would drop ("C#" would read as the letter c, "C++"
# as "c en en", ".NET" as "net")
_SYMBOL_NAMES = {"c#": "csharp", "f#": "fsharp", "c++": "cplusplus", ".net": "dotnet"}
_SYMBOL_NAMES_RE = re.compile(r"(?:(?<![a-z0-9])(?:[cf]\s?#|c\+\+)|\.net)(?![a-z0-9+#])", re.IGNORECASE)


@lru_cache(maxsize=131072)
def normalize(text: str) -> str:
    """Surface normalisation: the form every comparison in the app starts from.

    >>> normalize("Adm. Medewerkster (m/v/x) – Café")
    'administratief medewerkster cafe'
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text)
    s = remove_gender_tags(s)
    s = _SYMBOL_NAMES_RE.sub(lambda m: f" {_SYMBOL_NAMES[m.group(0).lower().replace(' ', '')]} ", s)
    s = s.replace("&", " en ").replace("+", " en ")
    words = _surface(s).split()
    out = []
    for w in words:
        exp = _ABBREVIATIONS.get(w)
        if exp and w not in _PLAIN_WORDS:
            out.append(exp)
        else:
            out.append(w)
    return " ".join(out)


_STEMMER = Stemmer.Stemmer("dutch_porter")


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """Conservative Dutch stem of one normalised word (Snowball's Porter-style Dutch stemmer)."""
    if len(word) <= 3 or word.isdigit():
        return word
    s = _STEMMER.stemWord(word)
    # final devoicing: the stem of frezen is written frees, of schaven schaaf (frez / fres)
    if len(s) >= 4 and s[-1] in "zv" and s[-2] not in "zv":
        s = s[:-1] + ("s" if s[-1] == "z" else "f")
    return s


# --------------------------------------------------------------------------- morphology helpers

_VOWELS = set("aeiou")
_VOWELS_Y = frozenset("aeiouy")
_SONORANTS = frozenset("lmnr")


def _double_vowel(base: str) -> str | None:
    """psycholog -> psycholoog, lerar -> leraar (closed syllable after dropping a suffix)."""
    if len(base) >= 3 and base[-1] not in _VOWELS and base[-2] in "aeou" and base[-3] not in _VOWELS:
        return base[:-1] + base[-2] + base[-1]
    return None


def _undouble_vowel(base: str) -> str | None:
    """verkoop -> verkop (open syllable before -er)."""
    if len(base) >= 4 and base[-1] not in _VOWELS and base[-2] == base[-3] and base[-2] in "aeou" \
            and base[-4] not in _VOWELS:
        return base[:-2] + base[-1]
    return None


def _double_consonant(base: str) -> str | None:
    """kap -> kapp (short vowel before -er)."""
    if len(base) >= 3 and base[-1] not in _VOWELS and base[-1] not in "wjh" and base[-2] in _VOWELS \
            and base[-3] not in _VOWELS:
        return base + base[-1]
    return None


def _undouble_consonant(base: str) -> str | None:
    if len(base) >= 4 and base[-1] == base[-2] and base[-1] not in _VOWELS:
        return base[:-1]
    return None


def _feminine_candidates(w: str) -> list[str]:
    """Masculine / base forms a feminine word may come from, most likely first."""
    c: list[str] = []
    if w.endswith("trice") and len(w) > 7:
        b = w[:-5]
        c += [b + "teur", b + "tor", b + "ter"]
    elif w.endswith("euse") and len(w) > 6:
        c += [w[:-4] + "eur"]
    elif w.endswith("esse") and len(w) > 7:
        c += [w[:-4] + "is", w[:-4]]
    elif w.endswith("iere") and len(w) > 6:
        c += [w[:-4] + "ier"]
    elif w.endswith("enne") and len(w) > 6:
        c += [w[:-4] + "en"]
    elif w.endswith("ster") and len(w) > 6:
        b = w[:-4]
        for f in (_double_consonant, _undouble_vowel):
            x = f(b)
            if x:
                c.append(x + "er")
                if x[-1] in "fs" and x is not None and f is _undouble_vowel:
                    c.append(x[:-1] + ("v" if x[-1] == "f" else "z") + "er")  # lesgeefster -> lesgever
        c += [b + "er", b + "der", b, b + "aar"]
    elif w.endswith("es") and len(w) > 6:
        b = w[:-2]
        c += [b]
        x = _double_vowel(b)
        if x:
            c.append(x)
    elif w.endswith("in") and len(w) > 6:
        b = w[:-2]
        c += [b]
        x = _undouble_consonant(b)
        if x:
            c.append(x)
    elif w.endswith("e") and len(w) > 5:
        b = w[:-1]
        c += [b]
        x = _double_vowel(b)
        if x:
            c.append(x)
    return c


_VERB_PREFIXES = ("be", "ge", "ver", "ont", "her")
_AGENT_FEMININE = ("ster", "trice", "euse", "eres", "ares")
_AGENT_ENDINGS = ("er", "eur", "or", "ier", "aar", "ist")


def _plural_candidates(w: str) -> list[str]:
    c: list[str] = []
    if w.endswith("ici") and len(w) > 5:
        c.append(w[:-1] + "us")
    if w.endswith("en") and len(w) > 5:
        b = w[:-2]
        c.append(b)
        for f in (_undouble_consonant, _double_vowel):
            x = f(b)
            if x:
                c.append(x)
    elif w.endswith("s") and len(w) > 4 and not w.endswith("ss"):
        c.append(w[:-1])
    return c


_ADJ_SUFFIXES = ("isch", "ische", "ief", "ieve", "ig", "ige", "lijk", "lijke", "eel", "ele", "aal", "ale",
                 "air", "aire", "baar", "bare", "loos", "loze", "ieel", "iele")
_ADJ_WORDS = frozenset("""senior junior allround zelfstandig zelfstandige algemeen algemene eerste tweede
derde hoofd erkend erkende gediplomeerd gediplomeerde ervaren startend startende leerling stagiair
vrijwillig ambulant mobiel mobiele interim tijdelijk extern externe intern interne klinisch klinische
""".split()) - {"hoofd", "leerling", "stagiair"}
_NOUN_EXCEPTIONS = ("kundige", "deskundige", "ambtenaar", "secretaris", "generaal", "admiraal", "kardinaal",
                    "mariniers", "vrijwilliger")


def _looks_adjective(w: str) -> bool:
    if w in _ADJ_WORDS:
        return True
    if w.endswith(_NOUN_EXCEPTIONS):
        return False
    return len(w) > 4 and w.endswith(_ADJ_SUFFIXES)


# --------------------------------------------------------------------------- the normaliser

# letters written otherwise for the same sound, mostly in loanwords as they are heard on the shop
# floor: hydroliek (hydrauliek), elektrisiteit (elektriciteit), sisteem (systeem), kwaliteit
_SOUND_RULES = tuple((re.compile(a), b) for a, b in (
    (r"eau", "o"), (r"au", "o"), (r"ou", "oe"), (r"ph", "f"), (r"th", "t"), (r"ck", "k"), (r"qu", "kw"),
    (r"y", "i"), (r"c(?=[ei])", "s"), (r"c", "k"), (r"x", "ks"), (r"dt$", "t"), (r"ij", "ei"),
    (r"(.)\1", r"\1"),
))


def sound_key(word: str) -> str:
    """The word as it sounds: two spellings of the same sounds give the same key."""
    for pattern, repl in _SOUND_RULES:
        word = pattern.sub(repl, word)
    return word



class Normalizer:
    """Word-level normalisation driven by a vocabulary (word -> count).

    ``Normalizer.from_texts(labels)`` learns the vocabulary from a label corpus. The hand-written
    lexicon is always part of it. The vocabulary can be exported with :meth:`export_vocab` and
    restored with ``Normalizer(vocab)``.
    """

    MIN_PART = 3
    ONE_EDIT_MAX_LEN = 11
    MIN_PREFIX_RESTS = 2  # a modifier never seen alone must start this many known compounds
    SHORT_PART = 5  # words this short are only corrected with their first letter kept, compound parts never  # longer words may be corrected with two edits
    keep_whole = False  # keep a split compound itself as a unit next to its parts

    def __init__(self, vocab: Mapping[str, int] | None = None):
        counts: dict[str, int] = {w: 1 for w in _LEXICON_WORDS}
        for w in _VARIANTS:
            counts.setdefault(w, 1)
        for t in _VARIANTS.values():
            for w in t:
                counts.setdefault(w, 1)
        if vocab:
            for w, n in vocab.items():
                if w and not w.isdigit():
                    counts[w] = counts.get(w, 0) + int(n)
        self.counts = counts
        self._parts = {w: math.log(1 + n) for w, n in counts.items()
                       if len(w) >= self.MIN_PART and w not in STOPWORDS and not w.isdigit()}
        self._learn_prefixes()
        self._max_part = max((len(w) for w in self._parts), default=0)
        self._fuzzy_choices = [w for w in counts if len(w) >= 4 and w not in STOPWORDS]
        derived = {}
        for w in list(counts):
            if len(w) >= 6 and w not in _VARIANTS:
                cw = self.canonical_word(w)
                if len(cw) == 1 and cw[0] != w and cw[0] not in counts:
                    derived[cw[0]] = derived.get(cw[0], 0) + counts[w]
        self._fuzzy_choices += list(derived)
        self._part_choices = [w for w in self._parts if len(w) >= 4] + [w for w in derived if w not in self._parts]
        self._word_cache: dict[str, tuple[tuple[str, ...], str]] = {}
        self._text_cache: dict[str, tuple] = {}
        self._plain_cache: dict[str, tuple[str, ...]] = {}

    def _learn_prefixes(self) -> None:
        """Add compound modifiers that never occur alone but start several known compounds
        (schoonheids- in schoonheidsspecialist, schoonheidssalon, ...)."""
        parts = self._parts
        seen: dict[str, set[str]] = {}
        for w in self.counts:
            n = len(w)
            if n < 8:
                continue
            for k in range(4, n - 3):
                rest = w[k:]
                if rest in parts and len(rest) >= 4:
                    pre = w[:k]
                    if pre in parts or pre in STOPWORDS:
                        continue
                    if any(pre.endswith(v) and pre[:-len(v)] in parts for v in _VERB_PREFIXES):
                        continue  # houtbe|werker: the verbal prefix belongs to the head (hout + bewerker)
                    if pre.endswith("s") and len(pre) > 4:
                        pre2 = pre[:-1]
                        if pre2 in parts:
                            continue
                        seen.setdefault(pre2, set()).add(rest)
                    else:
                        seen.setdefault(pre, set()).add(rest)
        for pre, rests in seen.items():
            if len(rests) >= self.MIN_PREFIX_RESTS and len(pre) >= 5 and pre not in STOPWORDS:
                parts[pre] = math.log(1 + len(rests)) * 0.5
        self._max_part = max((len(w) for w in parts), default=0)

    # ---------------------------------------------------------------- construction / export
    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "Normalizer":
        counts: dict[str, int] = {}
        for t in texts:
            for w in normalize(t).split():
                counts[w] = counts.get(w, 0) + 1
        return cls(counts)

    def export_vocab(self) -> dict[str, int]:
        """The learned part of the vocabulary (without the lexicon defaults), as plain data."""
        base = {w: 1 for w in _LEXICON_WORDS}
        for w in _VARIANTS:
            base.setdefault(w, 1)
        for t in _VARIANTS.values():
            for w in t:
                base.setdefault(w, 1)
        return {w: n - base.get(w, 0) for w, n in self.counts.items() if n - base.get(w, 0) > 0}

    # ---------------------------------------------------------------- word level
    def known(self, w: str) -> bool:
        return w in self.counts

    def _count(self, w: str) -> int:
        return self.counts.get(w, 0)

    def canonical_word(self, w: str, _depth: int = 0) -> tuple[str, ...]:
        """Variant, feminine and plural mapping of one normalised word (no compound splitting)."""
        v = _VARIANTS.get(w)
        if v is not None:
            return v
        if w in STOPWORDS or len(w) < 4 or w.isdigit() or _depth > 2:
            return (w,)
        protected = w.endswith(_NONFEMININE)
        n = self._count(w)
        if not protected:
            fem = _feminine_candidates(w)
            for cand in fem:
                if cand in _VARIANTS or self._count(cand) > 0 and (not w.endswith("e") or self._count(cand) >= n
                                                                   or n == 0):
                    return self.canonical_word(cand, _depth + 1)
            for cand in _plural_candidates(w):
                if cand in _VARIANTS or (self._count(cand) > 0 and self._count(cand) >= n):
                    return self.canonical_word(cand, _depth + 1)
            if w.endswith(_AGENT_FEMININE):
                # a feminine compound whose masculine form ends with a known agent noun
                # (kwastenmaakster -> kwastenmaker, voetverzorgster -> voetverzorger)
                for cand in fem:
                    if self._agent_tail(cand):
                        return (cand,)
            if n == 0 and not self._split_known(w):
                # unseen word: a feminine / plural form of a compound we can split
                for cand in fem + _plural_candidates(w):
                    if len(cand) >= 6 and self._split_known(cand):
                        return (cand,)
        return (w,)

    def _agent_tail(self, cand: str) -> bool:
        """cand ends with a known masculine agent noun of at least 5 letters (maker, verzorger)."""
        for k in range(1, len(cand) - 4):
            tail = cand[k:]
            if tail.endswith(_AGENT_ENDINGS) and self._count(tail) > 0 and tail not in STOPWORDS:
                return True
        return False

    def _split_known(self, w: str, allow_unknown_prefix: bool = False) -> list[str] | None:
        """Split w into >= 2 known parts (dynamic programming, fewest parts, frequent parts).

        A linking ``s`` after a part is allowed (bedrijfsleider = bedrijf + s + leider). With
        allow_unknown_prefix, the first part may be an unknown string of at least 4 letters
        (afrokapper = afro + kapper) - only used for words that are not in the vocabulary.
        """
        n = len(w)
        if n < 2 * self.MIN_PART:
            return None
        parts = self._parts
        inf = float("inf")
        best: list[float] = [inf] * (n + 1)
        back: list[tuple[int, int] | None] = [None] * (n + 1)  # (end of part, next start)
        best[n] = 0.0
        maxp = self._max_part
        for i in range(n - self.MIN_PART, -1, -1):
            b = inf
            bk = None
            for j in range(i + self.MIN_PART, min(n, i + maxp) + 1):
                if i == 0 and j == n:
                    continue
                p = w[i:j]
                lp = parts.get(p)
                if lp is None or (i and p[0] in _SONORANTS and p[1] not in _VOWELS_Y):
                    # no Dutch word starts with a sonorant before a consonant: alle|rgie is no
                    # split of allergie, whatever the vocabulary holds (RGIE)
                    continue
                if best[j] < inf:
                    c = best[j] + 10.0 - lp
                    if c < b:
                        b, bk = c, (j, j)
                if j < n - self.MIN_PART and w[j] == "s" and best[j + 1] < inf:
                    c = best[j + 1] + 10.5 - lp
                    if c < b:
                        b, bk = c, (j, j + 1)
            best[i] = b
            back[i] = bk
        if best[0] < inf:
            out = []
            i = 0
            while i < n:
                j, nxt = back[i]
                out.append(w[i:j])
                i = nxt
            return out
        if allow_unknown_prefix:
            # known parts followed by an unknown tail with a typing error (klokkengieer)
            fwd = self._split_prefix_known(w)
            if fwd is not None:
                return fwd
            cands = []
            for k in range(4, n - 3):
                if best[k] < inf:
                    cands.append((best[k] + 14.0, k))
            if cands:
                _, k = min(cands)
                out = [w[:k]]
                i = k
                while i < n:
                    j, nxt = back[i]
                    out.append(w[i:j])
                    i = nxt
                return out
        return None

    def _split_prefix_known(self, w: str) -> list[str] | None:
        """known part(s) + a tail that is one typing error away from a known part."""
        n = len(w)
        for k in range(n - 4, 3, -1):
            head = w[:k]
            tail = w[k:]
            if len(tail) > self.SHORT_PART and (head in self._parts or (head.endswith("s") and head[:-1] in self._parts)):
                fixed = self._correct_in(tail, self._part_choices)
                if fixed is not None and fixed != tail:
                    first = head[:-1] if head not in self._parts else head
                    return [first, fixed]
        return None

    def correct(self, w: str) -> str | None:
        """The vocabulary word closest to an unknown word (typing error), or None; failing that,
        the one vocabulary word that sounds the same (hydroliek / hydrauliek)."""
        if len(w) < 4 or w.isdigit():
            return None
        return self._correct_in(w, self._fuzzy_choices) or self._sounds_like(w)

    SOUND_MIN_LEN = 6   # shorter words sound like too many others

    def _sounds_like(self, w: str) -> str | None:
        """The single vocabulary word written otherwise for the same sounds as the unknown word
        ``w`` (see :func:`sound_key`), or None when there is none or more than one."""
        if len(w) < self.SOUND_MIN_LEN or w in STOPWORDS:
            return None
        index = self.__dict__.get("_sound_index")
        if index is None:
            index = {}
            for c in self._fuzzy_choices:
                if len(c) >= self.SOUND_MIN_LEN:
                    index.setdefault(sound_key(c), []).append(c)
            self._sound_index = index
        found = index.get(sound_key(w), [])
        return found[0] if len(found) == 1 else None

    def _correct_in(self, w: str, choices: list[str]) -> str | None:
        if len(w) < 4 or w.isdigit():
            return None
        max_edits = 1 if len(w) <= self.ONE_EDIT_MAX_LEN else 2
        found = process.extract(w, choices, scorer=OSA.distance, score_cutoff=max_edits, limit=8)
        if len(w) <= self.SHORT_PART:
            # a short word keeps its first letter (zager is no typing error for lager)
            found = [f for f in found if f[0][0] == w[0]]
        if not found:
            return None
        best = min(found, key=lambda r: (r[1], -self.counts.get(r[0], 0), r[0]))
        return best[0]

    def _transposed(self, w: str) -> str | None:
        """A short unknown word that is a known word with two neighbouring letters swapped (frnas /
        frans), or None. Short words get no other correction: one letter more or less makes
        another word too easily (basf / bas)."""
        if len(w) < 4 or w in self.counts or w.isdigit() or w in STOPWORDS:
            return None
        letters = sorted(w)
        found = [f[0] for f in process.extract(w, self._fuzzy_choices, scorer=OSA.distance, score_cutoff=1, limit=8)
                 if f[1] == 1 and sorted(f[0]) == letters]
        if not found:
            return None
        return min(found, key=lambda f: (-self.counts.get(f, 0), f))

    def _variant_base(self, w: str, canon: tuple[str, ...]) -> str | None:
        """The masculine / singular form of ``w`` that is a listed synonym and gave ``canon``."""
        if canon == (w,) or w in STOPWORDS:
            return None
        for cand in _feminine_candidates(w) + _plural_candidates(w):
            if _VARIANTS.get(cand) == canon:
                return cand
        return None

    def analyse_word(self, w: str) -> tuple[tuple[str, ...], str]:
        """(canonical units of the word, head word) - the units include compound parts.

        The first unit is the canonical whole word; parts follow. The head is the last part.
        """
        hit = self._word_cache.get(w)
        if hit is not None:
            return hit
        res = self._analyse(w)
        if len(self._word_cache) > 200000:
            self._word_cache.clear()
        self._word_cache[w] = res
        return res

    def _analyse(self, w: str) -> tuple[tuple[str, ...], str]:
        if len(w) > MAX_WORD:
            return (w,), w          # no word is this long: not split, not corrected
        canon = self.canonical_word(w)
        written = w if w in _VARIANTS else self._variant_base(w, canon)
        if written:
            # a synonym expands: the canonical word(s) and the word as written (for a feminine or
            # plural form of a synonym, its base form: raadgeefster gives adviseur and raadgever)
            units: list[str] = []
            for c in canon:
                units.extend(self.analyse_word(c)[0])
            units.append(written)
            return tuple(dict.fromkeys(units)), canon[-1]
        if len(canon) > 1:
            units = []
            for c in canon:
                units.extend(self.analyse_word(c)[0])
            return tuple(dict.fromkeys(units)), canon[-1]
        c = canon[0]
        if len(c) < 2 * self.MIN_PART or c.isdigit():
            swapped = self._transposed(c)
            if swapped is not None:
                return self.analyse_word(swapped)
            return (c,), c
        known = c in self.counts
        parts = self._split_known(c)
        if parts is None and not known:
            fixed = self.correct(c)
            if fixed is not None and fixed != c:
                return self.analyse_word(fixed)
            parts = self._split_known(c, allow_unknown_prefix=True)
        if parts is None:
            return (c,), c
        units = [c] if self.keep_whole else []
        head = c
        for k, p in enumerate(parts):
            sub = self.canonical_word(p)
            if p not in self._parts and len(p) > self.SHORT_PART:
                fixed = self._correct_in(p, self._part_choices)
                if fixed is not None:
                    sub = self.canonical_word(fixed)
            for s in sub:
                inner = self._split_known(s) if len(s) >= 2 * self.MIN_PART + 2 and s in self.counts else None
                if inner:
                    # a part that is itself a compound gives its parts, as it does standing alone
                    # (ruimtevaarttechnicus and technicus ruimtevaart share the same units)
                    for q in inner:
                        units.extend(self.canonical_word(q))
                else:
                    units.append(s)
            # a synonym as written stays a unit, as it does standing alone (aankoopbediende and
            # bediende aankoop give the same units: inkoop, medewerker, aankoop, bediende)
            written = p if p in _VARIANTS else self._variant_base(p, sub)
            if written and written not in sub:
                units.append(written)
            head = sub[-1]
        if c in _LEXICON_WORDS_SET:
            head = c  # a lexicalised compound such as medewerker keeps itself as head
        return tuple(dict.fromkeys(units)), head

    # ---------------------------------------------------------------- text level
    def analyse(self, text: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], str]:
        """(canonical words, units per word, head word) of a text. Stop words are dropped."""
        hit = self._text_cache.get(text)
        if hit is not None:
            return hit
        words = [w for w in normalize(text).split() if w not in STOPWORDS]
        canon_words: list[str] = []
        per_word: list[tuple[str, ...]] = []
        heads: list[str] = []
        for w in words:
            units, h = self.analyse_word(w)
            canon_words.extend(self.canonical_word(w))
            per_word.append(units)
            heads.append(h)
        head = ""
        for w, h in zip(words, heads):
            if not _looks_adjective(w) and not w.isdigit():
                head = h
                break
        if not head and heads:
            head = heads[-1]
        res = (tuple(canon_words), tuple(per_word), head)
        if len(self._text_cache) > 200000:
            self._text_cache.clear()
        self._text_cache[text] = res
        return res

    def canonical(self, text: str) -> str:
        """Normalised text with variants, feminine and plural forms mapped (word order kept)."""
        return " ".join(self.analyse(text)[0])

    def tokens(self, text: str) -> tuple[str, ...]:
        """Stemmed units of a text: every word and the parts of its compounds, in order."""
        out: list[str] = []
        for units in self.analyse(text)[1]:
            out.extend(stem(u) for u in units)
        return tuple(dict.fromkeys(out))

    def match_units(self, text: str, prefix: int = 6) -> tuple[str, ...]:
        """tokens() plus a ``#``-marked truncation of each long unit, which links derivations
        (orthopedie / orthopedisch, bacterioloog / bacteriologie) at a lower weight."""
        toks = self.tokens(text)
        extra = ["#" + t[:prefix] for t in toks if len(t) >= prefix and not t.isdigit()]
        return tuple(dict.fromkeys(list(toks) + extra))

    def plain_units(self, text: str) -> tuple[str, ...]:
        """Stemmed units of running text (a description): every word with its variant, feminine
        and plural mapping, plus the parts of compounds made of known words. Unlike
        :meth:`tokens`, unknown words are kept as written (never corrected), so prose words
        outside the vocabulary do not turn into job-title words. Repeats are kept (term counts)."""
        out: list[str] = []
        cache = self._plain_cache
        for w in normalize(text).split():
            if w in STOPWORDS or len(w) < 3 or len(w) > MAX_WORD or w.isdigit():
                continue
            hit = cache.get(w)
            if hit is None:
                units: list[str] = []
                for c in self.canonical_word(w):
                    units.append(c)
                    if len(c) >= 2 * self.MIN_PART + 2:
                        parts = self._split_known(c)
                        if parts:
                            for p in parts:
                                units.extend(self.canonical_word(p))
                hit = cache[w] = tuple(dict.fromkeys(stem(u) for u in units))
            out.extend(hit)
        return tuple(out)

    def head(self, text: str) -> str:
        """Stemmed head noun of a title (``heftruckchauffeur`` and ``chauffeur heftruck``: chauffeur)."""
        h = self.analyse(text)[2]
        return stem(h) if h else ""

    def split(self, word: str) -> tuple[str, ...]:
        """Compound parts of one word (canonical), or the word itself when it does not split."""
        w = normalize(word).replace(" ", "")
        units, _ = self.analyse_word(w)
        if self.keep_whole and len(units) > 1:
            units = units[1:]
        return units


_DEFAULT: Normalizer | None = None


def default_normalizer() -> Normalizer:
    """Normaliser that knows only the hand-written lexicon (no corpus)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Normalizer()
    return _DEFAULT


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """Normalised, stemmed units of a text, compound parts expanded (default lexicon)."""
    return default_normalizer().tokens(text)


@lru_cache(maxsize=65536)
def canonical(text: str) -> str:
    return default_normalizer().canonical(text)


@lru_cache(maxsize=65536)
def head(text: str) -> str:
    return default_normalizer().head(text)


def split_compound(word: str) -> tuple[str, ...]:
    return default_normalizer().split(word)
