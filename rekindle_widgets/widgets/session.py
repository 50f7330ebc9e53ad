"""The therapist's session page: choose a client, see where they are, run a session, save it, make a report.

Each client's data lives in their own journal in the practice folder
(:mod:`rekindle_widgets.model.practice`); the page opens one client's journal at a
time and rebuilds every panel when another client is chosen, so nothing of one
client is ever shown, kept or saved with another.

Driven without a browser::

    page = SessionPage(practice="/path/to/practice")
    page.alias.value = "J.K."; page.add_button.click()
    page.client_choice.value = page.practice.list()[0].id
    page.note_fields["subjective"].value = "Slept better this week."
    page.goal_rows[0].text.value = "Sleep before midnight"; page.goal_rows[0].rating.value = 6
    page.save_button.click()
    page.report_button.click(); page.report_link.value   # <a download=... href="data:text/html;base64,...">
"""

from __future__ import annotations

import html
import os
from datetime import date
from typing import Any

import ipywidgets as w

from ..content import guide
from ..errors import RekindleError
from ..journal import MAX_GOALS, NOTE_TEMPLATES, Journal, Session
from ..model.practice import Client, Practice
from .base import Screen, data_link, figure_html, labelled, message
from .corrections import UndoButton
from .style import Page

__all__ = ["SessionPage"]

#: Questionnaires offered in a session, by instrument id (the stage checklists are on the Stages page).
GIVEN_IN_SESSION = ("who5", "phq9", "gad7", "ruler", "checkup", "safety")
MINUTES = (10, 15, 20, 25, 30, 40, 45, 50, 55, 60, 75, 90, 120)
_NOT_RATED = ("rate 0-10", None)
_SECTION_HINTS = {
    "subjective": "What the client says: their words, how the week went",
    "objective": "What you observe: presentation, affect, behaviour",
    "assessment": "Your view: progress, stage, concerns",
    "plan": "Next steps, homework, the next session",
    "data": "What the client says and what you observe",
}
_LABEL = "120px"  # the width of a form field's label


def _change_html(responses: Any) -> str:
    """"Change since the first score" on the session page: the report's own section (one summary, one
    escaping path: :func:`rekindle_widgets.report.sections_html`), or nothing without two scores."""
    from ..report import change_sections, sections_html

    return sections_html(change_sections(responses))


class GoalRow(w.HBox):
    """One goal: its text and a 0-10 rating (a dropdown), with the last rating shown beside it."""

    def __init__(self, number: int, text: str = "", last: int | None = None):
        self.text = labelled(w.Text(value=text, description=f"Goal {number}", placeholder="in the client's words",
                                    layout=w.Layout(width="460px")), "70px")
        self.rating = w.Dropdown(options=[_NOT_RATED] + [(str(n), n) for n in range(11)], index=0,
                                 description="Rating (0-10)", tooltip="Progress on this goal today: 0 none, 10 done",
                                 style={"description_width": "initial"}, layout=w.Layout(width="190px"))
        hint = f"last time: {last}" if last is not None else ("new goal" if not text else "")
        self.hint = w.HTML(f'<span class="rk-muted">{html.escape(hint)}</span>')
        super().__init__([self.text, self.rating, self.hint], layout=w.Layout(align_items="center"))


