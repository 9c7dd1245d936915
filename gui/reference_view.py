"""The reference-data screen (menu Bestand > Referentiegegevens…).

Tabs to browse and search the occupations, competences and trainings of the effective reference
data (embedded + local edits), each a table that filters as you type with the details of the
chosen row beside it, and the labour-market context with the confirmed yearly bottleneck lists.

Local changes (stored by ``db.reference_repo.ReferenceRepository``, used by the matcher from then
on): a variant (synonym) for a competence; an occupation's bottleneck flag, reasons, competences,
alternative names, conditions and certificates (a local override, "Terugzetten" restores the
embedded version; the form is ``gui.occupation_editor``); an occupation of one's own ("Nieuw
beroep…", removable); a yearly bottleneck list (``gui.bottleneck_import``). Only a beheerder
(``manages_reference_data``) changes occupations and lists; others see them read-only.

The occupations, competences and trainings tabs are ``gui.filter_browser.FilterBrowser``s; the
variants box and the labour-market tab are ``gui.reference_pages``; the menu entry that opens this
screen is ``gui.reference_menu``.
"""
from __future__ import annotations

import html
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidgetItem, QMessageBox, QPushButton,
                               QTabWidget, QVBoxLayout)

from core.errors import UserError
from core.plan_text import duration_text
from db.reference_repo import ReferenceRepository
from gui.filter_browser import FilterBrowser, FilterTableModel
from gui.occupation_editor import NewOccupationDialog, OccupationEditor
from gui.reference_pages import LabourMarketPage, VariantsBox

TAB_OCCUPATIONS, TAB_COMPETENCES, TAB_TRAININGS, TAB_LABOUR = range(4)


def _esc(text: Any) -> str:
    return html.escape(str(text or ""))


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else "<p>–</p>"


