"""Verbs of the command line beyond models / show / report (registered on import)."""
from . import engine_verbs  # noqa: F401
from . import domain_verbs  # noqa: F401
from . import paper_output as _paper_output  # noqa: E402

_paper_output.register()
