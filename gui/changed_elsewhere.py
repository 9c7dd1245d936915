"""A save refused because the record changed elsewhere since the form read it (db.errors.ChangedElsewhere):
the counsellor reloads the stored record, or keeps their input on screen to copy it first. Nothing was
written either way."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox


def _tr(text: str) -> str:
    return QCoreApplication.translate("changed_elsewhere", text)


def ask_reload(parent, message: str) -> bool:
    """True when the counsellor chooses to reload (their input on screen is dropped)."""
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("Elders gewijzigd, niet bewaard"), message, parent=parent)
    box.setInformativeText(_tr("Herladen toont wat nu bewaard is; wat je hier typte, verdwijnt dan. Kies „Invoer "
                               "laten staan” om het eerst over te nemen; bewaren blijft geweigerd tot je herlaadt."))
    reload_button = box.addButton(_tr("Herladen"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("Invoer laten staan"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reload_button)
    box.exec()
    return box.clickedButton() is reload_button
