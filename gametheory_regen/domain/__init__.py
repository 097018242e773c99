"""Domain layer: the community-regeneration model, policy comparison and the Jinsong calibration."""

from .regeneration import build_regeneration

__all__ = ["build_regeneration"]
