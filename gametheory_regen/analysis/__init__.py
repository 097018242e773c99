"""Analysis layer: rest points, eigenvalues, stability, Nash / strict Nash / ESS, conditions,
batch simulation, basins of attraction and parameter sweeps."""

from .basins import BasinShares, basin_shares
from .batch import BatchResult, Simulation, integrate_batch, simulate
from .eigen import Spectrum, Stability
from .equilibria import Continuum, EquilibriumAnalysis, RestPoint, analyze, vertex_conditions
from .sweep import SharePaths, SweepResult, share_paths, sweep

__all__ = [
    "BasinShares",
    "BatchResult",
    "Continuum",
    "EquilibriumAnalysis",
    "RestPoint",
    "SharePaths",
    "Simulation",
    "Spectrum",
    "Stability",
    "SweepResult",
    "analyze",
    "basin_shares",
    "integrate_batch",
    "share_paths",
    "simulate",
    "sweep",
    "vertex_conditions",
]
