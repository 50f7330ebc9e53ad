"""What records mean: scoring, reliable change, the red-flag watch, moving forward, sessions, the practice,
alerts, plan schedules and the practice overview.

This layer reads the journal and the content and answers questions about them; it holds no SQL (that is the
journal's), draws nothing (charts, report) and shows nothing (widgets, CLI). Each module is loaded on first
use: ``from rekindle_widgets.model import scorer``.
"""
