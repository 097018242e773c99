"""Verbs of the command line beyond models / show / report (registered on import)."""
