"""Deterministic synthetic demo data: a closure with N workers that look like a real industrial cell.

Mix after the domain notes: mostly blue-collar (about 9 in 10 arbeiders), ages 20-64 with many
over 45, mostly low- and middle-educated, industrial job titles and competences as counsellors
type them. Names are random combinations; INSZ numbers have valid check digits.
"""
from __future__ import annotations

import datetime as dt
import random

from core.model import (Certificate, CompetenceSource, Contact, Dossier, DossierStatus, EducationGroup, Experience,
                        LanguageSkill, Mobility, Preferences, Sex, Statute, Worker, WorkerCompetence, WorkerStatus)

FIRST_M = ["Jan", "Peter", "Marc", "Luc", "Dirk", "Kurt", "Tom", "Bart", "Koen", "Geert", "Wim", "Stijn", "Jens",
           "Kevin", "Mohamed", "Ahmed", "Youssef", "Patrick", "Filip", "Johan", "Rudi", "Erik", "Sven", "Pieter",
           "Thomas", "Nick", "Yannick", "Glenn", "Mehmet", "Ali", "Dimitri", "Wouter", "Frank", "Danny", "Ronny"]
FIRST_V = ["An", "Els", "Katrien", "Sofie", "Inge", "Veerle", "Nathalie", "Sarah", "Lien", "Fatima", "Leen",
           "Kristel", "Sandra", "Hilde", "Griet", "Nadia", "Ilse", "Marleen", "Lotte", "Ayse", "Zoë", "Anaïs"]
SURNAMES = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
            "De Smet", "Dubois", "Lambert", "Hermans", "Aerts", "Vermeulen", "Van den Broeck", "Michiels",
            "Verhoeven", "Smets", "Segers", "Coppens", "Van Damme", "Pauwels", "Vandenberghe", "De Clercq",
            "Stevens", "Leclercq", "Cools", "Hendrickx", "Van Hecke", "Baert", "Verstraete", "Yilmaz", "El Amrani",
            "Kaya", "Nowak", "Vanderstraeten", "D'Hondt", "Gülen", "Lefèvre", "Çelik", "Beeckman", "Verbeke"]
MUNICIPALITIES = [("2500", "Lier"), ("2220", "Heist-op-den-Berg"), ("2800", "Mechelen"), ("2222", "Itegem"),
                  ("2560", "Nijlen"), ("2580", "Putte"), ("3600", "Genk"), ("3500", "Hasselt"), ("3530", "Houthalen"),
                  ("2000", "Antwerpen"), ("2160", "Wommelgem"), ("1190", "Vorst"), ("1500", "Halle"),
                  ("3000", "Leuven"), ("9000", "Gent"), ("2840", "Rumst"), ("2550", "Kontich")]
STREETS = ["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat", "Schoolstraat",
           "Kapelstraat", "Beekstraat", "Veldstraat", "Lindelei", "Industrieweg", "Boomsesteenweg"]

