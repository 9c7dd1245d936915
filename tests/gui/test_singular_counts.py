"""Counts on screen say "1 regel", "1 werknemer", "1 beroep" ... for one, and the plural otherwise."""
import datetime as dt
from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog

from cli.cmd_demo import create_demo
from core.model import Certificate


def test_the_audit_window_counts_one_line(qtbot, db, tmp_path):
    from db.audit import AuditLog
    from gui.audit_view import AuditView
    audit = AuditLog(db, "beheer")
    audit.record("login")
    view = AuditView(audit)
    qtbot.addWidget(view)
    assert view.status.text() == "1 regel"
    out = tmp_path / "log.csv"
    assert view.export(str(out)) == 1
    assert view.status.text() == f"1 regel geschreven naar {out}"
    view.refresh()                                   # the export itself is in the audit trail too
    assert view.status.text() == "2 regels"


def test_the_import_status_line_counts_one_worker_and_one_row(window, services, monkeypatch, tmp_path):
    import gui.import_dialog
    from gui.data_menu import install_data_menu
    did, _ = create_demo(services.db, 2)
    window.refresh_dossiers(did)
    actions = install_data_menu(window)
    errors = tmp_path / "lijst.fouten.csv"

    class Done:
        def __init__(self, imported, rejected):
            self.imported_ids, self.rejected_count = imported, rejected
            self.error_file, self.error_file_problem = errors, ""

        def exec(self):
            return QDialog.DialogCode.Accepted

    for imported, rejected, expected in (
            ([7], 1, f"1 werknemer geïmporteerd. De rij die niet geïmporteerd werd, staat in {errors}."),
            ([7, 8, 9], 2, f"3 werknemers geïmporteerd. De rijen die niet geïmporteerd werden, staan in {errors}.")):
        monkeypatch.setattr(gui.import_dialog, "open_import_for_path",
                            lambda *a, d=Done(imported, rejected), **k: d)
        actions.import_list(str(tmp_path / "lijst.csv"))
        assert window.statusBar().currentMessage() == expected


def test_certificate_validity_today_tomorrow_and_later(qtbot):
    from gui.worker_sections import CertificateSection
    today = dt.date(2026, 3, 2)
    section = CertificateSection(QUndoStack(), today=lambda: today)

    def validity(days: int) -> str:
        return section.table.model.columns[3].display(Certificate(kind="vca", label="VCA basis",
                                                                  expiry_date=today + dt.timedelta(days=days)))
    assert validity(0) == "vervalt vandaag"
    assert validity(1) == "vervalt binnen 1 dag"
    assert validity(30) == "vervalt binnen 30 dagen"
    assert validity(-1) == "vervallen"


def test_a_bottleneck_list_with_one_occupation_asks_in_the_singular(qtbot, services, tmp_path):
    from db.reference_repo import ReferenceRepository
    from db.reference_store import ensure_synced
    from gui.bottleneck_import import BottleneckImportDialog
    ensure_synced(services.db)
    dlg = BottleneckImportDialog(ReferenceRepository(services.db, principal=None, audit=None))
    qtbot.addWidget(dlg)
    csv = tmp_path / "knelpuntberoepen_2026.csv"
    csv.write_text("Knelpuntberoep;Redenen\nLasser MIG/MAG;KWANT, KWAL\n", encoding="utf-8")
    assert dlg.load(str(csv))
    asked = []
    dlg.confirm = lambda title, text: asked.append(text) or False
    assert not dlg.apply()
    question = asked[0]
    assert "1 beroep wordt knelpuntberoep met de redenen van de lijst." in question
    assert "beroepen die niet op de lijst staan, worden voor 2026 geen knelpuntberoep." in question
    assert " 1 beroepen" not in question


def test_the_merge_dialog_counts_one_variant_and_one_occupation():
    from types import SimpleNamespace
    from PySide6.QtWidgets import QLabel
    from gui.data_menu import MergeDialog
    plan = SimpleNamespace(summary=lambda: "", reference={"variants": [{}], "occupations": [{}]}, conflicts=[])
    dlg = MergeDialog(plan)
    texts = " ".join(label.text() for label in dlg.findChildren(QLabel))
    assert "lokale referentiegegevens: 1 variant en 1 aangepast of eigen beroep." in texts
    dlg.deleteLater()


_NOUNS = {"werknemers": "werknemer", "regels": "regel", "rijen": "rij", "dossiers": "dossier", "beroepen": "beroep",
          "knelpuntberoepen": "knelpuntberoep", "dagen": "dag", "minuten": "minuut", "varianten": "variant",
          "competenties": "competentie", "opleidingen": "opleiding", "trajectplannen": "trajectplan", "taken": "taak",
          "contacten": "contact", "pagina's": "pagina", "conflicten": "conflict", "relaties": "relatie",
          "vaardigheden": "vaardigheid"}


def test_no_count_on_screen_is_followed_by_a_fixed_plural_or_a_plural_in_brackets():
    """A guard for new code in gui/ and cli/: a count placeholder before a plural noun ("{n} werknemers",
    "{n} afgesloten dossiers") has the text for one next to it (with "1 werknemer" or "de rij"), and
    "werknemer(s)" is not written at all."""
    import re
    root = Path(__file__).resolve().parents[2]
    counted_noun = re.compile(r"\{\w+(?::[^}]*)?\} (?:\w+ )?(" + "|".join(map(re.escape, _NOUNS)) + r")(?![\w'])")
    bad = []
    for folder in ("gui", "cli"):
        for path in sorted((root / folder).glob("*.py")):
            lines = path.read_text(encoding="utf-8").splitlines()
            for i, line in enumerate(lines):
                if re.search(r"\w\((s|en)\)", line) and re.search(r"\btr\(|translate\(", " ".join(lines[max(0, i - 2):i + 1])):
                    bad.append(f"{path.name}:{i + 1}: {line.strip()}")
                near = " ".join(lines[max(0, i - 3):i + 3])
                for m in counted_noun.finditer(line):
                    if line[:m.start()].endswith("tot "):          # a range: "{min} tot {max} competenties"
                        continue
                    # the text for one next to it: "1 werknemer", "1 afgesloten dossier", "De rij die ..."
                    if not re.search(r"(?<![\w-])" + re.escape(_NOUNS[m.group(1)]) + r"(?![\w'])", near):
                        bad.append(f"{path.name}:{i + 1}: {line.strip()}")
    assert not bad, "\n".join(bad)
