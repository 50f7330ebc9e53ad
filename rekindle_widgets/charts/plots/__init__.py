"""One module per chart family; each holds the function of the same name (``plots.timeline.timeline``).

Import the charts from :mod:`rekindle_widgets.charts` (``charts.timeline(...)``);
they live a level down so that a module's name never hides its function's.
"""