# (previous job title as the employer writes it, competences as typed, weight)
JOBS = [
    ("Lasser", ["MIG/MAG lassen", "plannen lezen", "slijpen", "hoeknaden", "lasnaden controleren"], 12),
    ("Lasser-monteerder", ["MAG lassen", "staalconstructie monteren", "rolbrug", "meten en aftekenen"], 8),
    ("Productieoperator", ["machine bedienen", "ploegenwerk", "kwaliteitscontrole", "5S", "heftruck"], 16),
    ("Bandwerker", ["montage aan de band", "werken in takt", "elektrische schroevendraaier", "kwaliteitscontrole"], 14),
    ("Assemblagemedewerker", ["monteren volgens werkinstructies", "elektrisch gereedschap", "kwaliteitscontrole"], 12),
    ("Magazijnier", ["heftruck", "orderpicken", "scanner", "WMS", "laden en lossen"], 8),
    ("Heftruckchauffeur", ["heftruckattest", "reachtruck", "laden en lossen", "stapelen"], 5),
    ("Onderhoudstechnicus", ["storingsdiagnose", "pneumatica", "hydraulica", "BA4", "mechanische herstellingen"], 6),
    ("Elektricien", ["schema's lezen", "BA5", "borden bekabelen", "frequentieregelaars"], 4),
    ("CNC-operator", ["CNC draaien", "Heidenhain", "meetinstrumenten", "technische tekening lezen"], 4),
    ("Spuiter", ["spuiten", "stralen", "laagdiktemeting", "verf mengen"], 3),
    ("Ploegleider", ["ploeg aansturen", "planning", "veiligheid", "KPI opvolgen"], 3),
    ("Kwaliteitscontroleur", ["meetinstrumenten", "meetrapport", "ISO 9001", "visuele controle"], 3),
    ("Administratief bediende", ["Excel", "SAP", "facturatie", "klantencontact"], 4),
    ("Vrachtwagenchauffeur", ["rijbewijs CE", "code 95", "tachograaf", "lading zekeren"], 2),
    ("Polyestermedewerker", ["lamineren", "polyester", "schuren", "mallen voorbereiden"], 2),
]
DIPLOMAS = [("lager onderwijs", EducationGroup.LAAG, 1, 6), ("2de graad BSO", EducationGroup.LAAG, 2, 18),
            ("getuigschrift 6de jaar BSO", EducationGroup.MIDDEN, 3, 25), ("diploma 7de jaar BSO", EducationGroup.MIDDEN, 4, 10),
            ("diploma TSO", EducationGroup.MIDDEN, 4, 22), ("diploma ASO", EducationGroup.MIDDEN, 4, 5),
            ("graduaat", EducationGroup.HOOG, 5, 6), ("professionele bachelor", EducationGroup.HOOG, 6, 6),
            ("buitenlands diploma, niet erkend", EducationGroup.ANDERE, None, 2)]
CERTS = [("vca-basis", "B-VCA", 10), ("attest-heftruck", "Heftruckattest", 5), ("ba4", "BA4", None),
         ("lasattest-iso-9606-1", "Lasattest ISO 9606-1", 3), ("code-95", "Code 95", 5)]


def insz_for(birth: dt.date, counter: int) -> str:
    """A valid national register number for a birth date and day counter (odd = man)."""
    base = f"{birth:%y%m%d}{counter:03d}"
    n = int(base) + (2_000_000_000 if birth.year >= 2000 else 0)
    return base + f"{97 - n % 97:02d}"


def _weighted(rng: random.Random, items, weight_index: int):
    return rng.choices(items, weights=[it[weight_index] for it in items], k=1)[0]


def demo_dossier(announcement: dt.date = dt.date(2024, 4, 8)) -> Dossier:
    return Dossier(company_name="Demo Carrosseriebouw NV", kbo_number="0403.170.701", joint_committee="111",
                   site_address="Bernard Van Hoolstraat 58, 2500 Lier", announcement_date=announcement,
                   first_dismissal_date=announcement + dt.timedelta(days=40),
                   last_dismissal_date=announcement + dt.timedelta(days=120),
                   cell_start_date=announcement + dt.timedelta(days=35),
                   outplacement_bureau="Demo Outplacement bv", status=DossierStatus.ACTIEF)


