"""Domain types of Werkbrug, in plain Python.

Vocabulary used in names (Flemish terms without a good English equivalent):
- tewerkstellingscel (TWC): employment cell set up after a collective dismissal; a Dossier is one.
- INSZ: Belgian social-security identification number (national register or BIS number).
- KBO: Belgian enterprise number (Kruispuntbank van Ondernemingen).
- paritair comité (PC): joint committee (sector) of the employer.
- knelpuntberoep: bottleneck occupation (hard-to-fill vacancies).
- VKS: Flemish qualification structure level (1-8, equal to EQF).
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import Enum


def new_uid() -> str:
    """Stable identifier of a record across computers (used by transfer files)."""
    return uuid.uuid4().hex


class DossierStatus(str, Enum):
    VOORBEREIDING = "voorbereiding"
    ACTIEF = "actief"
    AFGESLOTEN = "afgesloten"


class WorkerStatus(str, Enum):
    INTAKE = "intake"
    IN_BEGELEIDING = "in begeleiding"
    IN_OPLEIDING = "in opleiding"
    AAN_HET_WERK = "aan het werk"
    SWT = "SWT"
    ZIEK = "ziek"
    UITGESTROOMD = "uitgestroomd"


class Statute(str, Enum):
    ARBEIDER = "arbeider"
    BEDIENDE = "bediende"
    # Not known (not on the employer's list, not chosen at the intake): never counted as either.
    ONBEKEND = "onbekend"


class Sex(str, Enum):
    M = "M"
    V = "V"
    X = "X"


class EducationGroup(str, Enum):
    LAAG = "laag"
    MIDDEN = "midden"
    HOOG = "hoog"
    ANDERE = "andere"


class CompetenceSource(str, Enum):
    ZELFINSCHATTING = "zelfinschatting"
    CONSULENT = "consulent"
    TEST = "test"
    ATTEST = "attest"


LANGUAGES = ("nl", "fr", "de", "en")
SHIFT_REGIMES = ("dag", "2-ploegen", "3-ploegen", "nacht", "weekend", "continu")
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
CONTACT_KINDS = ("intake", "gesprek", "telefoon", "e-mail", "infosessie", "opleiding", "jobbeurs", "andere")
LIMITATION_KINDS = ("tillen", "lang staan", "nachtwerk", "werken op hoogte", "lawaai", "koude", "ploegenwerk",
                    "rijden", "andere")


@dataclass
class Dossier:
    company_name: str
    kbo_number: str = ""
    joint_committee: str = ""
    site_address: str = ""
    announcement_date: dt.date | None = None
    first_dismissal_date: dt.date | None = None
    last_dismissal_date: dt.date | None = None
    cell_start_date: dt.date | None = None
    outplacement_bureau: str = ""
    status: DossierStatus = DossierStatus.ACTIEF
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    modified: str = ""


@dataclass
class Experience:
    employer: str = ""
    job_title: str = ""
    esco_uri: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    shift_regime: str = ""
    tasks: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass
class WorkerCompetence:
    text: str
    competence_id: str = ""          # normalised competence of the vocabulary, "" when not recognised
    confidence: float = 0.0
    source: CompetenceSource = CompetenceSource.CONSULENT
    level: int = 2                   # 1..4
    evidence: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass
class Certificate:
    kind: str                         # competence id of kind "attest" or free text
    label: str = ""
    date_obtained: dt.date | None = None
    expiry_date: dt.date | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)

    def is_expired(self, today: dt.date) -> bool:
        return self.expiry_date is not None and self.expiry_date < today


@dataclass
class LanguageSkill:
    language: str
    listening: str = ""
    speaking: str = ""
    reading: str = ""
    writing: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass
class Mobility:
    driving_licences: list[str] = field(default_factory=list)
    own_car: bool = False
    public_transport: bool = False
    bicycle: bool = False
    max_commute_minutes: int | None = None


@dataclass
class Preferences:
    desired_occupations: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    region: str = ""
    accepts_shifts: bool = True
    accepts_nights: bool = True
    accepts_weekends: bool = True
    willing_to_train: bool = True
    notes: str = ""


@dataclass
class FunctionalLimitation:
    """Health-related limit: special-category data (GDPR art. 9), stored apart."""
    kind: str
    note: str = ""
    printable: bool = False
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass
class Contact:
    date: dt.date
    kind: str = "gesprek"
    hours: float = 0.0
    note: str = ""
    counsellor: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass
class Worker:
    surname: str
    first_names: str
    insz: str = ""
    birth_date: dt.date | None = None
    sex: Sex | None = None
    street: str = ""
    postcode: str = ""
    municipality: str = ""
    phone: str = ""
    email: str = ""
    preferred_language: str = "nl"
    statute: Statute = Statute.ONBEKEND
    seniority_start: dt.date | None = None
    dismissal_date: dt.date | None = None
    shift_regime: str = ""
    highest_diploma: str = ""
    education_group: EducationGroup | None = None
    vks_level: int | None = None
    status: WorkerStatus = WorkerStatus.INTAKE
    previous_job_title: str = ""
    previous_job_esco_uri: str = ""  # the ESCO occupation picked for the title ('' = none)
    counsellor: str = ""
    dossier_id: int | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    modified: str = ""
    experiences: list[Experience] = field(default_factory=list)
    competences: list[WorkerCompetence] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    languages: list[LanguageSkill] = field(default_factory=list)
    mobility: Mobility = field(default_factory=Mobility)
    preferences: Preferences = field(default_factory=Preferences)
    limitations: list[FunctionalLimitation] = field(default_factory=list)
    # what the repository read (the worker and its records); a save is refused when the stored one differs
    read_version: str = field(default="", repr=False, compare=False)

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.surname}".strip()


@dataclass(frozen=True)
class WorkerSummary:
    """One row of the workers table (kept small: tables hold tens of thousands)."""
    id: int
    dossier_id: int
    surname: str
    first_names: str
    insz: str
    status: str
    previous_job_title: str
    municipality: str
    best_occupation: str = ""
    best_score: float | None = None


@dataclass(frozen=True)
class DossierSummary:
    id: int
    company_name: str
    kbo_number: str
    status: str
    worker_count: int


class PlanStatus(str, Enum):
    CONCEPT = "concept"
    AFGEDRUKT = "afgedrukt"            # printed, waiting for signatures: frozen
    ONDERTEKEND = "ondertekend"        # signed: frozen


ACTION_KINDS = ("opleiding", "IBO", "werkplekleren", "EVC", "attest halen", "sollicitatietraining", "jobbeurs",
                "coaching", "andere")
ACTION_STATUSES = ("gepland", "lopend", "afgerond", "geannuleerd")


@dataclass
class PlanTarget:
    """A target occupation (jobdoelwit) of the plan with the gap found by the matcher."""
    occupation_id: str
    name: str
    reasons: list[str] = field(default_factory=list)        # KWANT / KWAL / ARB
    score: float | None = None                              # 0..1
    matched: list[str] = field(default_factory=list)        # competence labels
    missing_essential: list[str] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)
    isco: str = ""


@dataclass
class PlanAction:
    description: str
    kind: str = "opleiding"
    provider: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    duration: str = ""                                       # free text when there are no dates ("8 weken")
    responsible: str = ""
    status: str = "gepland"
    training_id: str = ""
    competences: list[str] = field(default_factory=list)
    uid: str = field(default_factory=new_uid)


@dataclass
class TrajectoryPlan:
    """Individueel trajectplan: one version of a worker's plan. Printed versions never change."""
    worker_id: int
    version: int = 1
    status: PlanStatus = PlanStatus.CONCEPT
    counsellor: str = ""
    targets: list[PlanTarget] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    agreements: str = ""
    followups: list[dt.date] = field(default_factory=list)
    print_limitations: bool = False
    created: str = ""
    printed_at: str = ""
    signed_at: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    modified: str = ""

    @property
    def frozen(self) -> bool:
        return self.status is not PlanStatus.CONCEPT
