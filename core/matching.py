"""Ranking bottleneck occupations for a worker, with the gap explained.

For every occupation of the reference data the score combines

* the competences the worker has against the occupation's essential (weight 2) and optional
  (weight 1) competences, as a cosine between the two weighted sets, so that neither a long list
  of occupation competences nor a long list of worker competences is rewarded by itself;
* certificates the occupation requires that the worker holds (attests count as competences);
* how close the worker's previous job titles are to the occupation's names;
* the natural next steps of the worker's source occupation (productieoperator -> procesoperator);
* conflicts between the occupation's working conditions and the worker's limits and
  preferences (no night work, no heights, no heavy lifting...), each a penalty.

Each result says which competences matched (with the phrase that matched them) and which
essential and optional ones are missing. The gap is turned into the smallest set of catalogue
trainings that covers the missing essential competences.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Callable, Iterable

from core.competences import CompetenceEntry, CompetenceMatcher, CompetenceSuggestion
from core.i18n import tr
from core.model import Worker
from core.textnorm import intake_words, normalize
from core.titles import LabelKind, OccupationRecord, TitleMatcher

_CTX = "matching"

W_COMPETENCE = 0.62
W_TITLE = 0.26
W_CERT = 0.06
W_TRANSITION = 0.06
CONFLICT_PENALTY = 0.08


@dataclass(frozen=True)
class CompetenceRef:
    competence_id: str
    label: str


@dataclass(frozen=True)
class MatchedCompetence:
    competence_id: str
    label: str
    phrase: str
    essential: bool


@dataclass
class OccupationMatch:
    occupation_id: str
    name: str
    name_fr: str
    isco: str
    sector: str
    reasons: list[str]
    bottleneck: bool
    score: float
    matched: list[MatchedCompetence] = field(default_factory=list)
    missing_essential: list[CompetenceRef] = field(default_factory=list)
    missing_optional: list[CompetenceRef] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    title_similarity: float = 0.0
    esco_uri: str = ""
    # the parts of the score (shares of 1, before it is kept within 0..1), for the explanation
    part_competences: float = 0.0
    part_title: float = 0.0
    title_from: str = ""              # the worker's job title that looks like this occupation
    part_certificates: float = 0.0
    part_transition: float = 0.0
    transition_from: str = ""         # the source job from which this occupation is a usual next step
    transition_same: bool = False     # ... and that source job is this occupation itself (same name)
    part_conflicts: float = 0.0       # subtracted

    def as_dict(self) -> dict:
        return {"id": self.occupation_id, "name": self.name, "isco": self.isco, "score": round(self.score, 4),
                "bottleneck": self.bottleneck, "reasons": self.reasons, "sector": self.sector,
                "matched": [m.label for m in self.matched],
                "matched_phrases": [{"competence": m.label, "phrase": m.phrase, "essential": m.essential}
                                    for m in self.matched],
                "missing": [m.label for m in self.missing_essential],
                "missing_optional": [m.label for m in self.missing_optional],
                "conflicts": self.conflicts}


@dataclass
class GapPlan:
    trainings: list            # core.reference Training objects, in a sensible order
    total_weeks: float
    uncovered: list[CompetenceRef]


@dataclass(frozen=True)
class WorkerProfile:
    """What the matcher needs of a worker (also built from a JSON profile on the command line)."""
    job_titles: tuple[str, ...]
    phrases: tuple[tuple[str, str, int], ...]      # (text, confirmed competence id or "", level 1-4)
    licences: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    accepts_nights: bool = True
    accepts_shifts: bool = True
    accepts_weekends: bool = True
    limitations: tuple[str, ...] = ()
    max_commute_minutes: int | None = None
    # the accepts_* flags were given (a worker's record, or a JSON profile that names one); when
    # not, they only rule nothing out and say nothing about the worker's readiness for shift work
    preferences_stated: bool = False

    @property
    def accepts_all_shifts(self) -> bool:
        """Shifts, nights and weekends all accepted, and no limitation against them."""
        lims = {x.lower() for x in self.limitations}
        return (self.accepts_shifts and self.accepts_nights and self.accepts_weekends
                and not {"nachtwerk", "ploegenwerk"} & lims)

    @classmethod
    def from_worker(cls, w: Worker) -> "WorkerProfile":
        titles = [w.previous_job_title] + [e.job_title for e in w.experiences]
        phrases = [(c.text, c.competence_id, c.level) for c in w.competences]
        phrases += [(c.label or c.kind, c.kind, 3) for c in w.certificates]
        return cls(job_titles=tuple(t for t in dict.fromkeys(titles) if t and t.strip()),
                   phrases=tuple(phrases), licences=tuple(w.mobility.driving_licences),
                   languages=tuple(s.language for s in w.languages),
                   accepts_nights=w.preferences.accepts_nights, accepts_shifts=w.preferences.accepts_shifts,
                   accepts_weekends=w.preferences.accepts_weekends,
                   limitations=tuple(f.kind for f in w.limitations),
                   max_commute_minutes=w.mobility.max_commute_minutes, preferences_stated=True)

    @classmethod
    def from_dict(cls, d: dict) -> "WorkerProfile":
        """A profile from JSON; a field of the wrong kind raises ``ProfileError`` (Dutch), never a crash
        later or a silent misreading (a string is one phrase, not its letters; "false" is not true)."""
        if not isinstance(d, dict):
            raise ProfileError(tr(_CTX, "een profiel is een JSON-object, bv. {\"competences\": [\"lassen\"]}"))
        ident = d.get("id", "")
        if isinstance(ident, bool) or not isinstance(ident, (str, int)):
            raise ProfileError(tr(_CTX, "id moet een tekst of een geheel getal zijn"))
        comps = _texts(d, "competences")
        minutes = d.get("max_commute_minutes")
        if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, (int, float))
                                    or not 0 <= minutes <= 24 * 60):
            raise ProfileError(tr(_CTX, "max_commute_minutes moet een aantal minuten zijn (0 tot 1440)"))
        return cls(job_titles=_texts(d, "job_title"), phrases=tuple((c, "", 2) for c in comps),
                   licences=_texts(d, "licences"), languages=_texts(d, "languages"),
                   accepts_nights=_flag(d, "accepts_nights"), accepts_shifts=_flag(d, "accepts_shifts"),
                   accepts_weekends=_flag(d, "accepts_weekends"), limitations=_texts(d, "limitations"),
                   max_commute_minutes=None if minutes is None else int(minutes),
                   preferences_stated=any(k in d for k in ("accepts_nights", "accepts_shifts", "accepts_weekends")))


# the fields of a JSON profile (command line ``match --json``)
PROFILE_FIELDS = frozenset({"id", "language", "job_title", "competences", "licences", "languages",
                            "accepts_nights", "accepts_shifts", "accepts_weekends", "limitations",
                            "max_commute_minutes"})
MAX_PROFILE_TEXT = 1000   # characters in one text of a profile (a title, a phrase)


def unknown_profile_fields(d: dict) -> list[str]:
    """Fields of a JSON profile that the matcher does not read (a misspelt "competence")."""
    return sorted(str(k) for k in d if k not in PROFILE_FIELDS)


class ProfileError(ValueError):
    """A JSON profile with a field of the wrong kind; the message is Dutch and names the field."""


def _texts(d: dict, key: str) -> tuple[str, ...]:
    """A text or a list of texts (empty ones dropped); anything else is refused."""
    value = d.get(key)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise ProfileError(tr(_CTX, "{veld} moet een tekst of een lijst van teksten zijn").format(veld=key))
    for x in items:
        try:
            x.encode("utf-8")
        except UnicodeEncodeError:
            raise ProfileError(tr(_CTX, "{veld} bevat ongeldige tekens").format(veld=key)) from None
        if any(ord(c) < 32 and c not in "\t\r\n" for c in x):
            raise ProfileError(tr(_CTX, "{veld} bevat stuurtekens").format(veld=key))
        if len(x) > MAX_PROFILE_TEXT:
            raise ProfileError(tr(_CTX, "{veld} bevat een tekst van meer dan {n} tekens").format(
                veld=key, n=MAX_PROFILE_TEXT))
    return tuple(x.strip() for x in items if x.strip())


def _flag(d: dict, key: str) -> bool:
    value = d.get(key, True)
    if value is None:
        return True
    if not isinstance(value, bool):
        raise ProfileError(tr(_CTX, "{veld} moet true of false zijn").format(veld=key))
    return value


# conditions of an occupation -> (worker says no?, Dutch explanation)
def _conflicts(conditions: Iterable[str], p: WorkerProfile) -> list[str]:
    lims = {x.lower() for x in p.limitations}
    out = []
    for c in conditions:
        if c == "nacht" and (not p.accepts_nights or "nachtwerk" in lims):
            out.append(tr(_CTX, "Nachtwerk: de werknemer wil of mag geen nachtwerk doen."))
        elif c == "ploegen" and (not p.accepts_shifts or "ploegenwerk" in lims):
            out.append(tr(_CTX, "Ploegenwerk: de werknemer wil of mag niet in ploegen werken."))
        elif c == "weekend" and not p.accepts_weekends:
            out.append(tr(_CTX, "Weekendwerk: de werknemer wil geen weekendwerk."))
        elif c == "hoogte" and "werken op hoogte" in lims:
            out.append(tr(_CTX, "Werken op hoogte: beperking van de werknemer."))
        elif c == "zwaar_werk" and ({"tillen", "lang staan"} & lims):
            out.append(tr(_CTX, "Zwaar werk: de werknemer mag niet zwaar tillen of lang staan."))
        elif c == "lawaai" and "lawaai" in lims:
            out.append(tr(_CTX, "Lawaai: beperking van de werknemer."))
        elif c == "koude" and "koude" in lims:
            out.append(tr(_CTX, "Koude: beperking van de werknemer."))
        elif c in ("rijbewijs_c", "verplaatsingen") and "rijden" in lims:
            out.append(tr(_CTX, "Rijden: de werknemer mag beroepsmatig niet rijden."))
    return out


# the competence "Bereid tot ploegen-, nacht- en weekendwerk": a preference of the worker, not
# something to learn; the worker's stated preferences decide it
SHIFT_READINESS = "ploegenwerk"


def _shift_phrase() -> str:
    return tr(_CTX, "voorkeuren: ploegen, nacht en weekend")


def _shift_readiness_conflict(conditions: Iterable[str], p: WorkerProfile) -> list[str]:
    """The occupation asks readiness for shift work of a worker who (partly) declines it: a conflict,
    not a gap; none is added when a condition of the occupation already says so."""
    if _conflicts([c for c in conditions if c in ("ploegen", "nacht", "weekend")], p):
        return []
    return [tr(_CTX, "Ploegen-, nacht- en weekendwerk gevraagd: de werknemer aanvaardt niet alle drie "
                     "(zie voorkeuren en beperkingen).")]


# words that name a worker's statute or say "someone who works", not a job: "arbeider",
# "bediende", "ouvrier"; as the head of a compound ("lijnarbeider", "magazijnmedewerker") they
# say nothing about the work either
STATUTE_WORDS = ("arbeider", "arbeidster", "arbeiders", "bediende", "bedienden", "werknemer", "werkneemster",
                 "medewerker", "medewerkster", "personeelslid", "ouvrier", "ouvriere", "ouvriers", "employe",
                 "employee", "travailleur", "travailleuse", "werkman", "uitzendkracht", "interimaris")
_TITLE_FILLERS = frozenset({"m", "v", "x", "mv", "mvx", "f", "h", "hf"})


def job_core(title: str) -> str:
    """The words of a job title that say what the job is: statute words are left out, and
    a compound that ends in one is cut to what it starts with ("lijnarbeider" -> "lijn")."""
    out = []
    for w in normalize(title).split():
        if w in STATUTE_WORDS or w in _TITLE_FILLERS:
            continue
        head = next((g for g in STATUTE_WORDS if w.endswith(g) and len(w) - len(g) >= 3), None)
        out.append(w[: -len(head)] if head else w)
    return " ".join(out)


def _same_job(source_name: str, occupation) -> bool:
    """A source job named like the occupation itself (Heftruckchauffeur -> Heftruckchauffeur): the
    worker did this job, it is no transition to another one."""
    name = normalize(source_name)
    names = [getattr(occupation, "name_nl", "")] + list(getattr(occupation, "alt_labels_nl", ()) or ())
    return bool(name) and any(normalize(n) == name for n in names if n)


def _attr(obj, *names, default=None):
    for n in names:
        if hasattr(obj, n):
            return getattr(obj, n)
    return default


class MatchingService:
    """Competence recognition, occupation ranking and gap analysis over the reference data."""

    def __init__(self, reference, synonyms: dict[str, str] | None = None):
        self.reference = reference
        self.competences = {c.id: c for c in reference.competences}
        entries = [CompetenceEntry(c.id, c.label_nl, tuple([c.label_nl, *( [c.label_fr] if c.label_fr else []),
                                                            *c.variants]))
                   for c in reference.competences]
        self.matcher = CompetenceMatcher(entries, synonyms, extra_vocabulary=intake_words())
        self.occupations = list(reference.occupations)
        records = []
        for o in self.occupations:
            labels = [(o.name_nl, LabelKind.PREFERRED)] + [(a, LabelKind.ALTERNATIVE) for a in o.alt_labels_nl]
            records.append(OccupationRecord(o.id, o.isco, tuple(labels)))
        self.sources = list(getattr(reference, "source_occupations", []) or [])
        for s in self.sources:
            labels = [(s.name_nl, LabelKind.PREFERRED)] + [(a, LabelKind.ALTERNATIVE) for a in s.alt_labels_nl]
            if getattr(s, "name_fr", ""):       # "magasinier", "soudeur": how French-speaking workers write it
                labels.append((s.name_fr, LabelKind.ALTERNATIVE))
            records.append(OccupationRecord("src:" + s.id, s.isco, tuple(labels)))
        self.titles = TitleMatcher(records)
        self.source_by_id = {s.id: s for s in self.sources}
        self.trainings = list(getattr(reference, "trainings", []) or [])

    @classmethod
    def create(cls, reference=None, synonyms: dict[str, str] | None = None) -> "MatchingService":
        if reference is None:
            from core.reference import load_reference
            reference = load_reference()
        return cls(reference, synonyms)

    # -- competences ---------------------------------------------------------------------------
    def label(self, competence_id: str) -> str:
        c = self.competences.get(competence_id)
        return c.label_nl if c else competence_id

    def suggest_competences(self, text: str, limit: int = 8) -> list[CompetenceSuggestion]:
        return self.matcher.suggest(text, limit)

    def recognise(self, text: str) -> CompetenceSuggestion | None:
        return self.matcher.recognise(text)

    def add_synonym(self, text: str, competence_id: str) -> None:
        self.matcher.add_synonym(text, competence_id)

    def also_named(self, text: str, competence_id: str) -> list[CompetenceSuggestion]:
        """Competences a phrase names besides the one picked for it ("tig lassen rvs": RVS)."""
        return self.matcher.also_named(text, {competence_id})

    def source_competences(self, job_title: str) -> list[CompetenceSuggestion]:
        """Typical competences of a previous job, for the counsellor to confirm or drop."""
        # a statute ("arbeider", "bediende") names no job: nothing to propose. A title with a
        # statute word ("lijnarbeider") only matches a job that its other words match too (not
        # "magazijnarbeider" through "arbeider"); else it is matched on those words ("lijn")
        core = job_core(job_title)
        if not core:
            return []
        found = [m for m in self.titles.query(job_title, 10) if m.score >= 70]
        if core != normalize(job_title):
            on_core = {m.uri: m.score for m in self.titles.query(core, 25)}
            found = [m for m in found if on_core.get(m.uri, 0.0) >= 60] or \
                [m for m in self.titles.query(core, 10) if m.score >= 70]
        if not found:
            return []
        top = max(m.score for m in found)
        best_src = next((m for m in found if m.uri.startswith("src:") and m.score >= top), None)
        if best_src is not None:
            src = self.source_by_id[best_src.uri[4:]]
            return [CompetenceSuggestion(cid, self.label(cid), round(best_src.score / 100, 3), src.name_nl)
                    for cid in src.competences if cid in self.competences]
        # a bottleneck occupation held before ("Lasser TIG", "onderhoudstechnicus"): its essential
        # competences are what its holder has
        occ = next((o for o in self.occupations if o.id == found[0].uri), None)
        if occ is None:
            return []
        essential = [_attr(oc, "id", "competence_id") for oc in occ.competences if _attr(oc, "essential", default=False)]
        return [CompetenceSuggestion(cid, self.label(cid), round(found[0].score / 100, 3), occ.name_nl)
                for cid in dict.fromkeys(essential) if cid in self.competences]

    # -- ranking -------------------------------------------------------------------------------
    def resolve(self, profile: WorkerProfile) -> dict[str, tuple[float, str]]:
        """Competence id -> (strength 0..1, phrase) for everything the worker has."""
        held: dict[str, tuple[float, str]] = {}

        def add(cid: str, strength: float, phrase: str, keep_phrase: bool = False) -> None:
            """``keep_phrase``: a stronger source raises the strength but keeps the phrase already held."""
            if cid in self.competences and strength > held.get(cid, (0.0, ""))[0]:
                held[cid] = (strength, held[cid][1] if keep_phrase and cid in held else phrase)

        for text, confirmed, level in profile.phrases:
            level_factor = 0.85 + 0.05 * max(1, min(4, int(level or 2)))
            if confirmed and confirmed in self.competences:
                add(confirmed, level_factor, text)
                # the counsellor's pick explains some of the words; the others may name one more
                # competence ("tig lassen rvs" confirmed as TIG-lassen still says RVS)
                for s in self.matcher.also_named(text, {confirmed}):
                    add(s.competence_id, min(1.0, s.score) * level_factor, text)
                continue
            for s in self.matcher.recognise_all(text):
                add(s.competence_id, min(1.0, s.score) * level_factor, text)
        # readiness for shift work is what the worker said under Voorkeuren (ticked by default, so
        # alone it is no profile: it weighs only next to something the worker has)
        if held and profile.preferences_stated and profile.accepts_all_shifts:
            add(SHIFT_READINESS, 1.0, _shift_phrase())
        for lic in profile.licences:
            s = self.matcher.recognise(f"rijbewijs {lic}")
            if s and s.score >= 0.9:
                add(s.competence_id, 1.0, f"rijbewijs {lic}")
        # an attest proves what it certifies (the heftruck attest: driving a heftruck); the worker's own
        # words for that competence ("heftruck rijden") stay its phrase, the attest's name is shown only
        # where there are none
        for cid, (strength, phrase) in list(held.items()):
            for implied in getattr(self.competences[cid], "implies", ()) or ():
                add(implied, strength, phrase, keep_phrase=True)
        return held

    def _title_scores(self, profile: WorkerProfile) -> tuple[dict[str, float], set[str]]:
        scores, _, transitions = self._title_evidence(profile)
        return scores, set(transitions)

    def _title_evidence(self, profile: WorkerProfile) -> tuple[dict[str, float], dict[str, str], dict[str, str]]:
        """(occupation id -> title similarity, occupation id -> the worker's title it came from,
        occupation id -> name of the source job it is a usual next step from)."""
        scores: dict[str, float] = {}
        origin: dict[str, str] = {}
        transitions: dict[str, str] = {}
        for title in profile.job_titles:
            for m in self.titles.query(title, 25):
                s = m.score / 100.0
                if m.uri.startswith("src:"):
                    src = self.source_by_id.get(m.uri[4:])
                    if src and s >= 0.7:
                        for t in src.transitions:
                            transitions.setdefault(t, src.name_nl)
                    continue
                if s > scores.get(m.uri, 0.0):
                    scores[m.uri], origin[m.uri] = s, title
        return scores, origin, transitions

    def rank_profile(self, profile: WorkerProfile, top: int | None = None) -> list[OccupationMatch]:
        held = self.resolve(profile)
        title_scores, title_origin, transitions = self._title_evidence(profile)
        worker_norm = math.sqrt(sum(s * s for s, _ in held.values())) or 1.0
        results = []
        for o in self.occupations:
            comps = list(o.competences)
            matched, missing_e, missing_o = [], [], []
            dot, occ_sq = 0.0, 0.0
            for oc in comps:
                cid = _attr(oc, "id", "competence_id")
                essential = bool(_attr(oc, "essential", default=False))
                w = 2.0 if essential else 1.0
                occ_sq += w * w
                if cid in held:
                    strength, phrase = held[cid]
                    dot += w * strength
                    matched.append(MatchedCompetence(cid, self.label(cid), phrase, essential))
                elif essential:
                    missing_e.append(CompetenceRef(cid, self.label(cid)))
                else:
                    missing_o.append(CompetenceRef(cid, self.label(cid)))
            comp_score = dot / (math.sqrt(occ_sq) * worker_norm) if occ_sq and held else 0.0
            required = list(getattr(o, "certificates_required", ()) or ())
            cert_score = (sum(1 for c in required if c in held) / len(required)) if required else 0.0
            for c in required:
                if c not in held and c not in {m.competence_id for m in missing_e}:
                    missing_e.append(CompetenceRef(c, self.label(c)))
            # a required certificate is essential, also where the occupation lists it as optional
            missing_o = [m for m in missing_o if m.competence_id not in required]
            title = title_scores.get(o.id, 0.0)
            title = title * title        # only clearly similar titles weigh
            conditions = getattr(o, "conditions", ()) or ()
            conflicts = _conflicts(conditions, profile)
            if profile.preferences_stated and profile.accepts_all_shifts and SHIFT_READINESS not in held:
                # a worker with only a job title: shown as present, not scored (see resolve)
                for m in [m for m in missing_e + missing_o if m.competence_id == SHIFT_READINESS]:
                    matched.append(MatchedCompetence(m.competence_id, m.label, _shift_phrase(),
                                                     m in missing_e))
                missing_e = [m for m in missing_e if m.competence_id != SHIFT_READINESS]
                missing_o = [m for m in missing_o if m.competence_id != SHIFT_READINESS]
            if (profile.preferences_stated and not profile.accepts_all_shifts and SHIFT_READINESS not in held
                    and any(m.competence_id == SHIFT_READINESS for m in missing_e + missing_o)):
                missing_e = [m for m in missing_e if m.competence_id != SHIFT_READINESS]
                missing_o = [m for m in missing_o if m.competence_id != SHIFT_READINESS]
                conflicts += _shift_readiness_conflict(conditions, profile)
            parts = (W_COMPETENCE * comp_score, W_TITLE * title, W_CERT * cert_score,
                     W_TRANSITION if o.id in transitions else 0.0, CONFLICT_PENALTY * len(conflicts))
            score = parts[0] + parts[1] + parts[2] + parts[3] - parts[4]
            results.append(OccupationMatch(
                occupation_id=o.id, name=o.name_nl, name_fr=getattr(o, "name_fr", ""), isco=o.isco,
                sector=getattr(o, "sector", ""), reasons=list(getattr(o, "reasons", []) or []),
                bottleneck=bool(getattr(o, "bottleneck", True)), score=max(0.0, min(1.0, score)),
                matched=matched, missing_essential=missing_e, missing_optional=missing_o, conflicts=conflicts,
                title_similarity=title, esco_uri=getattr(o, "esco_uri", ""),
                part_competences=parts[0], part_title=parts[1], title_from=title_origin.get(o.id, "") if title else "",
                part_certificates=parts[2], part_transition=parts[3], transition_from=transitions.get(o.id, ""),
                transition_same=o.id in transitions and _same_job(transitions[o.id], o),
                part_conflicts=parts[4]))
        results.sort(key=lambda m: (-m.score, len(m.missing_essential), m.name))
        return results[:top] if top else results

    def rank(self, worker: Worker, top: int | None = None) -> list[OccupationMatch]:
        return self.rank_profile(WorkerProfile.from_worker(worker), top)

    def rank_dossier(self, workers: list[Worker], progress: Callable[[float, str], None] | None = None,
                     is_cancelled: Callable[[], bool] | None = None, top: int = 10) -> dict[int, list[OccupationMatch]]:
        out: dict[int, list[OccupationMatch]] = {}
        n = len(workers)
        for i, w in enumerate(workers):
            if is_cancelled and is_cancelled():
                break
            # an occupation with nothing in common (score 0) is no result: a worker without any
            # competence or job title gets none, not a "best" occupation at 0 %
            out[w.id] = [m for m in self.rank(w, top) if m.score > 0.0]
            if progress and (i % 25 == 0 or i == n - 1):
                progress((i + 1) / max(1, n), tr(_CTX, "{i} van {n} werknemers").format(i=i + 1, n=n))
        return out

    # -- gap to training -----------------------------------------------------------------------
    def gap_trainings(self, match: OccupationMatch, max_exact: int = 4) -> GapPlan:
        """Smallest set of trainings covering the missing essential competences (then shortest)."""
        missing = {m.competence_id for m in match.missing_essential}
        useful = [t for t in self.trainings if missing & set(t.teaches)]
        coverable = set().union(*(set(t.teaches) for t in useful)) & missing if useful else set()
        uncovered = [m for m in match.missing_essential if m.competence_id not in coverable]
        target = coverable
        chosen: list = []
        if target:
            def weeks(ts) -> float:
                return sum(float(getattr(t, "duration_weeks_indicative", 0) or 0) for t in ts)
            best = None
            for k in range(1, max_exact + 1):
                cands = [c for c in itertools.combinations(useful, k)
                         if target <= set().union(*(set(t.teaches) for t in c))] if len(useful) <= 40 else []
                if cands:
                    best = min(cands, key=weeks)
                    break
            if best is None:      # greedy fallback for large gaps
                left, best = set(target), []
                while left:
                    t = max(useful, key=lambda t: (len(left & set(t.teaches)), -weeks([t])))
                    if not left & set(t.teaches):
                        break
                    best.append(t)
                    left -= set(t.teaches)
            chosen = sorted(best, key=lambda t: (getattr(t, "route", "") != "EVC", t.name_nl))
        total = sum(float(getattr(t, "duration_weeks_indicative", 0) or 0) for t in chosen)
        return GapPlan(chosen, total, uncovered)
