"""Dynamics layer: replicator equations (symbolic), fast numeric right-hand sides, schedules."""

from .replicator import ReplicatorSystem, replicator_system, state_symbols

__all__ = ["ReplicatorSystem", "replicator_system", "state_symbols"]
