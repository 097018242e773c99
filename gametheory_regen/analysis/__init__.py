"""Analysis layer: rest points, eigenvalues, stability, Nash / strict Nash / ESS, conditions."""

from .eigen import Spectrum, Stability
from .equilibria import Continuum, EquilibriumAnalysis, RestPoint, analyze, vertex_conditions

__all__ = [
    "Continuum",
    "EquilibriumAnalysis",
    "RestPoint",
    "Spectrum",
    "Stability",
    "analyze",
    "vertex_conditions",
]
