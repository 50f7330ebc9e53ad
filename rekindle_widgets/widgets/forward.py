"""Moving forward: the page for stages 4-7.

The guide's three tips for moving forward, each as a tool: the "I feel ...
when you ..." builder (:class:`StatementBuilder`), the micro-date planner
(:class:`DatePlanner`) and keep it fresh (:class:`FreshIdeas`); the decision
point (:class:`DecisionPoint`), also linked from the check-up's verdict and
offered again at stage 6; and the slot for the agreements, check-ins and
red-flag watch. Every callback calls the journal (:mod:`..journal.forward`) or
:mod:`..forward`; user text is escaped wherever it is shown.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import ipywidgets as w

from ..content import guide
from ..content.forward import forward
from ..errors import RekindleError
from ..io.reminders import date_ics, review_ics
from ..journal import SURE_QUESTIONS, Journal
from ..model.forward import option_label, unsure_advice
from ..report import Paragraph, Section, sections_html
from ..report.forward import comparison_block, decision_blocks, forward_sections
from .base import as_journal, data_link, message
from .style import Page

__all__ = ["DatePlanner", "DecisionPoint", "FreshIdeas", "MovingForward", "StatementBuilder",
           "forward_summary_html", "tips_html"]

_WIDE = w.Layout(width="100%", max_width="40em")

_LABEL = {"description_width": "9em"}


def _text_field(description: str, placeholder: str, tooltip: str) -> w.Text:
    return w.Text(description=description, placeholder=placeholder, tooltip=tooltip, style=_LABEL, layout=_WIDE)


def _button(description: str, icon: str, tooltip: str, style: str = "") -> w.Button:
    return w.Button(description=description, icon=icon, tooltip=tooltip, button_style=style,
                    layout=w.Layout(width="auto"))


def _section(title: str, intro: str, *children: w.Widget) -> w.VBox:
    box = w.VBox([w.HTML(f"<h3>{html.escape(title)}</h3><p class='rk-prose'>{html.escape(intro)}</p>"),
                  *children], layout=w.Layout(margin="0 0 18px 0"))
    box.add_class("rk-section")
    return box


def tips_html() -> str:
    """The guide's tips for moving forward (``guide().tips``), as a short list."""
    items = "".join(f"<li><b>{html.escape(t.title)}.</b> {html.escape(t.text)}</li>" for t in guide().tips)
    return f"<h3>Tips for moving forward</h3><ul class='rk-prose rk-list'>{items}</ul>"


# --------------------------------------------------------------------------
# "I feel ... when you ..."
# --------------------------------------------------------------------------


class StatementBuilder(w.VBox):
    """A feeling, what happened and what you would like, as one sentence to copy; saved with its date."""

    def __init__(self, journal: Journal, **kwargs: Any):
        self.journal = journal
        content = forward()
        self.feeling = w.Combobox(description="I feel", options=list(content.feelings), ensure_option=False,
                                  placeholder="pick or type a feeling", style=_LABEL, layout=_WIDE,
                                  tooltip="A word for how you feel: pick one from the list or type your own")
        self.situation = _text_field("when you", "cancel our plans at the last minute",
                                     "What happened, in plain words, without blame")
        self.wish = _text_field("and I would like", "us to agree on a time (optional)",
                                "What you would like instead")
        # the sentence in a text box a person selects and copies (Ctrl+A, Ctrl+C; on a phone, hold and
        # "Select all", "Copy"): a Copy button would need a script in the page, and the app's HTML runs
        # none (only the quick exit's own file, tests/unit/test_hostile_text.py)
        self.sentence = w.Textarea(description="Your sentence", rows=2, style=_LABEL, layout=_WIDE,
                                   placeholder="appears here once you have a feeling and what happened",
                                   tooltip="Select the sentence and copy it: Ctrl+A then Ctrl+C")
        self.sentence.add_class("rk-sentence")
        self.sentence_help = w.HTML()
        self.save_button = _button("Save this sentence", "save", "Keep the sentence in your journal", "primary")
        self.status = w.HTML()
        self.saved = w.HTML()
        for control in (self.feeling, self.situation, self.wish):
            control.observe(lambda _c: self.preview(), names="value")
        self.save_button.on_click(lambda _b: self.save())
        super().__init__([_section("\u201cI feel \u2026 when you \u2026\u201d", content.statements_intro,
                                   self.feeling, self.situation, self.wish, self.sentence, self.sentence_help,
                                   w.HBox([self.save_button]), self.status,
                                   w.HTML("<h4>Your sentences</h4>"), self.saved)], **kwargs)
        self.preview()
        self.list_saved()

    def _statement(self):
        from ..journal import Statement

        return Statement.make(self.feeling.value, self.situation.value, self.wish.value)

    def preview(self) -> None:
        self.sentence.value = ""
        self.sentence_help.value = ""
        if not self.feeling.value.strip() or not self.situation.value.strip():
            return
        try:
            self.sentence.value = self._statement().sentence
        except RekindleError as exc:
            self.sentence_help.value = message("error", str(exc))
            return
        self.sentence_help.value = ("<p class='rk-hint rk-prose rk-tight-list'>To copy it: click "
                                    "in the box, select all (Ctrl+A; \u2318A on a Mac) and copy (Ctrl+C; "
                                    "\u2318C); on a phone, hold your finger on it and choose Select all, "
                                    "then Copy.</p>")

    def save(self) -> None:
        try:
            saved = self.journal.add_statement(self.feeling.value, self.situation.value, self.wish.value)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.status.value = message("ok", f"Saved: {saved.sentence}")
        self.list_saved()

    def list_saved(self) -> None:
        rows = [f"<li><b>{s.day.isoformat()}</b> · <bdi>{html.escape(s.sentence)}</bdi></li>"
                for s in reversed(self.journal.statements())]
        self.saved.value = f"<ul class='rk-prose'>{''.join(rows)}</ul>" if rows else "<p>None yet.</p>"


