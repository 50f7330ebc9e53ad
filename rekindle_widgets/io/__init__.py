"""Files in and out: importers of other apps' exports, Rekindle's own export, encrypted backups, the demo
journal and calendar files.

Every file a person hands in is hostile until checked: each reader bounds what it reads by the bytes it
actually reads and ends in a one-line error. Each module is loaded on first use:
``from rekindle_widgets.io import export``.
"""

#: the apps whose files the importers read, in words (the import command's help and the Import page name them;
#: kept here, outside the importers, so the command line names them without loading them)
APPS = "Daylio, Bearable, iMoodJournal, How We Feel, Pixels, Pixy, Daily You, MoodSnap, MoodTracker"
