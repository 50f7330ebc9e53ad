"""The wellbeing page: the standard questionnaires, and their scores over time."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from ..content.instruments import instrument
from ..journal import Journal
from .base import Screen, as_journal, figure_html
from .style import Page

#: the scored scales offered here, in order
SCALES = ("who5", "phq9", "gad7", "ruler")


class Wellbeing(Page):
    """Choose a questionnaire, fill it in, and see its totals over time with their bands."""

    def __init__(self, journal: Journal | str | None = None, *, region: str | None = None,
                 context: str = "self", **kwargs: Any):
        self.journal = as_journal(journal)
        self.region = region
        self.context = context
        self.choice = w.ToggleButtons(options=[(instrument(i).title, i) for i in SCALES], value=SCALES[0],
                                      description="Questionnaire", style={"description_width": "initial",
                                                                          "button_width": "auto"})
        self.form = w.VBox()
        self.chart = w.HTML()
        self.choice.observe(lambda _c: self.show(self.choice.value), names="value")
        from .plan import ClientPlanPanel

        self.plan = ClientPlanPanel(self.journal)  # a therapist's plan: what is due, and sending answers back
        super().__init__([
            w.HTML("<h2>Wellbeing check-ins</h2><p>Short, widely used questionnaires. They describe how the "
                   "last two weeks felt; they are not a diagnosis. Repeat one every few weeks to see change.</p>"),
            self.plan, self.choice, self.form, w.HTML("<h3>Over time</h3>"), self.chart,
        ], **kwargs)
        self.show(SCALES[0])

    def show(self, instrument_id: str) -> None:
        from .questionnaire import Questionnaire

        self.questionnaire = Questionnaire(instrument_id, self.journal, context=self.context, region=self.region,
                                           on_result=lambda _r: self._answered())
        self.form.children = [self.questionnaire]
        self.refresh()

    def _answered(self) -> None:
        self.refresh()
        self.plan.refresh()  # what the plan asks for may be done now

    def refresh(self) -> None:
        from .. import charts

        instrument_id = self.choice.value
        responses = self.journal.responses(instrument_id)
        if responses.empty:
            self.chart.value = (f"<p>No {html.escape(instrument(instrument_id).title)} results saved yet: "
                                f"your scores will be charted here.</p>")
            return
        with Screen.charts():
            ax = charts.scores(responses, instrument=instrument_id)
            self.chart.value = figure_html(ax.figure, charts.describe_scores(responses))
