"""The job-title matcher the application uses: ESCO occupations (when imported) plus the
embedded bottleneck occupations, with the prepared index cached in the database."""
from __future__ import annotations

import hashlib
from typing import Callable, Protocol

from core.titles import STATE_VERSION, LabelKind, OccupationRecord, TitleMatcher


class TitleStore(Protocol):
    def occupation_records(self, langs: list[str] | None = None) -> list[OccupationRecord]: ...
    def version(self) -> str: ...
    def cached_state(self, name: str, source_version: str) -> dict | None: ...
    def store_state(self, name: str, source_version: str, state: dict) -> None: ...


def embedded_records(reference) -> list[OccupationRecord]:
    """Embedded occupations as title records, keyed by their ESCO URI (or their own id without one)."""
    out = []
    for o in reference.occupations:
        labels = [(o.name_nl, LabelKind.PREFERRED)] + [(a, LabelKind.ALTERNATIVE) for a in o.alt_labels_nl]
        if getattr(o, "name_fr", ""):
            labels.append((o.name_fr, LabelKind.HIDDEN))
        out.append(OccupationRecord(o.esco_uri or o.id, o.isco, tuple(labels)))
    return out


def merge_records(esco: list[OccupationRecord], extra: list[OccupationRecord]) -> list[OccupationRecord]:
    """ESCO records with the embedded labels added to the same URI, as labels of the kind
    ``reference`` (a hidden label stays hidden): the ranker knows them apart from the taxonomy's own
    labels, since a short Flemish name attached to one ESCO occupation (``lasser``) also reads
    like many others.

    With an imported taxonomy, only occupations of that taxonomy are returned (an embedded
    occupation whose URI is not in it adds nothing); without one, the embedded records stand alone.
    """
    if not esco:
        return list(extra)
    by_key = {r.key: r for r in esco}
    for r in extra:
        base = by_key.get(r.key)
        if base is None:
            continue
        else:
            added = tuple((t, k if k == LabelKind.HIDDEN else LabelKind.REFERENCE) for t, k in r.labels)
            by_key[r.key] = OccupationRecord(base.key, base.isco or r.isco, base.labels + added, base.description)
    return list(by_key.values())


def load_title_matcher(store: TitleStore, reference=None, progress: Callable[[float, str], None] | None = None
                       ) -> TitleMatcher:
    """The matcher from the cache when its sources did not change; otherwise built and cached."""
    ref_version = getattr(reference, "version", "none") if reference is not None else "none"
    source = hashlib.sha256(f"{STATE_VERSION}|{store.version()}|{ref_version}".encode()).hexdigest()[:20]
    state = store.cached_state("titles", source)
    if state is not None:
        try:
            return TitleMatcher.from_state(state)
        except (ValueError, KeyError, TypeError, IndexError):
            pass   # a stale or damaged cache is rebuilt
    if progress:
        progress(0.1, "index opbouwen")
    records = store.occupation_records()
    if reference is not None:
        records = merge_records(records, embedded_records(reference))
    matcher = TitleMatcher(records)
    try:
        store.store_state("titles", source, matcher.export_state())
    except Exception:  # noqa: BLE001 - a read-only situation must not stop matching
        pass
    return matcher
