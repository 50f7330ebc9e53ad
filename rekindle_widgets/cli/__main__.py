"""`python -m rekindle_widgets.cli` is `rekindle`."""

import sys

from . import main

sys.exit(main())