# --------------------------------------------------------------------------
# Micro-dates
# --------------------------------------------------------------------------


class DatePlanner(w.VBox):
    """Pick an idea (or add one), put it on a day, save the calendar file, mark that it happened."""

    FILENAME = "notes-date.ics"

    def __init__(self, journal: Journal, **kwargs: Any):
        self.journal = journal
        content = forward()
        self.idea = w.Dropdown(description="Idea", options=self._ideas(), style=_LABEL, layout=_WIDE,
                               tooltip="A small date: pick one of the ideas, or add your own below")
        self.own = _text_field("Your own idea", "a picnic in the park", "Add an idea of your own to the list")
        self.add_button = _button("Add idea", "plus", "Add your idea to the list")
        self.day = w.DatePicker(description="On", value=date.today() + timedelta(days=2), style=_LABEL,
                                tooltip="The day of the date")
        self.plan_button = _button("Plan it", "calendar", "Put this idea on that day", "primary")
        self.status = w.HTML()
        self.link = w.HTML()
        self.planned = w.VBox()
        self.add_button.on_click(lambda _b: self.add_idea())
        self.plan_button.on_click(lambda _b: self.plan())
        super().__init__([_section("Micro-dates", content.dates_intro, self.idea,
                                   w.HBox([self.own, self.add_button], layout=w.Layout(flex_flow="row wrap")),
                                   w.HBox([self.day, self.plan_button], layout=w.Layout(flex_flow="row wrap")),
                                   self.status, self.link, w.HTML("<h4>Planned and done</h4>"), self.planned)],
                         **kwargs)
        self.list_planned()

    def _ideas(self) -> list[str]:
        return list(dict.fromkeys([*forward().date_ideas, *self.journal.ideas("date")]))

    def add_idea(self) -> None:
        try:
            idea = self.journal.add_idea("date", self.own.value)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.idea.options = self._ideas()
        self.idea.value = idea
        self.own.value = ""
        self.status.value = message("ok", f"Added \u201c{idea}\u201d to your ideas.")

    def plan(self) -> None:
        try:
            if self.idea.value is None:
                raise RekindleError("choose an idea first")
            if self.day.value is None:
                raise RekindleError("choose the day of the date")
            plan = self.journal.plan_date(self.idea.value, self.day.value)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            self.link.value = ""
            return
        self.status.value = message("ok", f"Planned: {plan.idea} on {plan.planned.isoformat()}.")
        self.link.value = data_link(date_ics(plan), self.FILENAME, "text/calendar",
                                    f"Save {self.FILENAME} for your calendar (it says only "
                                    f"\u201c{forward().calendar_summary}\u201d)")
        self.list_planned()

    def happened(self, date_id: int, done: bool = True) -> None:
        try:
            if done:
                self.journal.mark_date_happened(date_id)
            else:
                self.journal.unmark_date(date_id)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.status.value = message("ok", "Marked as happened: it shows on your mood timeline." if done
                                    else "No longer marked as happened.")
        self.list_planned()

    def list_planned(self) -> None:
        rows = []
        for d in reversed(self.journal.micro_dates()):
            text = f"<b>{d.planned.isoformat()}</b> · <bdi>{html.escape(d.idea)}</bdi>"
            if d.happened:
                text += f" · <span class='rk-happened'>happened {d.happened.isoformat()}</span>"
            button = _button("Not yet" if d.happened else "It happened", "undo" if d.happened else "check",
                             f"{'Unmark' if d.happened else 'Mark'} the date of {d.planned.isoformat()}")
            button.on_click(lambda _b, i=d.id, done=not d.happened: self.happened(i, done))
            rows.append(w.HBox([w.HTML(text, layout=w.Layout(flex="1 1 240px")), button],
                               layout=w.Layout(flex_flow="row wrap", align_items="center", max_width="44em")))
        self.planned.children = rows or [w.HTML("<p>None yet.</p>")]


