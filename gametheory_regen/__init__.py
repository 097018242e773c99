"""gametheory_regen: evolutionary game theory for collaborative governance."""

__version__ = "0.1.0"
