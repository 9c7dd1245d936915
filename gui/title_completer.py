"""Job-title suggestions while typing: ESCO occupations (when imported) plus the embedded ones.

``TitleSource`` holds the one title matcher of the window (``services.extra["titles"]``); it is
loaded off the GUI thread on a connection of its own, bound to the signed-in principal. Until it
is ready the fields work as plain text fields. ``TitleCompleter`` attaches to a QLineEdit: after a
short pause in typing a popup lists the best occupations; the typed text is only replaced when the
counsellor picks an entry (Escape keeps it), and the picked occupation's URI is remembered until
the text is edited by hand again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

log = logging.getLogger("werkbrug.gui.titles")

DEBOUNCE_MS = 150
TOP = 8
URI_ROLE = Qt.ItemDataRole.UserRole + 1
LABEL_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass
class TitleIndex:
    matcher: object                 # core.titles.TitleMatcher
    preferred: dict[str, str]       # occupation key -> its preferred label


def _index(matcher, dutch: dict[str, str] | None = None) -> TitleIndex:
    """``dutch``: the Dutch preferred label per occupation key, before any other language's."""
    from core.titles import LabelKind
    preferred: dict[str, str] = dict(dutch or {})
    for oi, kind, text in zip(matcher.l_occ, matcher.l_kind, matcher.l_text):
        key = matcher.occ_keys[oi]
        if kind == LabelKind.PREFERRED and key not in preferred:
            preferred[key] = text
    return TitleIndex(matcher, preferred)


def build_title_index(db) -> TitleIndex:
    from core.title_service import load_title_matcher
    from db.esco import EscoRepository
    from db.reference_store import effective_reference
    esco, reference = EscoRepository(db), effective_reference(db)
    dutch = {o.esco_uri or o.id: o.name_nl for o in reference.occupations if o.name_nl}
    dutch.update(esco.preferred_labels("nl"))
    return _index(load_title_matcher(esco, reference), dutch)


def load_title_index(db_path, principal, progress=None, is_cancelled=None) -> TitleIndex:
    """The title index on a connection of its own (runs off the GUI thread)."""
    from db.accounts import bind
    from db.connection import open_database
    db = open_database(db_path, migrate_schema=False)
    try:
        bind(db, principal, None)
        return build_title_index(db)
    finally:
        db.conn.close()


class TitleSource(QObject):
    """The window's one title matcher, loaded in the background; ``ready`` when it can be queried."""
    ready = Signal()

    def __init__(self, services, tasks=None, parent: QObject | None = None):
        super().__init__(parent)
        self.services, self.tasks = services, tasks
        self.index: TitleIndex | None = None
        self._loading = False

    def ensure_loaded(self) -> None:
        if self.index is not None or self._loading:
            return
        self._loading = True
        if self.tasks is not None and self.services.db_path is not None:
            from db.accounts import bound_principal
            self.tasks.start("titles", load_title_index, self.services.db_path, bound_principal(self.services.db),
                             on_done=self._loaded, on_error=self._failed)
        else:
            try:
                self._loaded(build_title_index(self.services.db))
            except Exception as e:  # noqa: BLE001 - suggestions are optional; the field stays plain text
                self._failed(str(e))

    def invalidate(self) -> None:
        """Forget the matcher (after an ESCO import) and load it again."""
        self.index = None
        self._loading = False
        self.ensure_loaded()

    def _loaded(self, index: TitleIndex) -> None:
        self._loading = False
        self.index = index
        self.ready.emit()

    def _failed(self, message: str) -> None:
        self._loading = False
        log.warning("job-title suggestions unavailable: %s", message)

    def suggestions(self, text: str) -> list[tuple[object, str]]:
        """(match, preferred label) of the best occupations for ``text``; [] while not loaded."""
        if self.index is None or not text.strip():
            return []
        return [(m, self.index.preferred.get(m.uri, m.label)) for m in self.index.matcher.query(text, TOP)]

    def preferred_label(self, uri: str) -> str:
        return self.index.preferred.get(uri, "") if self.index is not None else ""


def title_source(services, tasks=None) -> TitleSource:
    """The window's shared title source (made on first use)."""
    source = services.extra.get("titles")
    if source is None:
        source = services.extra["titles"] = TitleSource(services, tasks)
    elif source.tasks is None and tasks is not None:
        source.tasks = tasks
    return source


class TitleCompleter(QObject):
    """Suggestions under a QLineEdit; ``uri`` is the occupation picked for the text ('' = none)."""
    picked = Signal(str, str)       # label, uri
    uri_changed = Signal(str)

    def __init__(self, edit: QLineEdit, source: TitleSource, parent: QObject | None = None):
        super().__init__(parent or edit)
        self.edit, self.source = edit, source
        self.uri = ""
        self.model = QStandardItemModel(self)
        # attached with setWidget (not QLineEdit.setCompleter): the line edit's text is never
        # replaced while the counsellor moves through the list, only when an entry is picked
        self.completer = QCompleter(self.model, self)
        self.completer.setWidget(edit)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(TOP)
        self.completer.activated[QModelIndex].connect(self._activated)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)
        edit.textEdited.connect(self._edited)
        source.ensure_loaded()

    def set_uri(self, uri: str) -> None:
        self.uri = uri or ""
        label = self.source.preferred_label(self.uri) if self.uri else ""
        self.edit.setToolTip(self.tr("ESCO: {beroep}").format(beroep=label or self.uri) if self.uri else "")
        self.uri_changed.emit(self.uri)

    def _edited(self, _text: str) -> None:
        if self.uri:
            self.set_uri("")            # the text no longer is the picked occupation's
        self.timer.start()

    def refresh(self) -> None:
        """Show the suggestions for the current text (hidden when there are none)."""
        text = self.edit.text()
        self.model.clear()
        for m, preferred in self.source.suggestions(text):
            shown = m.label if preferred == m.label else self.tr("{label} (ESCO: {voorkeur})").format(
                label=m.label, voorkeur=preferred)
            if m.isco:
                shown = self.tr("{titel}   · ISCO {isco}").format(titel=shown, isco=m.isco)
            item = QStandardItem(shown)
            item.setData(m.uri, URI_ROLE)
            item.setData(m.label, LABEL_ROLE)
            item.setToolTip(preferred)
            self.model.appendRow(item)
        if self.model.rowCount() == 0 or not self.edit.hasFocus():
            self.completer.popup().hide()
            return
        rect = QRect(self.edit.rect())
        rect.setWidth(max(rect.width(), 360))
        self.completer.complete(rect)
        self.completer.popup().setCurrentIndex(self.completer.completionModel().index(-1, -1))

    def pick(self, row: int) -> None:
        item = self.model.item(row)
        if item is None:
            return
        label, uri = item.data(LABEL_ROLE), item.data(URI_ROLE)
        self.timer.stop()
        self.completer.popup().hide()
        self.edit.setText(label)
        self.set_uri(uri)
        self.picked.emit(label, uri)

    def _activated(self, index: QModelIndex) -> None:
        self.pick(index.row())       # QCompleter reports the row of the source model