# --------------------------------------------------------------------------
# Keep it fresh
# --------------------------------------------------------------------------


class FreshIdeas(w.VBox):
    """The third tip as ideas to try together, each a checkbox: ticked means tried (stored)."""

    def __init__(self, journal: Journal, **kwargs: Any):
        self.journal = journal
        self.boxes = w.VBox()
        self.own = _text_field("Your own idea", "something new to try together", "Add an idea of your own")
        self.add_button = _button("Add idea", "plus", "Add your idea to the list")
        self.status = w.HTML()
        self.add_button.on_click(lambda _b: self.add_idea())
        super().__init__([_section("Keep it fresh", forward().fresh_intro, self.boxes,
                                   w.HBox([self.own, self.add_button], layout=w.Layout(flex_flow="row wrap")),
                                   self.status)], **kwargs)
        self.refresh()

    def refresh(self) -> None:
        tried = self.journal.tried()
        boxes = []
        for idea in dict.fromkeys([*forward().fresh_ideas, *self.journal.ideas("fresh")]):
            when = tried.get(idea)
            box = w.Checkbox(value=when is not None, indent=False, layout=w.Layout(width="auto", max_width="44em"),
                             description=idea + (f" (tried {when.isoformat()})" if when else ""),
                             tooltip="Tick once the two of you have tried it")
            box.observe(lambda c, i=idea: self.mark(i, c["new"]), names="value")
            boxes.append(box)
        self.boxes.children = boxes

    def mark(self, idea: str, tried: bool) -> None:
        try:
            self.journal.mark_tried(idea, tried)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.status.value = message("ok", ("Marked as tried: " if tried else "Not tried yet: ") + idea)
        self.refresh()

    def add_idea(self) -> None:
        try:
            idea = self.journal.add_idea("fresh", self.own.value)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.own.value = ""
        self.status.value = message("ok", f"Added \u201c{idea}\u201d.")
        self.refresh()


# --------------------------------------------------------------------------
# The decision point
# --------------------------------------------------------------------------

_STAR, _NO_STAR = "\u2605", "\u2606"


def _stars(n: int) -> str:
    return _STAR * n + _NO_STAR * (5 - n)


_WEIGHTS = [(f"{_stars(n)} {n}", n) for n in range(6)]