class ReferenceView(QDialog):
    """Browse, search and locally adjust the reference data. ``changed`` is emitted after every
    stored change (the matcher built by ``db.reference_store.matching_service_for`` follows)."""

    changed = Signal()

    def __init__(self, db, parent=None, *, repository: ReferenceRepository | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Referentiegegevens"))
        self.resize(1180, 720)
        self.db = db
        self.repo = repository or ReferenceRepository(db)
        self.reference = None
        self.local_ids: dict[str, Any] = {}
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)

        # occupations
        self.occ_model = FilterTableModel([
            (self.tr("Beroep"), lambda o: o.name_nl),
            (self.tr("Sector"), lambda o: self._sector(o.sector)),
            (self.tr("ISCO"), lambda o: o.isco),
            (self.tr("Knelpunt"), lambda o: ", ".join(o.reasons) if o.bottleneck else self.tr("nee")),
            (self.tr("Status"), lambda o: self._local_status(o.id)),
        ], key=lambda o: " ".join([o.name_nl, o.name_fr, *o.alt_labels_nl, o.isco, o.sector, self._sector(o.sector),
                                   o.id]), parent=self)
        self.occupations = FilterBrowser(self.occ_model, self.tr("Zoek een beroep op naam, synoniem, ISCO of sector…"))
        self.occupations.table.setColumnWidth(0, 290)
        self.occupations.table.setColumnWidth(1, 150)
        self.occupations.table.setColumnWidth(2, 50)
        self.editor = OccupationEditor()
        self.editor.save_requested.connect(self.save_occupation)
        self.editor.revert_requested.connect(self.revert_occupation)
        self.editor.delete_requested.connect(self.delete_occupation)
        self.btn_new = QPushButton(self.tr("&Nieuw beroep…"))
        self.btn_new.clicked.connect(lambda: self.new_occupation())
        self.occupations.footer.addWidget(self.btn_new)
        self.occupations.side.addWidget(self.editor, 1)
        self.occupations.selected.connect(self._show_occupation)

        # competences
        self.comp_model = FilterTableModel([
            (self.tr("Competentie"), lambda c: c.label_nl),
            (self.tr("Soort"), lambda c: c.kind),
            (self.tr("Frans"), lambda c: c.label_fr),
            (self.tr("Beroepen"), lambda c: len(self._used_by.get(c.id, ()))),
        ], key=lambda c: " ".join([c.label_nl, c.label_fr, c.kind, c.id, *c.variants]), parent=self)
        self.competences = FilterBrowser(self.comp_model, self.tr("Zoek een competentie, ook op varianten of in het Frans…"))
        self.competences.table.setColumnWidth(0, 280)
        box = self.variants_box = VariantsBox()
        self.variant_input, self.btn_variant = box.input, box.btn_add
        self.local_variants, self.btn_remove_variant, self.variant_message = box.own, box.btn_remove, box.message
        self.variant_input.returnPressed.connect(self.add_variant)
        self.btn_variant.clicked.connect(self.add_variant)
        self.btn_remove_variant.clicked.connect(self.remove_variant)
        self.competences.side.addWidget(box)
        self.competences.selected.connect(self._show_competence)

        # trainings
        self.train_model = FilterTableModel([
            (self.tr("Opleiding"), lambda t: t.name_nl),
            (self.tr("Route"), lambda t: t.route),
            (self.tr("Duur (weken)"), lambda t: _num(t.duration_weeks_indicative)),
            (self.tr("Taal"), lambda t: t.language),
            (self.tr("Rooster"), lambda t: t.schedule),
        ], key=lambda t: " ".join([t.name_nl, t.name_fr, t.route, t.provider_kind, t.id]), parent=self)
        self.trainings = FilterBrowser(self.train_model, self.tr("Zoek een opleiding…"))
        self.trainings.table.setColumnWidth(0, 300)
        self.trainings.selected.connect(self._show_training)

        # labour market and bottleneck lists
        labour = self.labour = LabourMarketPage()
        self.chart, self.years, self.btn_import = labour.chart, labour.years, labour.btn_import
        self.btn_import.clicked.connect(self.import_bottlenecks)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.occupations, self.tr("&Beroepen"))
        self.tabs.addTab(self.competences, self.tr("&Competenties"))
        self.tabs.addTab(self.trainings, self.tr("&Opleidingen"))
        self.tabs.addTab(labour, self.tr("&Arbeidsmarkt"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Sluiten"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(close)
        may_edit = self.repo.may_edit
        self.editor.setProperty("may_edit", may_edit)
        self.btn_import.setEnabled(may_edit)
        self.btn_new.setEnabled(may_edit)
        if not may_edit:
            tip = self.tr("Alleen-lezen: enkel een beheerder kan beroepen en knelpuntlijsten aanpassen of "
                          "een eigen beroep toevoegen.")
            for w in (self.editor, self.btn_import, self.btn_new, self.editor.btn_save, self.editor.btn_revert,
                      self.editor.btn_delete):
                w.setToolTip(tip)
        self.reload()

    # -- data --------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.reference = self.repo.reference()
        ref = self.reference
        self.local_ids = {i.item_id: i for i in self.repo.local_items("occupation")}
        used: dict[str, list] = {}
        for o in ref.occupations:
            for oc in o.competences:
                used.setdefault(oc.competence_id, []).append((o, oc.essential))
        self._used_by = used
        self._local_variants = {}
        for cid, text in self.repo.variants():
            self._local_variants.setdefault(cid, []).append(text)
        self.editor.set_reference(ref)
        occ, comp, train = self.occupations.current(), self.competences.current(), self.trainings.current()
        self.occupations.set_rows(list(ref.occupations), keep=(lambda o: o.id == occ.id) if occ else None)
        self.competences.set_rows(list(ref.competences), keep=(lambda c: c.id == comp.id) if comp else None)
        self.trainings.set_rows(list(ref.trainings), keep=(lambda t: t.id == train.id) if train else None)
        years = self.repo.bottleneck_years()
        self.labour.set_data(ref.labour_market, years)
        self._update_status(years)

    def _update_status(self, years) -> None:
        ref = self.reference
        version = ref.file_versions.get("occupations", "?")
        b, c, o = len(ref.occupations), len(ref.competences), len(ref.trainings)
        parts = [self.tr("Referentiegegevens versie {versie}: {beroepen}, {competenties}, {opleidingen}.").format(
            versie=_esc(version),
            beroepen=self.tr("1 beroep") if b == 1 else self.tr("{n} beroepen").format(n=b),
            competenties=self.tr("1 competentie") if c == 1 else self.tr("{n} competenties").format(n=c),
            opleidingen=self.tr("1 opleiding") if o == 1 else self.tr("{n} opleidingen").format(n=o))]
        if self.local_ids:
            parts.append((self.tr("1 lokaal aangepast of eigen beroep.") if len(self.local_ids) == 1 else
                          self.tr("{n} lokaal aangepaste of eigen beroepen.")).format(n=len(self.local_ids)))
        if years:
            parts.append(self.tr("Knelpuntlijst {jaar} is van toepassing.").format(jaar=years[0].year))
        changed = [i.name for i in self.local_ids.values() if i.base_changed]
        if changed:
            parts.append("<span style='color:#a04000'>" + self.tr(
                "Een nieuwe versie van Werkbrug wijzigde beroepen die je lokaal aanpaste: {namen}. Kijk je aanpassing "
                "na of zet ze terug.").format(namen=_esc(", ".join(changed))) + "</span>")
        self.status.setText(" ".join(parts))

    def _sector(self, code: str) -> str:
        return self.reference.vocabulary.get("sectors", {}).get(code, code) if self.reference else code

    def _local_status(self, occupation_id: str) -> str:
        item = self.local_ids.get(occupation_id)
        if item is None:
            return ""
        text = self.tr("lokaal aangepast") if item.override else self.tr("eigen beroep")
        return text + (self.tr(" (basis gewijzigd)") if item.base_changed else "")

    # -- details -----------------------------------------------------------------------------------
    def _label(self, cid: str) -> str:
        return self.reference.competence_by_id(cid).label_nl if self.reference.has_competence(cid) else cid

    def _show_occupation(self, o) -> None:
        if o is None:
            self.occupations.details.clear()
            self.editor.set_occupation(None, local=False)
            return
        voc = self.reference.vocabulary
        reasons = [f"{_esc(voc.get('reasons', {}).get(r, r))} ({r})" for r in o.reasons]
        h = [f"<h3>{_esc(o.name_nl)}</h3><p><i>{_esc(o.name_fr)}</i></p>"]
        status = self._local_status(o.id)
        if status:
            h.append(f"<p><b>{_esc(status)}</b></p>")
        h.append("<table cellspacing='2'>")
        rows = [(self.tr("Sector"), _esc(self._sector(o.sector))),
                (self.tr("Knelpuntberoep"), (self.tr("ja: ") + ", ".join(reasons)) if o.bottleneck else self.tr("nee")),
                (self.tr("ISCO-08"), _esc(o.isco)), (self.tr("ROME"), _esc(o.rome)),
                (self.tr("VKS-niveau"), _esc(o.vks)), (self.tr("ESCO"), _esc(o.esco_uri)),
                (self.tr("Ook genoemd"), _esc(", ".join(o.alt_labels_nl)) or "–"),
                (self.tr("Arbeidsomstandigheden"),
                 _esc(", ".join(voc.get("conditions", {}).get(c, c) for c in o.conditions)) or "–"),
                (self.tr("Verplichte attesten"), _esc(", ".join(self._label(c) for c in o.certificates_required)) or "–"),
                (self.tr("Nuttige attesten"), _esc(", ".join(self._label(c) for c in o.certificates_useful)) or "–"),
                (self.tr("Bron"), _esc(f"{o.evidence.tag}: {o.evidence.source}"))]
        h += [f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows]
        h.append("</table>")
        h.append(f"<p><b>{self.tr('Essentiële competenties')}</b></p>")
        h.append(_ul([_esc(self._label(c.competence_id)) for c in o.competences if c.essential]))
        h.append(f"<p><b>{self.tr('Optionele competenties')}</b></p>")
        h.append(_ul([_esc(self._label(c.competence_id)) for c in o.competences if not c.essential]))
        self.occupations.details.setHtml("".join(h))
        item = self.local_ids.get(o.id)
        self.editor.set_occupation(o, local=item is not None, own=item is not None and not item.override)

    def _show_competence(self, c) -> None:
        self.variant_message.clear()
        self.local_variants.clear()
        if c is None:
            self.competences.details.clear()
            return
        own = self._local_variants.get(c.id, [])
        embedded = [v for v in c.variants if v not in own]
        h = [f"<h3>{_esc(c.label_nl)}</h3><p><i>{_esc(c.label_fr)}</i></p><table cellspacing='2'>",
             f"<tr><td><b>{self.tr('Soort')}</b></td><td>{_esc(c.kind)}</td></tr>",
             f"<tr><td><b>{self.tr('ESCO-vaardigheidsgroep')}</b></td><td>{_esc(c.esco_skill_group) or '–'}</td></tr>"]
        if c.valid_years:
            h.append(f"<tr><td><b>{self.tr('Geldig')}</b></td><td>"
                     f"{self.tr('{n} jaar').format(n=c.valid_years)}</td></tr>")
        h.append("</table>")
        h.append(f"<p><b>{self.tr('Varianten')}</b>: {_esc(', '.join(embedded))}</p>")
        if own:
            h.append(f"<p><b>{self.tr('Eigen varianten')}</b>: {_esc(', '.join(own))}</p>")
        users = self._used_by.get(c.id, [])
        used = self.tr("Gebruikt door 1 beroep") if len(users) == 1 else self.tr("Gebruikt door {n} beroepen")
        h.append(f"<p><b>{used.format(n=len(users))}</b></p>")
        h.append(_ul([_esc(o.name_nl) + (self.tr(" (essentieel)") if ess else "") for o, ess in users]))
        teaching = self.reference.trainings_teaching(c.id)
        h.append(f"<p><b>{self.tr('Opleidingen die dit aanleren')}</b></p>")
        h.append(_ul([_esc(self.tr("{naam} ({route}, ±{duur})").format(
            naam=t.name_nl, route=t.route, duur=duration_text(t.duration_weeks_indicative, "weeks")))
            for t in teaching]))
        self.competences.details.setHtml("".join(h))
        for text in own:
            QListWidgetItem(text, self.local_variants)

    def _show_training(self, t) -> None:
        if t is None:
            self.trainings.details.clear()
            return
        routes = self.reference.vocabulary.get("routes", {})
        h = [f"<h3>{_esc(t.name_nl)}</h3><p><i>{_esc(t.name_fr)}</i></p><table cellspacing='2'>"]
        rows = [(self.tr("Route"), f"{_esc(routes.get(t.route, t.route))} ({_esc(t.route)})"),
                (self.tr("Aanbieder"), _esc(t.provider_kind)),
                (self.tr("Duur"), self.tr("±{duur} (indicatief)").format(
                    duur=duration_text(t.duration_weeks_indicative, "weeks"))),
                (self.tr("Taal"), _esc(t.language)), (self.tr("Rooster"), _esc(t.schedule)),
                (self.tr("Voorwaarden"), _esc(t.prerequisites_note) or "–")]
        h += [f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows]
        h.append("</table>")
        h.append(f"<p><b>{self.tr('Leert aan')}</b></p>")
        h.append(_ul([_esc(self._label(c)) for c in t.teaches]))
        if t.prerequisites:
            h.append(f"<p><b>{self.tr('Vooraf verwacht')}</b></p>")
            h.append(_ul([_esc(self._label(c)) for c in t.prerequisites]))
        self.trainings.details.setHtml("".join(h))

    # -- local changes -----------------------------------------------------------------------------
    def _confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def _changed(self) -> None:
        self.reload()
        self.changed.emit()

    def save_occupation(self, occupation) -> bool:
        try:
            self.repo.save_occupation(occupation)
        except UserError as e:
            self.editor.message.setText(str(e))
            return False
        self._changed()
        self.editor.message.setText(self.tr("Bewaard. De matching gebruikt deze versie van het beroep vanaf nu."))
        return True

    def revert_occupation(self, occupation_id: str) -> bool:
        if not self.confirm(self.tr("Terugzetten"), self.tr("De lokale aanpassing van dit beroep wordt verwijderd en de "
                                                            "versie van Werkbrug geldt opnieuw. Doorgaan?")):
            return False
        try:
            done = self.repo.revert_occupation(occupation_id)
        except UserError as e:
            self.editor.message.setText(str(e))
            return False
        self._changed()
        if done:
            self.editor.message.setText(self.tr("Teruggezet naar de versie van Werkbrug."))
        return done

    def new_occupation(self) -> NewOccupationDialog:
        """Open the form of a new occupation of one's own (not modal). Returns the dialog."""
        dlg = NewOccupationDialog(self.reference, self.create_occupation, parent=self)
        dlg.open()
        return dlg

    def create_occupation(self, occupation) -> str | None:
        """Store ``occupation`` as one's own and select it. None when stored, else the message."""
        try:
            stored = self.repo.add_occupation(occupation)
        except UserError as e:
            return str(e)
        self.tabs.setCurrentIndex(TAB_OCCUPATIONS)
        self.occupations.search.clear()
        self._changed()
        self.occupations.select_row(self.occupations.model.row_of(lambda o: o.id == stored.id))
        self.editor.message.setText(self.tr("Eigen beroep '{naam}' bewaard. De matching gebruikt het vanaf nu.").format(
            naam=stored.name_nl))
        return None

    def delete_occupation(self, occupation_id: str) -> bool:
        item = self.local_ids.get(occupation_id)
        if item is None or item.override:
            return False
        if not self.confirm(self.tr("Eigen beroep verwijderen"),
                            self.tr("Het eigen beroep '{naam}' wordt verwijderd en niet meer gebruikt bij het "
                                    "matchen. Doorgaan?").format(naam=item.name)):
            return False
        try:
            done = self.repo.delete_occupation(occupation_id)
        except UserError as e:
            self.editor.message.setText(str(e))
            return False
        self._changed()
        self.editor.message.setText(self.tr("Eigen beroep '{naam}' verwijderd.").format(naam=item.name)
                                    if done else "")
        return done

    def add_variant(self) -> bool:
        c = self.competences.current()
        text = self.variant_input.text().strip()
        if c is None or not text:
            return False
        try:
            added = self.repo.add_variant(c.id, text)
        except UserError as e:
            self.variant_message.setText(str(e))
            return False
        self.variant_input.clear()
        if added:
            self._changed()
        self.variant_message.setText(self.tr("Variant '{tekst}' toegevoegd: de matching herkent ze vanaf nu.").format(
            tekst=text) if added else self.tr("Deze competentie kent '{tekst}' al.").format(tekst=text))
        return added

    def remove_variant(self) -> bool:
        c, item = self.competences.current(), self.local_variants.currentItem()
        if c is None or item is None:
            return False
        if self.repo.remove_variant(c.id, item.text()):
            self._changed()
            return True
        return False

    def import_bottlenecks(self, path: str | None = None):
        """Open the import dialog (asks for a file when ``path`` is None). Returns the dialog."""
        from gui.bottleneck_import import BottleneckImportDialog
        dlg = BottleneckImportDialog(self.repo, parent=self)
        dlg.applied.connect(lambda _year: self._changed())
        if path is None:
            if not dlg.choose_file():
                return None
        else:
            dlg.load(path)
        dlg.open()
        return dlg