def demo_workers(n: int, dossier: Dossier, seed: int = 2024) -> list[Worker]:
    rng = random.Random(seed)
    ann = dossier.announcement_date or dt.date(2024, 4, 8)
    used: set[str] = set()
    workers: list[Worker] = []
    for i in range(n):
        # age at announcement 20-64, many over 45
        age = rng.choice([rng.randint(20, 44), rng.randint(45, 64), rng.randint(45, 64), rng.randint(30, 50)])
        birth = dt.date(ann.year - age, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        sex = Sex.M if rng.random() < 0.82 else Sex.V
        while True:
            counter = rng.randrange(1 if sex is Sex.M else 2, 998, 2)
            insz = insz_for(birth, counter)
            if insz not in used:
                used.add(insz)
                break
        first = rng.choice(FIRST_M if sex is Sex.M else FIRST_V)
        title, comps, _ = _weighted(rng, JOBS, 2)
        statute = Statute.BEDIENDE if title in ("Administratief bediende", "Kwaliteitscontroleur") or rng.random() < 0.04 \
            else Statute.ARBEIDER
        diploma, group, vks, _ = _weighted(rng, DIPLOMAS, 3)
        pc, town = rng.choice(MUNICIPALITIES)
        seniority = birth + dt.timedelta(days=365 * rng.randint(18, max(18, age - 1)))
        seniority = min(seniority, ann - dt.timedelta(days=rng.randint(100, 2000)))
        dismissal = (dossier.first_dismissal_date or ann) + dt.timedelta(days=rng.randint(0, 80))
        chosen = rng.sample(comps, k=rng.randint(2, len(comps)))
        w = Worker(
            surname=rng.choice(SURNAMES), first_names=first, insz=insz, birth_date=birth, sex=sex,
            street=f"{rng.choice(STREETS)} {rng.randint(1, 180)}", postcode=pc, municipality=town,
            phone=f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            email=f"{first.lower()}.{i}@voorbeeld.be".replace("ë", "e").replace("ï", "i"),
            preferred_language="fr" if rng.random() < 0.08 else "nl", statute=statute,
            seniority_start=seniority, dismissal_date=dismissal,
            shift_regime=rng.choice(["dag", "2-ploegen", "2-ploegen", "3-ploegen"]),
            highest_diploma=diploma, education_group=group, vks_level=vks,
            status=rng.choice([WorkerStatus.INTAKE, WorkerStatus.IN_BEGELEIDING, WorkerStatus.IN_BEGELEIDING,
                               WorkerStatus.IN_OPLEIDING, WorkerStatus.AAN_HET_WERK]),
            previous_job_title=title, dossier_id=dossier.id,
            experiences=[Experience(employer=dossier.company_name, job_title=title, start_date=seniority,
                                    end_date=dismissal, shift_regime="2-ploegen")],
            competences=[WorkerCompetence(text=c, source=CompetenceSource.ZELFINSCHATTING, level=rng.randint(2, 4))
                         for c in chosen],
            languages=[LanguageSkill("nl", "C2", "C2", "B2", "B1")] +
                      ([LanguageSkill("fr", "B1", "A2", "A2", "A1")] if rng.random() < 0.4 else []),
            mobility=Mobility(driving_licences=["B"] + (["C", "CE"] if title == "Vrachtwagenchauffeur" else []),
                              own_car=rng.random() < 0.8, max_commute_minutes=rng.choice([30, 45, 45, 60])),
            preferences=Preferences(accepts_nights=rng.random() < 0.5, accepts_shifts=rng.random() < 0.8),
        )
        for kind, label, years in CERTS:
            if rng.random() < 0.25:
                got = ann - dt.timedelta(days=rng.randint(30, 3000))
                w.certificates.append(Certificate(kind=kind, label=label, date_obtained=got,
                                                  expiry_date=(got + dt.timedelta(days=365 * years)) if years else None))
        workers.append(w)
    return workers


def demo_contacts(worker: Worker, rng: random.Random) -> list[Contact]:
    start = worker.dismissal_date or dt.date(2024, 5, 20)
    out = [Contact(date=start + dt.timedelta(days=7), kind="intake", hours=2.0, note="Intakegesprek")]
    for k in range(rng.randint(0, 4)):
        out.append(Contact(date=start + dt.timedelta(days=14 + 14 * k), kind="gesprek",
                           hours=rng.choice([1.0, 1.5, 2.0, 3.0]), note="Opvolggesprek"))
    return out
