"""Take screenshots of every page and dialog in the three languages (offscreen).

Usage: python tools/screenshots.py OUTDIR [WxH]  (writes OUTDIR/<name>-<lang>.png; the main window at
WxH, default 1200x720 — 1024x768 and 1366x768 are the tambo PCs' screens, less a title bar)
Used to look at what people see and to refresh the README's pictures.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


QUECHUA_CAMPAIGN = (
    "DNI y salud para toda la familia",
    "Llapan ayllupaq DNI, qhali kaypas",
    "RENIEC tramita el DNI y MINSA vacuna a niños y mayores. Venga con su familia.",
    "RENIEC DNI-ta ruranqa, MINSA warmakunata machukunatapas vacunanqa. Ayllukiwan hamuy.",
)


def _campaign_shots(window, shot, out: Path, lang: str) -> None:
    """The campaigns page (data, checklist, documents, oficios, radio); its documents as PNG: the demo
    campaign (Spanish and Aymara) with the Aymara pages, a Quechua one made here with the Quechua pages."""
    import pypdfium2

    from tambo_desktop.services.campaigns import CampaignForm

    page = window.campaigns_page
    window.show_page(page)
    page.refresh()
    if page.campaign_id is None:
        return
    if lang == "qu":
        demo = page.service.get(page.campaign_id)
        page.campaign_id = page.service.save(CampaignForm(
            *QUECHUA_CAMPAIGN, "qu", "stacked", ["radio", "loudspeaker", "flyers"], ["dni", "minor_dni"], None,
            [i.id for i in demo.interventions], list(demo.form().community_ids),
        ))  # fmt: skip
        page.refresh()
        page.show_campaign(page.campaign_id)
    for index, name in enumerate(("campaign-data", "campaign-tasks", "campaign-documents", "campaign-letters",
                                  "campaign-radio")):  # fmt: skip
        if index == 2 and lang in ("qu", "ay"):
            for kind, options in (("flyer", {"template": "a4"}), ("flyer", {"template": "a5"}),
                                  ("flyer", {"template": "a6"}), ("letters", None), ("radio", None)):  # fmt: skip
                pdf = page.make(kind, options, preview=False)
                suffix = f"{kind}-{options['template']}" if options else kind
                document = pypdfium2.PdfDocument(str(pdf))
                document[0].render(scale=110 / 72).to_pil().save(out / f"doc-{suffix}-{lang}.png")
                document.close()
        page.tabs.setCurrentIndex(index)
        shot(window, name, lang)
    page.tabs.setCurrentIndex(0)


def main(out: Path, size: tuple[int, int] = (1200, 720)) -> None:
    from tambo_desktop import i18n, paths

    home = Path(tempfile.mkdtemp(prefix="tambo-shots-"))
    paths.set_home(home)
    from PySide6.QtWidgets import QApplication

    from tambo_desktop.db.lifecycle import prepare
    from tambo_desktop.demo.build import DEMO_PASSWORD, create_demo
    from tambo_desktop.gui import translator
    from tambo_desktop.gui.app import create_application, open_main_window
    from tambo_desktop.gui.dialogs import CommunityDialog, LeaderDialog
    from tambo_desktop.gui.login import LoginDialog
    from tambo_desktop.gui.wizard import FirstRunWizard
    from tambo_desktop.services import accounts

    app = create_application()
    url = paths.default_database_url()
    prepare(url)
    out.mkdir(parents=True, exist_ok=True)

    def shot(widget, name: str, lang: str) -> None:
        for _ in range(3):
            app.processEvents()
        widget.grab().save(str(out / f"{name}-{lang}.png"))

    for lang in i18n.language_codes():
        translator.switch_language(lang)
        wizard = FirstRunWizard()
        wizard.show()
        shot(wizard, "wizard-welcome", lang)
        wizard.next()
        shot(wizard, "wizard-tambo", lang)
        wizard.tambo_page.validatePage()
        shot(wizard, "wizard-tambo-errors", lang)
        wizard.close()
    create_demo(size="small")
    for lang in i18n.language_codes():
        translator.switch_language(lang)
        login = LoginDialog("Tambo Jiscullaya")
        login.show()
        shot(login, "login", lang)
        login.close()
        user = accounts.authenticate("admin", DEMO_PASSWORD)
        window = open_main_window(user, url)
        translator.switch_language(lang)
        window.resize(*size)
        window.show_page(window.today_page)
        shot(window, "today", lang)
        window.show_page(window.desk_page)
        desk = window.desk_page
        desk.search.setText("41234567")
        desk._find()
        desk.new_form.first_names.setText("Juana")
        desk.new_form.last_name_1.setText("Ch'uqi")
        desk.service_edit.setText("dni")
        shot(window, "desk", lang)
        desk.clear()
        window.show_page(window.attentions_page)
        shot(window, "attentions", lang)
        window.show_page(window.persons_page)
        window.persons_page.table.selectRow(0)
        shot(window, "persons", lang)
        window.show_page(window.month_page)
        shot(window, "month", lang)
        from tambo_desktop.gui.goals_dialog import GoalsDialog

        today = __import__("datetime").date.today()
        goals = GoalsDialog(window.session, today.year, today.month, window)
        goals.show()
        shot(goals, "goals-dialog", lang)
        goals.close()
        window.show_page(window.calendar_page)
        calendar = window.calendar_page
        calendar.set_view("month")
        shot(window, "calendar-month", lang)
        calendar.set_view("week")
        busiest = max(calendar.rows, key=lambda r: r.starts_at) if calendar.rows else None
        if busiest is not None:
            calendar.anchor = busiest.starts_at.date()
            calendar.refresh()
        shot(window, "calendar-week", lang)
        calendar.set_view("list")
        shot(window, "calendar-list", lang)
        calendar.set_view("month")
        from tambo_desktop.gui.intervention_dialog import InterventionDialog
        from tambo_desktop.services.interventions import InterventionFilter, InterventionService

        listed = InterventionService(window.session).list(
            InterventionFilter(today.replace(day=1) - __import__("datetime").timedelta(days=31), today)
        )
        executed = [r for r in listed if r.status == "executed" and r.entity_code]
        if executed:
            dialog = InterventionDialog(window.session, executed[-1], parent=window)
            dialog.show()
            shot(dialog, "intervention-dialog", lang)
            dialog.tabs.setCurrentIndex(1)
            shot(dialog, "intervention-history", lang)
            dialog.close()
        window.show_page(window.plan_page)
        shot(window, "plan", lang)
        _campaign_shots(window, shot, out, lang)
        window.show_page(window.training_page)
        training = window.training_page
        for row, course in enumerate(training.courses_model.rows):
            if course.audience == "community" and course.certification and course.participants:
                training.courses_table.selectRow(row)
                break
        shot(window, "training", lang)
        from tambo_desktop.gui.training_dialogs import AttendanceDialog

        if training.course is not None:
            attendance = AttendanceDialog(
                training.service, training.course.id, training.service.sessions(training.course.id), window
            )
            attendance.show()
            shot(attendance, "attendance-dialog", lang)
            attendance.close()
        window.show_page(window.trips_page)
        shot(window, "trips", lang)
        from tambo_desktop.gui.diagnostics_dialog import DiagnosticsDialog
        from tambo_desktop.services.diagnostics import DiagnosticService

        diagnosed = DiagnosticService(window.session).list()
        if diagnosed:
            dialog = DiagnosticsDialog(window.session, diagnosed[0].community_id, diagnosed[0].community, window)
            dialog.show()
            shot(dialog, "diagnostics", lang)
            dialog.close()
        window.show_page(window.communities_page)
        window.communities_page.table.selectRow(1)
        shot(window, "communities", lang)
        page = window.communities_page
        dialog = CommunityDialog(page.service, page.current_community(), parent=window)
        dialog.show()
        shot(dialog, "community-dialog", lang)
        dialog.ui.populationEdit.setText("mil")
        dialog.ui.latitudeEdit.setText("")
        dialog._save()
        shot(dialog, "community-dialog-errors", lang)
        dialog.close()
        leader = LeaderDialog(page.service, page.current_community(), parent=window)
        leader.show()
        shot(leader, "leader-dialog", lang)
        leader.close()
        window.show_page(window.accounts_page)
        shot(window, "accounts", lang)
        if lang == "es":
            from tambo_desktop.db import backups

            backups.backup_now("manual")
        window.show_page(window.backup_page)
        shot(window, "backups", lang)
        window.show_page(window.audit_page)
        window.audit_page.table.selectRow(0)
        shot(window, "audit", lang)
        window.show_page(window.communities_page)
        window.idle_lock.lock()
        shot(window, "locked-window", lang)
        shot(window.idle_lock.dialog, "lock-dialog", lang)
        window.idle_lock.dialog.done(1)
        from PySide6.QtWidgets import QMessageBox

        from tambo_desktop.gui.about import about_text

        box = QMessageBox(QMessageBox.Icon.NoIcon, "TAMBO Desktop", about_text(), parent=window)
        box.show()
        shot(box, "about", lang)
        box.close()
        window.idle_lock.stop()
        window.close()
    QApplication.processEvents()


if __name__ == "__main__":
    width, height = (int(n) for n in (sys.argv[2] if len(sys.argv) > 2 else "1200x720").split("x"))
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"), (width, height))
