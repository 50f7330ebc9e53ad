"""Carry the journal away and back: an encrypted backup, CSV for spreadsheets, JSON to move it whole.

The encrypted backup is the whole journal as an age file (see
:mod:`rekindle_widgets.io.backup`), offered as a data-URI link (nothing is written
on the server), and restored or merged from an upload with the same
passphrase. On a public session (Binder) it comes first and is the one
recommended: the file in the Downloads folder is unreadable without the
passphrase.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ipywidgets as w

from ..bidi import isolated
from ..errors import RekindleError
from ..io.backup import MIN_PASSPHRASE, backup_bytes, kind_of, restore
from ..io.export import export_csv, export_json
from ..journal import Journal
from ..paths import public_session
from .base import as_journal, data_link, message
from .style import Page


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n >= 1024 else f"{n} bytes"


class DownloadPanel(Page):
    """Download links (data URIs, nothing on disk) and the upload that restores an encrypted backup.

    Public attributes: ``passphrase`` and ``confirm`` (Password), ``encrypted_button``,
    ``csv_button``, ``json_button``, ``age_link`` and ``link`` (HTML: the encrypted and the plain
    download link, or an error),
    ``upload`` (FileUpload), ``restore_button``, ``status`` (HTML: what a restore did).
    ``on_restored`` is called after a restore changed the journal (the Start page
    refreshes its summary).
    """

    def __init__(self, journal: Journal | str | None = None, *, public: bool | None = None,
                 on_restored: Callable[[], None] | None = None, **kwargs):
        self.journal = as_journal(journal)
        self.public = public_session() if public is None else public
        self.on_restored = on_restored
        self.passphrase = w.Password(description="Passphrase", placeholder=f"at least {MIN_PASSPHRASE} characters",
                                     tooltip="Encrypts the backup; you need it again to restore the backup",
                                     style={"description_width": "90px"}, layout=w.Layout(width="min(100%, 360px)"))
        self.confirm = w.Password(description="Again", placeholder="the same passphrase, to encrypt",
                                  tooltip="Type the passphrase a second time (only for a new backup)",
                                  style={"description_width": "90px"}, layout=w.Layout(width="min(100%, 360px)"))
        self.encrypted_button = w.Button(description="Prepare encrypted backup (.age)", icon="lock",
                                         button_style="primary" if self.public else "",
                                         tooltip="The whole journal, encrypted with your passphrase (age format)",
                                         layout=w.Layout(width="auto"))
        self.csv_button = w.Button(description="Prepare CSV download", icon="download",
                                   tooltip="Your entries as a spreadsheet file (not encrypted)",
                                   layout=w.Layout(width="auto"))
        self.json_button = w.Button(description="Prepare full backup (JSON)", icon="download",
                                    tooltip="Entries, stages and questionnaire answers: everything (not encrypted)",
                                    layout=w.Layout(width="auto"))
        self.link = w.HTML()
        self.age_link = w.HTML()
        self.upload = w.FileUpload(description="Choose backup", multiple=False, accept=".age,.sqlite",
                                   tooltip="An encrypted backup (.age) or a plain one (.sqlite) made by Rekindle",
                                   layout=w.Layout(width="auto"))
        self.restore_button = w.Button(description="Restore or merge backup", icon="upload",
                                       tooltip="Into an empty journal it is restored whole; into one with entries "
                                               "it is merged, adding only what is missing",
                                       layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.encrypted_button.on_click(lambda _: self.prepare("age"))
        self.csv_button.on_click(lambda _: self.prepare("csv"))
        self.json_button.on_click(lambda _: self.prepare("json"))
        self.restore_button.on_click(lambda _: self.restore())

        note = ("This is a public session: take your journal away as an encrypted backup. Without the passphrase "
                "the file is unreadable, in your Downloads folder too; upload it in your next session to carry on."
                if self.public else
                "An encrypted backup keeps the whole journal unreadable without your passphrase; it also opens "
                "with the age tool (age -d).")
        encrypted = w.VBox([w.HTML("<h4>Encrypted backup</h4>"), w.HTML(message("info", note)),
                            self.passphrase, self.confirm, w.HBox([self.encrypted_button]), self.age_link])
        plain = w.VBox([w.HTML("<h4>Not encrypted</h4>"), w.HBox([self.csv_button, self.json_button],
                                                                 layout=w.Layout(flex_flow="row wrap")), self.link])
        bring = w.VBox([w.HTML("<h4>Bring a backup back</h4>"), w.HBox([self.upload, self.restore_button],
                                                                       layout=w.Layout(flex_flow="row wrap")),
                        self.status])
        sections = [encrypted, plain] if self.public else [plain, encrypted]
        super().__init__([*sections, bring], **kwargs)

    def prepare(self, fmt: str) -> None:
        """Make the download link for ``fmt``: ``age`` (encrypted backup, in ``age_link``), ``csv`` or ``json``."""
        today = date.today().isoformat()
        link = self.age_link if fmt == "age" else self.link
        try:
            if fmt == "age":
                if self.passphrase.value != self.confirm.value:
                    raise RekindleError("the two passphrases differ; type the same one in both fields")
                link.value = message("info", "Encrypting the backup (this takes a few seconds)…")
                self.encrypted_button.disabled = True
                try:
                    data = backup_bytes(self.journal, self.passphrase.value)
                finally:
                    self.encrypted_button.disabled = False
                name, mime = f"rekindle-journal-{today}.age", "application/octet-stream"
            else:
                text = (export_json if fmt == "json" else export_csv)(self.journal)
                data = text.encode("utf-8")
                name = f"rekindle-journal-{today}.{fmt}"
                mime = "application/json" if fmt == "json" else "text/csv"
        except RekindleError as exc:
            link.value = message("error", str(exc))
            return
        if fmt == "age":
            self.passphrase.value = self.confirm.value = ""
        link.value = data_link(data, name, mime, f"Save {name} ({_size(len(data))})")

    def restore(self) -> None:
        """Restore (into an empty journal) or merge the uploaded backup; a wrong passphrase changes nothing."""
        if not self.upload.value:
            self.status.value = message("error", "Choose a backup file first (a .age or .sqlite file from Rekindle).")
            return
        upload = self.upload.value[0]
        name, data = isolated(str(upload["name"])), bytes(upload["content"])
        try:
            if kind_of(data) == "age" and not self.passphrase.value:
                raise RekindleError(f"{name} is encrypted: type its passphrase above, then press restore again")
            self.status.value = message("info", f"Checking {name}…")
            self.restore_button.disabled = True
            try:
                result = restore(self.journal, data, name, self.passphrase.value or None)
            finally:
                self.restore_button.disabled = False
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.passphrase.value = self.confirm.value = ""
        self.upload.value = ()
        what = ("Restored the whole backup" if result.mode == "replaced" else
                f"Merged the backup: {result.imported}")
        self.status.value = message("ok", f"{what}. The journal now holds {result.summary}.")
        if self.on_restored is not None:
            self.on_restored()


class ReportPanel(w.VBox):
    """The person's own report, to keep or to bring to someone they trust: a web page or a PDF, made when asked.

    In the person's voice ("My journal", "I entered everything here myself"); the therapist's report is on
    the Therapist page. Offered as a data-URI link like the backups: nothing is written on the server.
    """

    def __init__(self, journal: Journal | str | None = None, **kwargs):
        self.journal = as_journal(journal)
        self.html_button = w.Button(description="Prepare my report (web page)", icon="file-text-o",
                                    tooltip="Your entries, charts and questionnaire scores on one page",
                                    layout=w.Layout(width="auto"))
        self.pdf_button = w.Button(description="Prepare my report (PDF)", icon="file-pdf-o",
                                   tooltip="The same report as a PDF, to print or to bring along",
                                   layout=w.Layout(width="auto"))
        self.link = w.HTML()
        self.html_button.on_click(lambda _: self.prepare("html"))
        self.pdf_button.on_click(lambda _: self.prepare("pdf"))
        super().__init__([w.HBox([self.html_button, self.pdf_button], layout=w.Layout(flex_flow="row wrap")),
                          self.link], **kwargs)
        self.add_class("rk-report-panel")

    def prepare(self, fmt: str) -> None:
        """Make the report as ``html`` or ``pdf`` and offer it as a download link (or say what went wrong)."""
        from ..report.files import html_report, pdf_report

        options = {"title": "My journal", "source": "I entered everything here myself. "}
        self.link.value = message("info", "Preparing your report (a few seconds)…")
        for button in (self.html_button, self.pdf_button):
            button.disabled = True
        try:
            if fmt == "pdf":
                data, mime = pdf_report(self.journal, **options), "application/pdf"
            else:
                data, mime = html_report(self.journal, **options).encode("utf-8"), "text/html"
        except RekindleError as exc:
            self.link.value = message("error", str(exc))
            return
        finally:
            for button in (self.html_button, self.pdf_button):
                button.disabled = False
        name = f"my-journal-report-{date.today().isoformat()}.{fmt}"
        self.link.value = data_link(data, name, mime, f"Save {name} ({_size(len(data))})")