class SessionPage(Page):
    """A session with one client of the practice, from the agenda to the report.

    ``practice`` is a :class:`~rekindle_widgets.model.practice.Practice`, a folder,
    or None (``$REKINDLE_PRACTICE`` or the default practice folder).
    ``journal`` is ignored: this page works on the chosen client's own journal
    (it is accepted so the app can build every page the same way).
    """

    def __init__(self, journal: Journal | str | None = None, *, region: str | None = None,
                 practice: Practice | str | os.PathLike[str] | None = None, **kwargs: Any):
        self.region = region
        self.client: Client | None = None
        self.journal: Journal | None = None  # the chosen client's journal, open while they are chosen
        self.given: list[str] = []  # questionnaires given in this session
        self.questionnaire: Any = None
        self.status = w.HTML()
        try:
            self.practice: Practice | None = practice if isinstance(practice, Practice) else Practice(practice)
        except RekindleError as exc:
            self.practice = None
            self.status.value = message("error", str(exc))

        self.alias = labelled(w.Text(description="Client alias", placeholder="initials or a nickname, not a name",
                                     tooltip="How you will recognise the client: an alias, never a legal name"),
                              "100px")
        self.add_button = w.Button(description="Add client", icon="user-plus", tooltip="Add a client to the practice")
        self.add_status = w.HTML()
        self.client_choice = labelled(w.Dropdown(description="Client", options=[], value=None,
                                                 tooltip="The client this session is with",
                                                 layout=w.Layout(width="420px")), "100px")
        self.add_button.on_click(lambda _b: self.add_client())
        self.refresh_clients()
        self.client_choice.observe(lambda change: self.choose(change["new"]), names="value")

        self.client_box = w.VBox()
        self.overview_toggle = w.ToggleButton(description="Practice overview", icon="table",
                                              layout=w.Layout(width="auto"),
                                              tooltip="Every client's latest scores, change, what is due and alerts")
        self.overview_box = w.VBox()
        self.overview_toggle.observe(lambda change: self.show_overview(change["new"]), names="value")
        self.empty_hint = w.HTML('<p class="rk-muted">Choose a client to see their journal and start a '
                                 "session, or add a new client above.</p>")
        where = (f'<p class="rk-muted">Practice folder: {html.escape(str(self.practice.path))} '
                 "(one private folder and journal per client).</p>") if self.practice else ""
        super().__init__([
            w.HTML("<h2>Therapist: a session with a client</h2>"
                   '<p class="rk-prose-wide">Each client\'s journal, sessions and reports are kept apart, '
                   "in their own folder. Use an alias (initials or a nickname), not a legal name.</p>" + where),
            w.HBox([self.alias, self.add_button], layout=w.Layout(flex_flow="row wrap", align_items="center")),
            self.add_status, w.HBox([self.overview_toggle]), self.overview_box,
            self.client_choice, self.status, self.empty_hint, self.client_box,
        ], **kwargs)
        self.add_class("rk-session-page")

    # -- the practice ----------------------------------------------------------

    def show_overview(self, shown: bool = True) -> None:
        """Show (or hide) the practice overview (:mod:`.overview`), read afresh each time it is shown."""
        from .overview import PracticeOverviewPage

        self.overview_box.children = [PracticeOverviewPage(self.practice)] if shown and self.practice else []

    def refresh_clients(self) -> None:
        """List the practice's clients in the dropdown as "alias (id)", keeping the choice."""
        if self.practice is None:
            return
        try:
            clients = self.practice.list()
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        chosen = self.client_choice.value
        self.client_choice.options = [(f"{c.alias} ({c.id})", c.id) for c in clients]
        self.client_choice.value = chosen if chosen in {c.id for c in clients} else None

    def add_client(self) -> Client | None:
        """Add a client with the alias typed in; says which id they got."""
        if self.practice is None:
            return None
        try:
            client = self.practice.add(self.alias.value)
        except RekindleError as exc:
            self.add_status.value = message("error", str(exc))
            return None
        self.alias.value = ""
        self.refresh_clients()
        self.add_status.value = message("ok", f"Added client {client.id} ({client.alias}). "
                                              "Choose them under Client to start a session.")
        return client

    def choose(self, client_id: str | None) -> None:
        """Show ``client_id``'s journal and a fresh session form (None: no client)."""
        if self.journal is not None:
            self.journal.close()
        self.client = self.journal = self.questionnaire = None
        self.given = []
        self.client_box.children = []
        self.status.value = ""
        if client_id is None or self.practice is None:
            self.empty_hint.layout.display = ""
            return
        if self.client_choice.value != client_id:
            if client_id not in {value for _, value in self.client_choice.options}:
                self.refresh_clients()
                self.status.value = message("error", f"no client {client_id!r} in the practice; "
                                                     "choose one from the list")
                return
            self.client_choice.value = client_id  # observing the dropdown calls choose() again
            return
        try:
            client = self.practice.get(client_id)
            journal = client.open_journal(create=False)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.client, self.journal = client, journal
        self.empty_hint.layout.display = "none"
        self.add_status.value = ""  # "Added client ..." may name someone else
        self._build(client, journal)

    # -- the chosen client --------------------------------------------------------

    def _build(self, client: Client, journal: Journal) -> None:
        from .plan import TherapistPlanPanel

        self.safety_box = w.VBox()
        self.alerts_box = w.HTML()
        self.plan_panel = TherapistPlanPanel(self.practice, client, journal, on_change=self.refresh)
        self.overview = w.HTML()
        self.charts = w.HTML()
        self.agenda = w.HTML()

        from ..content.instruments import instrument

        self.instrument_choice = labelled(w.Dropdown(
            options=[(instrument(i).title, i) for i in GIVEN_IN_SESSION], value=GIVEN_IN_SESSION[0],
            description="Questionnaire",
            tooltip="A questionnaire to fill in together; it is saved as given in the session"), "100px")
        self.give_button = w.Button(description="Give in session", icon="clipboard",
                                    tooltip="Open the questionnaire; the answers are marked as given in session")
        self.given_html = w.HTML()
        self.questionnaire_box = w.VBox()
        self.give_button.on_click(lambda _b: self.give(self.instrument_choice.value))

        self.template = w.ToggleButtons(options=[("SOAP", "soap"), ("DAP", "dap")], value="soap",
                                        description="Notes template", tooltips=[
                                            "Subjective, Objective, Assessment, Plan", "Data, Assessment, Plan"],
                                        style={"description_width": _LABEL, "button_width": "70px"})
        self.note_fields: dict[str, w.Textarea] = {}
        self._drafts: dict[str, str] = {}
        self.notes_box = w.VBox()
        self.template.observe(lambda _c: self._show_template(), names="value")
        self._show_template()

        stages = guide().stages
        current = journal.current_stage()
        self.day = labelled(w.DatePicker(description="Session date", value=date.today()), _LABEL)
        self.minutes = labelled(w.Dropdown(options=[("not recorded", None)] + [(str(m), m) for m in MINUTES],
                                           index=1 + MINUTES.index(50), description="Minutes"), _LABEL)
        stage_options = [("none", None)] + [(s.title, s.number) for s in stages]
        self.stage = labelled(w.Dropdown(options=stage_options, index=current or 0, description="Stage discussed",
                                         layout=w.Layout(width="420px")), _LABEL)
        self.homework = labelled(w.Textarea(description="Homework", placeholder="What the client will try before "
                                            "the next session", layout=w.Layout(width="90%", max_width="760px",
                                                                                height="60px")), _LABEL)
        self.goal_rows: list[GoalRow] = []
        self.goals_box = w.VBox()
        self.add_goal_button = w.Button(description="Add goal", icon="plus", tooltip="Track another goal")
        self.add_goal_button.on_click(lambda _b: self.add_goal())
        self.save_button = w.Button(description="Save session", button_style="primary", icon="check",
                                    tooltip="Save this session to the client's journal")
        self.save_status = w.HTML()
        self.save_button.on_click(lambda _b: self.save())
        self.editing: int | None = None  # the session the form is correcting, if any
        self.cancel_edit = w.Button(description="Cancel edit", icon="times", layout=w.Layout(display="none"))
        self.cancel_edit.on_click(lambda _b: self._stop_editing())
        self.undo = UndoButton(journal, self.save_status, lambda _change: self._after_change())
        self.saved_sessions = w.VBox(layout=w.Layout(max_width="900px"))

        self.anonymise = w.Checkbox(value=False, description="Anonymise", indent=False,
                                    layout=w.Layout(width="auto", margin="0 16px 0 0"),
                                    tooltip="Name the client by id only; leave out notes, homework, goal wording, "
                                            "tags and free-text answers")
        self.report_button = w.Button(description="Make report", icon="file-text",
                                      tooltip="An HTML report of this client: charts, questionnaires, sessions")
        self.report_link = w.HTML()
        self.report_button.on_click(lambda _b: self.make_report())
        self.forward_html = w.HTML()  # the client's decisions and moving-forward tools (issue 17)

        def h(text: str) -> w.HTML:
            return w.HTML(f'<h3 class="rk-h-part">{html.escape(text)}</h3>')

        self.client_box.children = [
            self.safety_box, self.alerts_box,  # the safety services first, then the other alerts
            h(f"Where {client.alias} is"), self.overview, self.charts,
            h("Decisions and moving forward"), self.forward_html,
            h("Between sessions: questionnaires"), self.plan_panel,
            h("Agenda"), self.agenda,
            h("A questionnaire in the session"),
            w.HBox([self.instrument_choice, self.give_button], layout=w.Layout(flex_flow="row wrap")),
            self.given_html, self.questionnaire_box,
            h("Session notes"), self.template, self.notes_box,
            h("Session details"), self.day, self.minutes, self.stage, self.homework,
            h("Goals"), w.HTML('<p class="rk-muted">Rate each goal from 0 (no progress) to 10 (reached). '
                               "Goals carry over from the last session; clear a goal's text to drop it.</p>"),
            self.goals_box, self.add_goal_button,
            h("Save"), w.HBox([self.save_button, self.cancel_edit, self.undo], layout=w.Layout(flex_flow="row wrap")),
            self.save_status,
            h("Sessions saved"), self.saved_sessions,
            h("Report"), w.HBox([self.anonymise, self.report_button], layout=w.Layout(align_items="center")),
            self.report_link,
        ]
        self._fill_goals(journal)
        self.refresh()
        self.list_sessions()

    def refresh(self) -> None:
        """Redraw what the journal says: safety flags, stage, latest scores, charts, agenda (no client: nothing)."""
        from .. import charts
        from ..model.scorer import safety_flags_ever
        from ..model.sessions import agenda, latest_scores
        from .safety import SafetyPanel

        client, journal = self.client, self.journal
        if client is None or journal is None:  # no client chosen: the client's panels are not shown
            return
        marks = safety_flags_ever(journal)
        if marks:
            kinds = tuple(dict.fromkeys(m.kind for m in reversed(marks)))
            rows = "".join(f"<li>{html.escape(m.at[:10])}: {html.escape(m.label)} "
                           f"({html.escape(self._title(m.instrument))})</li>" for m in reversed(marks[-10:]))
            more = f"<li>and {len(marks) - 10} earlier</li>" if len(marks) > 10 else ""
            times = "once" if len(marks) == 1 else f"{len(marks)} times"
            self.safety_box.children = [
                w.HTML(f'<div class="rk-client-flags"><h3 class="rk-h rk-danger">'
                       f"Safety flags raised by this client</h3><p>Their answers raised a safety flag {times}. "
                       "Rekindle never scores danger; talk it through and share the services below.</p>"
                       f"<ul>{rows}{more}</ul></div>"),
                SafetyPanel(region=self.region, kinds=kinds),
            ]
        else:
            self.safety_box.children = [w.HTML('<p class="rk-muted">No safety flag has been raised in this '
                                               "client's answers.</p>")]

        from ..model.alerts import alerts
        from .plan import alerts_html

        self.alerts_box.value = alerts_html(alerts(journal))
        self.plan_panel.refresh()

        stage, prompts = agenda(journal)
        changes = journal.stage_changes()
        data = journal.entries()
        where = (f"<p>Stage <b>{stage}: {html.escape(guide().stage(stage).name)}</b> since "
                 f"{changes[-1].since.isoformat()}.</p>" if stage else "<p>No stage recorded yet.</p>")
        if len(data):
            where += f'<p class="rk-muted">Journal: {html.escape(journal.summary())}.</p>'
        else:
            where += (f'<p class="rk-muted">No journal entries yet. The client can keep their mood log in their '
                      "own copy of Rekindle and bring it here with 'rekindle import FILE --client "
                      f"{html.escape(client.id)}'.</p>")
        sessions = journal.sessions()
        if sessions:
            last = sessions[-1]
            where += (f'<p class="rk-muted">{len(sessions)} session{"s" if len(sessions) != 1 else ""} so far; '
                      f"the last on {last.day.isoformat()}"
                      + (f", homework set: <bdi>{html.escape(last.homework)}</bdi>" if last.homework else "") + ".</p>")
        scores = latest_scores(journal)
        listed = "".join(f"<li>{html.escape(s.text)}</li>" for s in scores)
        where += (f'<p class="rk-lead"><b>Latest scores</b></p><ul>{listed}</ul>'
                  if scores else '<p class="rk-muted">No questionnaire scores yet.</p>')
        where += _change_html(journal.responses())
        where += _together_overview(journal)
        self.overview.value = where

        with Screen.charts():  # a therapist's phone or tablet: the charts are drawn for its width
            parts = []
            if len(data):
                from ..model.watch import journal_flags

                flags = journal_flags(journal, history=True)
                moments = journal.timeline_moments()
                fig = charts.timeline(data, stages=changes, flags=flags, moments=moments).figure
                alt = charts.describe(data, changes, kind="timeline", moments=moments)
                alt += " " + charts.describe_flags(flags) if flags else ""
                parts.append(figure_html(fig, alt))
            responses = journal.responses()
            if not charts.scorable(responses).empty:  # the scores chart: bands, reliable-change margin, changes
                fig = charts.figure("scores", data, responses=responses)
                parts.append(figure_html(fig, charts.describe(data, changes, kind="scores", responses=responses)))
            progress = journal.goal_progress()
            if len(progress):
                parts.append(figure_html(charts.goals(progress).figure, charts.describe_goals(progress)))
        self.charts.value = "".join(f'<div class="rk-chart-box">{p}</div>' for p in parts)
        from .forward import forward_summary_html

        self.forward_html.value = forward_summary_html(journal)

        name = guide().stage(stage or 1).title
        lead = f"From stage {html.escape(name)}" + ("" if stage else " (no stage recorded yet)")
        items = "".join(f"<li>{html.escape(p)}</li>" for p in prompts)
        self.agenda.value = f'<p>{lead}:</p><ol class="rk-agenda rk-prose-wide">{items}</ol>'

    @staticmethod
    def _title(instrument_id: str) -> str:
        from ..content.instruments import find

        return getattr(find(instrument_id), "title", instrument_id)

    # -- the session form -----------------------------------------------------------

    def _show_template(self) -> None:
        for section, field in self.note_fields.items():
            self._drafts[section] = field.value
        self.note_fields = {}
        for section in NOTE_TEMPLATES[self.template.value]:
            self.note_fields[section] = labelled(w.Textarea(
                value=self._drafts.get(section, ""), description=section.capitalize(),
                placeholder=_SECTION_HINTS.get(section, ""),
                layout=w.Layout(width="90%", max_width="760px", height="80px")), _LABEL)
        self.notes_box.children = list(self.note_fields.values())
        hidden = [s for s, text in self._drafts.items() if text.strip() and s not in self.note_fields]
        if hidden:
            self.notes_box.children += (w.HTML(message(
                "warn", f"Text in {', '.join(s.capitalize() for s in hidden)} is kept for when you switch back, "
                        f"but only the {self.template.value.upper()} sections are saved.")),)

    def _fill_goals(self, journal: Journal) -> None:
        from ..model.sessions import last_goals

        self.goal_rows = [GoalRow(i, g.text, g.rating) for i, g in enumerate(last_goals(journal), start=1)]
        if not self.goal_rows:
            self.goal_rows = [GoalRow(1)]
        self.goals_box.children = self.goal_rows

    def add_goal(self) -> GoalRow | None:
        if len(self.goal_rows) >= MAX_GOALS:
            self.save_status.value = message("error", f"A session tracks at most {MAX_GOALS} goals.")
            return None
        row = GoalRow(len(self.goal_rows) + 1)
        self.goal_rows.append(row)
        self.goals_box.children = self.goal_rows
        return row

    def goals(self) -> list[tuple[str, int]]:
        """The goals to save: each with text and a rating; a mistake raises a one-line RekindleError."""
        out = []
        for n, row in enumerate(self.goal_rows, start=1):
            text = row.text.value.strip()
            if text and row.rating.value is None:
                raise RekindleError(f"goal {n} ({text[:40]!r}) has no rating: rate it from 0 to 10, "
                                    "or clear its text to leave it out")
            if not text and row.rating.value is not None:
                raise RekindleError(f"goal {n} has a rating but no text: write the goal, or set it to "
                                    "'rate 0-10' to leave it out")
            if text:
                out.append((text, row.rating.value))
        return out

    def session(self) -> Session:
        """The session as filled in, checked (a mistake raises a one-line RekindleError)."""
        return Session.make(day=self.day.value, minutes=self.minutes.value, stage=self.stage.value,
                            instruments=self.given, template=self.template.value,
                            notes={k: f.value for k, f in self.note_fields.items()}, homework=self.homework.value,
                            goals=self.goals())

    def save(self) -> int | None:
        """Save the session to the client's journal; on a mistake, say what and change nothing."""
        if self.journal is None or self.client is None:
            self.status.value = message("error", "Choose a client first.")
            return None
        if self.day.value is None:
            self.save_status.value = message("error", "Give the session date.")
            return None
        if self.editing is not None:
            return self._save_edit()
        try:
            session = self.session()
            before = len(self.journal.sessions())
            session_id = self.journal.add_session(session)
        except RekindleError as exc:
            self.save_status.value = message("error", str(exc))
            return None
        if len(self.journal.sessions()) == before:
            self.save_status.value = message("info", f"This session was already saved (session {session_id}); "
                                                     "nothing was added.")
            return session_id
        self.save_status.value = message(
            "ok", f"Saved session {session_id} on {session.day.isoformat()} for {self.client.alias} "
                  f"({self.client.id}): {len(session.goals)} goal{'s' if len(session.goals) != 1 else ''} rated.")
        for field in self.note_fields.values():
            field.value = ""
        self._drafts = {}
        self.homework.value = ""
        self.given = []
        self.given_html.value = ""
        self.questionnaire_box.children = []
        self._fill_goals(self.journal)
        self._after_change()
        return session_id

    # -- correcting a saved session ---------------------------------------------------

    def _after_change(self) -> None:
        self.refresh()
        self.list_sessions()
        self.undo.show()

    def list_sessions(self) -> None:
        """The client's saved sessions, newest first, each with Edit."""
        rows = []
        if self.journal is None:
            return
        for session in reversed(self.journal.sessions()):
            text = f"<b>{session.day.isoformat()}</b> · {session.template.upper()}"
            if session.minutes:
                text += f" · {session.minutes} minutes"
            first = next((t for t in session.notes.values() if t.strip()), "")
            if first:
                text += f" · <bdi>{html.escape(first if len(first) <= 80 else first[:77] + '...')}</bdi>"
            edit = w.Button(description="Edit", icon="pencil", layout=w.Layout(width="auto"),
                            tooltip=f"Correct the session of {session.day.isoformat()}")
            edit.on_click(lambda _b, s=session: self.start_editing(s))
            rows.append(w.HBox([w.HTML(text, layout=w.Layout(flex="1 1 300px")), edit],
                               layout=w.Layout(flex_flow="row wrap", align_items="center")))
        self.saved_sessions.children = rows or [w.HTML('<p class="rk-muted">No sessions saved yet.</p>')]

    def start_editing(self, session: Session) -> None:
        """Fill the form with a saved session; Save then corrects it (the old version is kept)."""
        self.template.value = session.template
        self.note_fields, self._drafts = {}, dict(session.notes)  # the form shows the saved text, not drafts
        self._show_template()
        self.day.value = session.day
        self.minutes.value = session.minutes if session.minutes in MINUTES else None
        self.stage.value = session.stage
        self.homework.value = session.homework
        self.goal_rows = [GoalRow(i, g.text) for i, g in enumerate(session.goals, start=1)] or [GoalRow(1)]
        for row, goal in zip(self.goal_rows, session.goals, strict=False):
            row.rating.value = goal.rating
        self.goals_box.children = self.goal_rows
        self.editing = session.id
        self.save_button.description = "Save changes"
        self.cancel_edit.layout.display = None
        self.save_status.value = message("info", f"Editing the session of {session.day.isoformat()}: change it above "
                                                 "and save.")

    def _stop_editing(self, status: str = "") -> None:
        self.editing = None
        for field in self.note_fields.values():
            field.value = ""
        self._drafts = {}
        self.homework.value = ""
        self.day.value = date.today()
        if self.journal is not None:
            self._fill_goals(self.journal)
        self.save_button.description = "Save session"
        self.cancel_edit.layout.display = "none"
        self.save_status.value = status

    def _save_edit(self) -> int | None:
        session_id = self.editing
        if self.journal is None or session_id is None:
            return None
        try:
            changed = self.journal.edit_session(
                session_id, day=self.day.value, minutes=self.minutes.value, stage=self.stage.value,
                template=self.template.value, notes={k: f.value for k, f in self.note_fields.items()},
                homework=self.homework.value, goals=self.goals())
        except RekindleError as exc:
            self.save_status.value = message("error", str(exc))
            return None
        self._stop_editing(message("ok", f"Changed session {session_id}." if changed
                                   else f"Session {session_id} already says that; nothing changed."))
        self._after_change()
        return session_id

    # -- questionnaires and the report -----------------------------------------------

    def give(self, instrument_id: str) -> Any:
        """Open a questionnaire to fill in together; its response is saved as given in the session."""
        from .questionnaire import Questionnaire

        if self.journal is None:
            self.status.value = message("error", "Choose a client first.")
            return None
        self.questionnaire = Questionnaire(instrument_id, self.journal, context="session", region=self.region,
                                           history=False, on_result=self._given)
        self.questionnaire_box.children = [self.questionnaire]
        return self.questionnaire

    def _given(self, result: Any) -> None:
        if result.instrument.id not in self.given:
            self.given.append(result.instrument.id)
        titles = ", ".join(self._title(i) for i in self.given)
        self.given_html.value = f'<p class="rk-muted">Given in this session (saved with it): {html.escape(titles)}</p>'
        self.refresh()

    def make_report(self) -> str:
        """Build the client's HTML report and offer it as a download link; returns the link's HTML."""
        from ..report import build_session_report, render_html

        if self.journal is None or self.client is None:
            self.status.value = message("error", "Choose a client first.")
            return ""
        self.report_link.value = message("info", "Making the report…")
        try:
            report = build_session_report(self.journal, client=self.client, anonymise=self.anonymise.value,
                                          region=self.region)
        except RekindleError as exc:
            self.report_link.value = message("error", str(exc))
            return ""
        kind = "anonymised-report" if self.anonymise.value else "report"
        name = f"rekindle-{self.client.id}-{kind}-{date.today().isoformat()}.html"
        link = data_link(render_html(report).encode("utf-8"), name, "text/html",
                         f"Download the {'anonymised ' if self.anonymise.value else ''}report ({name})")
        self.report_link.value = (f"<p>{link}</p><p class=\"rk-muted\">Open it in a browser to read or print it "
                                  "(print to PDF for a PDF). It holds this client's data only.</p>")
        return self.report_link.value


def _together_overview(journal: Any) -> str:
    """The client's agreements and weekly check-ins in a few lines, with the red flags the watch raises now."""
    from ..model.watch import raised

    agreements, checkins = journal.agreements(), journal.checkins()
    if not agreements and not checkins:
        return ""
    active = sum(1 for a in agreements if a.ended is None)
    text = (f'<p class="rk-lead"><b>Agreements and check-ins</b></p><p class="rk-muted rk-after-lead">'
            f"{len(agreements)} agreement{'s' if len(agreements) != 1 else ''} ({active} in force), "
            f"{len(checkins)} weekly check-in{'s' if len(checkins) != 1 else ''}"
            + (f", the last on {checkins[-1].day.isoformat()}" if checkins else "") + ".</p>")
    flags = raised(agreements, checkins)
    if not flags:
        return text + '<p class="rk-muted">The red-flag watch raises nothing in the last three check-ins.</p>'
    items = "".join(f"<li><b>{html.escape(f.title)}</b>: <bdi>{html.escape(f.says)}</bdi></li>" for f in flags)
    return (text + f'<p class="rk-client-watch rk-lead rk-danger"><b>Red flags the '
            f'watch raises now</b></p><ul>{items}</ul>')
