"""The menu entry Bestand > Referentiegegevens… and the one reference-data screen per main window
(``gui.reference_view.ReferenceView``)."""
from __future__ import annotations

from gui.reference_view import ReferenceView


def open_reference_view(main_window) -> ReferenceView:
    """Show the reference screen of ``main_window`` (one instance, raised when already open)."""
    view = getattr(main_window, "_reference_view", None)
    if view is None:
        view = ReferenceView(main_window.services.db, main_window)
        view.changed.connect(lambda: main_window.statusBar().showMessage(
            view.tr("Referentiegegevens aangepast; de matching gebruikt ze vanaf nu."), 6000))
        main_window._reference_view = view
    else:
        view.reload()
    view.show()
    view.raise_()
    view.activateWindow()
    return view


def install_reference_menu(main_window) -> None:
    """Add "Referentiegegevens…" to the Bestand menu of the main window."""
    from PySide6.QtGui import QAction
    act = QAction(main_window.tr("&Referentiegegevens…"), main_window)
    act.setObjectName("act_reference")
    act.triggered.connect(lambda: open_reference_view(main_window))
    menus = getattr(main_window, "menus", {})
    menu = menus.get("file")
    if menu is None:
        menu = main_window.menuBar().addMenu(main_window.tr("&Bestand"))
    anchor = menus.get("file_extra_anchor")
    if anchor is not None:
        menu.insertAction(anchor, act)
    else:
        menu.addAction(act)
    main_window.act_reference = act
