"""``python -m gametheory_regen`` runs the command line."""

import sys

from .presentation.cli import main

sys.exit(main())
