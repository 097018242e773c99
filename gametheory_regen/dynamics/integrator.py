"""The engine's integration settings: one frozen object, one set of defaults.

Every function of the engine that integrates (``integrate_batch``, ``simulate``,
``basin_shares``, ``sweep``, ``share_paths``, the figures) takes ``integrator=Integrator(...)``
and stores it on its result, so a result always says how it was made. The defaults are defined
here and nowhere else:

========================  ==========  ===========================================================
setting                   default     meaning
========================  ==========  ===========================================================
``method``                "dopri5"    a name in :data:`~gametheory_regen.dynamics.methods.METHODS`
``rtol``, ``atol``        1e-8, 1e-10 tolerances of an adaptive method (scipy's error norm)
``dt``                    None        step of a fixed-step method (required there)
``settle_tol``            1e-10       a trajectory away from every vertex whose speed
                                      ``max|dx/dt|`` falls below this (and is not growing) is at
                                      rest; 0 disables every early stop
``match_tol``             1e-6        sup-norm distance at which a settled state matches a rest
                                      point
``vertex_tol``            1e-9        proven end-state error at a strict Nash vertex before the
                                      trajectory may stop there (``inf``: stop on entering the
                                      vertex's invariant box; basins and sweeps use it)
``max_steps``             100000      step attempts per trajectory and schedule piece
``backend``               "auto"      "auto", "numba" or "numpy"
========================  ==========  ===========================================================

A budget counts work (steps), never wall-clock time: one input gives one answer on any machine
and under any load.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from gametheory_regen.errors import GameInputError

from .methods import method as _method

__all__ = ["Integrator", "DEFAULT", "BACKEND_NAMES", "as_integrator", "SETTINGS"]

#: the backends ``backend=`` accepts
BACKEND_NAMES = ("auto", "numba", "numpy")


def _positive(name: str, value, *, allow_inf: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise GameInputError(f"{name} must be a positive number; got {value!r}") from None
    if not (v > 0) or (math.isinf(v) and not allow_inf) or math.isnan(v):
        extra = " (or inf)" if allow_inf else ""
        raise GameInputError(f"{name} must be a positive number{extra}; got {value!r}")
    return v


@dataclass(frozen=True)
class Integrator:
    """How trajectories are integrated (see the module docstring for every default).

    Parameters
    ----------
    method : str
        ``"dopri5"`` (Dormand--Prince 5(4), adaptive), ``"bs32"`` (Bogacki--Shampine 3(2),
        adaptive) or ``"rk4"`` (classical, fixed step ``dt``).
    rtol, atol : float
        Relative and absolute tolerance of an adaptive method.
    dt : float or None
        Step of a fixed-step method.
    settle_tol : float
        Speed below which a trajectory away from every vertex is at rest (``0``: never stop
        early).
    match_tol : float
        Sup-norm distance to a rest point that counts as having reached it.
    vertex_tol : float
        Proven end-state error allowed when stopping at a strict Nash vertex (``inf``: stop on
        entering its invariant box).
    max_steps : int
        Step attempts allowed per trajectory and schedule piece.
    backend : {"auto", "numba", "numpy"}
        Which implementation runs (both give the same answers).

    Raises
    ------
    GameInputError
        For an unknown method or backend, a fixed-step method without a positive ``dt``,
        non-positive or non-finite tolerances, or ``max_steps < 1``.

    Examples
    --------
    >>> Integrator().rtol, Integrator().method
    (1e-08, 'dopri5')
    >>> Integrator(method="rk4", dt=0.01).tableau.order
    4
    >>> Integrator(rtol=1e-6).replace(backend="numpy").backend
    'numpy'
    >>> Integrator(method="rk4")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: method='rk4' is a fixed-step method and needs a positive step dt; got dt=None
    """  # noqa: E501

    method: str = "dopri5"
    rtol: float = 1e-8
    atol: float = 1e-10
    dt: float | None = None
    settle_tol: float = 1e-10
    match_tol: float = 1e-6
    vertex_tol: float = 1e-9
    max_steps: int = 100_000
    backend: str = "auto"

    def __post_init__(self) -> None:
        tab = _method(self.method)
        set_ = object.__setattr__
        set_(self, "rtol", _positive("rtol", self.rtol))
        set_(self, "atol", _positive("atol", self.atol))
        if not tab.adaptive:
            if self.dt is None:
                raise GameInputError(
                    f"method={self.method!r} is a fixed-step method and needs a positive step "
                    f"dt; got dt={self.dt!r}"
                )
            set_(self, "dt", _positive("dt", self.dt))
        elif self.dt is not None:
            set_(self, "dt", _positive("dt", self.dt))
        try:
            st = float(self.settle_tol)
        except (TypeError, ValueError):
            st = math.nan
        if not (st >= 0 and math.isfinite(st)):
            raise GameInputError(f"settle_tol must be a number >= 0; got {self.settle_tol!r}")
        set_(self, "settle_tol", st)
        set_(self, "match_tol", _positive("match_tol", self.match_tol))
        set_(self, "vertex_tol", _positive("vertex_tol", self.vertex_tol, allow_inf=True))
        if isinstance(self.max_steps, bool) or not isinstance(self.max_steps, (int,)) \
                or self.max_steps < 1:
            try:
                ok = float(self.max_steps).is_integer() and self.max_steps >= 1
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise GameInputError(
                    f"max_steps must be a whole number >= 1; got {self.max_steps!r}"
                )
        set_(self, "max_steps", int(self.max_steps))
        if self.backend not in BACKEND_NAMES:
            raise GameInputError(
                f"backend must be 'auto', 'numba' or 'numpy'; got {self.backend!r}"
            )

    @property
    def tableau(self):
        """The method's :class:`~gametheory_regen.dynamics.methods.Tableau`.

        >>> Integrator().tableau.name
        'dopri5'
        """
        return _method(self.method)

    def replace(self, **changes) -> Integrator:
        """A copy with some settings changed (validated again).

        Parameters
        ----------
        **changes
            Any of :data:`SETTINGS`.

        >>> Integrator().replace(vertex_tol=float("inf")).vertex_tol
        inf
        """
        return replace(self, **changes)

    def as_dict(self) -> dict:
        """The settings as a plain dictionary (for reports).

        >>> Integrator().as_dict()["atol"]
        1e-10
        """
        return asdict(self)


#: The defaults, as one object.
DEFAULT = Integrator()


#: the setting names, in order (also accepted as keyword arguments by the engine's functions)
SETTINGS = tuple(Integrator.__dataclass_fields__)


def as_integrator(integrator: Integrator | None = None, **settings) -> Integrator:
    """An :class:`Integrator` from an optional base and individual settings.

    The engine's functions take ``integrator=`` and, for convenience, the individual settings
    as keywords (``rtol=1e-6``); a keyword given as ``None`` keeps the base's value.

    Parameters
    ----------
    integrator : Integrator, optional
        The base (default: :data:`DEFAULT`).
    **settings
        Any of :data:`SETTINGS`.

    Returns
    -------
    Integrator

    Examples
    --------
    >>> as_integrator(rtol=1e-6).rtol, as_integrator(Integrator(atol=1e-9), rtol=None).atol
    (1e-06, 1e-09)
    >>> as_integrator(tolerance=1)
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: unknown integration setting 'tolerance'; known: method, rtol, atol, dt, settle_tol, match_tol, vertex_tol, max_steps, backend
    """  # noqa: E501
    base = DEFAULT if integrator is None else integrator
    if not isinstance(base, Integrator):
        raise GameInputError(f"integrator must be an Integrator; got {integrator!r}")
    for name in settings:
        if name not in SETTINGS:
            raise GameInputError(
                f"unknown integration setting {name!r}; known: {', '.join(SETTINGS)}"
            )
    changes = {k: v for k, v in settings.items() if v is not None}
    return base.replace(**changes) if changes else base