class DecisionPoint(w.VBox):
    """The options, weighted reasons, four yes/no questions, who is involved and a review date; stored,
    listed, opened and compared."""

    FILENAME = "notes-review.ics"

    def __init__(self, journal: Journal, *, stage6: bool = False, **kwargs: Any):
        self.journal = journal
        text = forward().decision
        self.option = w.RadioButtons(options=[(o.label, o.id) for o in text.options], value=None,
                                     description="I choose", style={"description_width": "5em"},
                                     layout=w.Layout(width="auto", max_width="100%"),
                                     tooltip="The option you choose for now")
        self.option_help = w.HTML("<ul class='rk-prose rk-list'>" + "".join(
            f"<li><b>{html.escape(o.label)}</b>: {html.escape(o.text)}</li>" for o in text.options) + "</ul>")
        self.reason_option = w.Dropdown(description="For option", options=[(o.label, o.id) for o in text.options],
                                        style=_LABEL, layout=_WIDE, tooltip="The option this reason is about")
        self.reason_text = _text_field("Reason", "we laugh together again", "What matters to you about it")
        self.reason_weight = w.Dropdown(description="Matters", options=_WEIGHTS, value=3, style=_LABEL,
                                        layout=w.Layout(width="auto"),
                                        tooltip="How much it matters: 0 hardly at all, 5 most")
        self.add_reason_button = _button("Add reason", "plus", "Add this reason to the list")
        self.reasons: list[tuple[str, str, int]] = []
        self.reason_list = w.VBox()
        self.questions = {q.id: w.ToggleButtons(options=[("Yes", "yes"), ("No", "no")], value=None,
                                                tooltips=["Yes", "No"], style={"button_width": "5em"})
                          for q in text.questions}
        question_rows = [w.VBox([w.HTML(f"<b>{html.escape(q.label)}</b>"), self.questions[q.id]])
                         for q in text.questions]
        self.involved = _text_field("Who else", "my ex, my daughter, a close friend",
                                    "People this decision involves, separated by commas")
        self.review = w.DatePicker(description="Review on", value=None, style=_LABEL,
                                   tooltip="When to look at this decision again")
        self.save_button = _button("Save my decision", "save", "Keep this decision in your journal", "primary")
        self.status = w.HTML()
        self.link = w.HTML()
        self.past = w.VBox()
        self.first = w.Dropdown(description="From", style=_LABEL, layout=_WIDE, tooltip="The earlier decision")
        self.second = w.Dropdown(description="To", style=_LABEL, layout=_WIDE, tooltip="The later decision")
        self.compare_button = _button("What changed?", "exchange", "Compare the two decisions")
        self.comparison = w.HTML()
        self.compare_hint = w.HTML()
        self.compare_box = w.VBox([self.first, self.second, w.HBox([self.compare_button]), self.comparison])
        self.opened = w.HTML()
        self.add_reason_button.on_click(lambda _b: self.add_reason())
        self.save_button.on_click(lambda _b: self.save())
        self.compare_button.on_click(lambda _b: self.compare())
        self.stage6_note = w.HTML(message("info", text.stage6_intro) if stage6 else "")
        super().__init__([_section(
            text.title, text.intro, self.stage6_note,
            w.HTML("<h4>1. The options</h4>"), self.option_help, self.option,
            w.HTML(f"<h4>2. What matters to you about each</h4><p class='rk-prose'>"
                   f"{html.escape(text.reasons_help)} {html.escape(text.weights_note)}</p>"),
            self.reason_option, self.reason_text,
            w.HBox([self.reason_weight, self.add_reason_button], layout=w.Layout(flex_flow="row wrap")),
            self.reason_list,
            w.HTML("<h4>3. How sure am I?</h4>"), *question_rows,
            w.HTML(f"<h4>4. Who else is involved</h4><p class='rk-prose'>"
                   f"{html.escape(text.involved_help)}</p>"), self.involved,
            w.HTML(f"<h4>5. When to look again</h4><p class='rk-prose'>{html.escape(text.review_help)}</p>"),
            self.review, w.HBox([self.save_button]), self.status, self.link,
            w.HTML("<h4>Your decisions so far</h4>"), self.past, self.opened,
            w.HTML("<h4>Compare two decisions</h4>"), self.compare_hint, self.compare_box,
            w.HTML(f"<details class='rk-prose'><summary>Where this structure comes from</summary>"
                   f"<p>{html.escape(text.sources)}</p></details>"))], **kwargs)
        self.list_reasons()
        self.list_past()

    def add_reason(self) -> None:
        from ..journal import Reason

        try:
            reason = Reason.make(self.reason_option.value, self.reason_text.value, self.reason_weight.value)
            if any((o, t) == (reason.option, reason.text) for o, t, _ in self.reasons):
                raise RekindleError("that reason is already on the list for this option")
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.reasons.append((reason.option, reason.text, reason.weight))
        self.reason_text.value = ""
        self.status.value = ""
        self.list_reasons()

    def remove_reason(self, index: int) -> None:
        del self.reasons[index]
        self.list_reasons()

    def list_reasons(self) -> None:
        rows = []
        for i, (option, text, weight) in enumerate(self.reasons):
            remove = _button("Remove", "trash", f"Remove the reason {text[:40]}")
            remove.on_click(lambda _b, i=i: self.remove_reason(i))
            label = (f"<b>{html.escape(option_label(option))}</b> · <bdi>{html.escape(text)}</bdi> · "
                     f"<span aria-label='matters {weight} of 5'>{_stars(weight)}</span>")
            rows.append(w.HBox([w.HTML(label, layout=w.Layout(flex="1 1 240px")), remove],
                               layout=w.Layout(flex_flow="row wrap", align_items="center", max_width="44em")))
        self.reason_list.children = rows or [w.HTML("<p class='rk-hint'>No reasons added yet.</p>")]

    def save(self) -> None:
        from ..journal import Decision

        try:
            if self.option.value is None:
                raise RekindleError("choose one of the three options first")
            decision = Decision.make(option=self.option.value, reasons=self.reasons,
                                     answers={q: self.questions[q].value for q in SURE_QUESTIONS},
                                     involved=self.involved.value, review=self.review.value)
            new_id = self.journal.add_decision(decision)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            self.link.value = ""
            return
        kind = "warn" if decision.unsure else "ok"
        self.status.value = (message("ok", f"Saved decision {new_id}: {option_label(decision.option)}.")
                             + message(kind, unsure_advice(decision)))
        self.link.value = data_link(review_ics(decision), self.FILENAME, "text/calendar",
                                    f"Save {self.FILENAME}: the review on {decision.review.isoformat()}") \
            if decision.review else ""
        self.reasons = []
        self.list_reasons()
        self.list_past()

    def list_past(self) -> None:
        decisions = self.journal.decisions()
        rows = []
        for d in reversed(decisions):
            button = _button("Open", "folder-open", f"Show decision {d.id} in full")
            button.on_click(lambda _b, i=d.id: self.open_decision(i))
            rows.append(w.HBox([w.HTML(f"<b>{d.day.isoformat()}</b> · {html.escape(option_label(d.option))}"
                                       + (f" · review {d.review.isoformat()}" if d.review else ""),
                                       layout=w.Layout(flex="1 1 240px")), button],
                               layout=w.Layout(flex_flow="row wrap", align_items="center", max_width="44em")))
        self.past.children = rows or [w.HTML("<p>None yet.</p>")]
        choices = [(f"{d.day.isoformat()} · {option_label(d.option)} (decision {d.id})", d.id) for d in decisions]
        self.first.options = choices
        self.second.options = choices
        if len(choices) >= 2:
            self.first.value, self.second.value = choices[-2][1], choices[-1][1]
        self.compare_box.layout.display = "" if len(choices) >= 2 else "none"
        self.compare_hint.value = "" if len(choices) >= 2 else (
            "<p class='rk-hint'>Once you have saved two decisions, you can see here what changed "
            "between them.</p>")

    def open_decision(self, decision_id: int) -> None:
        try:
            d = self.journal.decision(decision_id)
        except RekindleError as exc:
            self.opened.value = message("error", str(exc))
            return
        self.opened.value = _blocks_html(f"Decision {d.id}", decision_blocks(d))

    def compare(self) -> None:
        try:
            if self.first.value is None or self.second.value is None:
                raise RekindleError("save two decisions to compare them")
            before, after = self.journal.decision(self.first.value), self.journal.decision(self.second.value)
        except RekindleError as exc:
            self.comparison.value = message("error", str(exc))
            return
        self.comparison.value = _blocks_html("What changed", [comparison_block(before, after)])


