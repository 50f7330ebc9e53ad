"""Files in and out: importers of other apps' exports, Rekindle's own export, encrypted backups, the demo
journal and calendar files.

Every file a person hands in is hostile until checked: each reader bounds what it reads by the bytes it
actually reads and ends in a one-line error. Each module is loaded on first use:
``from rekindle_widgets.io import export``.
"""