def _blocks_html(title: str, blocks: list) -> str:
    """Report blocks under a heading, as the report draws them (one summary, one escaping path)."""
    return sections_html([Section(title, tuple(blocks))])


# --------------------------------------------------------------------------
# For the therapist's session page: the client's records in a few lines
# --------------------------------------------------------------------------


def forward_summary_html(journal: Journal) -> str:
    """The client's decisions (each with its reasons and what changed since the one before), sentences,
    micro-dates and ideas tried, for the session page: the report's own sections, escaped the same way
    (:func:`rekindle_widgets.report.sections_html`); a muted line when there are none."""
    return sections_html(forward_sections(journal) or [Section("Decisions", (Paragraph(
        "No decisions, sentences or micro-dates recorded yet.", "muted"),))])


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


class MovingForward(Page):
    """Stages 4-7: the tips, the three tools, the decision point and the agreements watch."""

    def __init__(self, journal: Journal | str | None = None, *, region: str | None = None, **kwargs: Any):
        self.journal = as_journal(journal)
        self.region = region
        stage = self.journal.current_stage()
        where = (f"You are in stage {stage}: {html.escape(guide().stage(stage).name)}. " if stage else "")
        self.header = w.HTML(
            "<h2>Moving forward</h2><p class='rk-prose'>" + where + "For stages 4 to 7, once you are "
            "seeing each other again: tools for the guide's tips, a place to write down your decision and "
            "come back to it, and (below) what you agreed and how it is going.</p>")
        self.tips = w.HTML(tips_html())
        self.statements = StatementBuilder(self.journal)
        self.dates = DatePlanner(self.journal)
        self.fresh = FreshIdeas(self.journal)
        self.decision = DecisionPoint(self.journal, stage6=stage == 6)
        # ---- SLOT: the agreements, weekly check-ins and red-flag watch (widgets/watch.py) ------------
        from .watch import AgreementsWatch

        self.watch = w.VBox([AgreementsWatch(self.journal, region=region)])
        self.watch.add_class("rk-watch-slot")
        # ----------------------------------------------------------------------------------------------
        super().__init__([self.header, self.tips, self.statements, self.dates, self.fresh, self.watch,
                          self.decision], **kwargs)
        self.add_class("rk-forward")
