r"""Explicit Runge--Kutta methods as data: Butcher tableaux, and nothing else.

Mathematics
-----------
An explicit :math:`s`-stage Runge--Kutta method for :math:`y' = f(t, y)` is given by its Butcher
tableau :math:`(c, A, b)` (Hairer, Nørsett & Wanner, *Solving ODEs I*, sec. II.1): with step
:math:`h`,

.. math:: k_i = f\Bigl(t + c_i h,\; y + h \sum_{j<i} a_{ij} k_j\Bigr), \qquad
          y_{\text{new}} = y + h \sum_i b_i k_i .

An *embedded pair* adds a second weight vector :math:`\hat b` of lower order; the difference
:math:`e = b - \hat b` gives the local error estimate :math:`h \sum_i e_i k_i`, and the step-size
controller scales :math:`h` by :math:`\mathrm{clip}(0.9\,\mathrm{err}^{-1/(q+1)}, 0.2, 10)` with
:math:`q` the order of the error estimate (``error_order``), as
:func:`scipy.integrate.solve_ivp` does. A method is *first-same-as-last* (FSAL) when its last
stage is evaluated at :math:`y_{\text{new}}` itself (the last row of :math:`A` equals :math:`b`,
:math:`c_s = 1`); that stage's derivative is then the next step's first one.

This module is the single definition of every method the engine uses. The numpy reference
integrator (:mod:`gametheory_regen.dynamics.stepper`) and the compiled kernel
(:mod:`gametheory_regen.dynamics.kernel_numba`) both read these arrays; neither holds a
coefficient of its own. A new method is a new :class:`Tableau` in :data:`METHODS`.

The coefficients are written as exact fractions and converted once to floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as F

import numpy as np

__all__ = ["Tableau", "METHODS", "DOPRI5", "BS32", "RK4", "method"]


@dataclass(frozen=True, eq=False)
class Tableau:
    """The Butcher tableau of an explicit Runge--Kutta method (optionally an embedded pair).

    Attributes
    ----------
    name : str
        The name used by ``method=...`` everywhere.
    c : numpy.ndarray
        ``(s,)`` nodes.
    a : numpy.ndarray
        ``(s, s)`` strictly lower triangular coupling coefficients.
    b : numpy.ndarray
        ``(s,)`` weights of the propagated solution.
    e : numpy.ndarray or None
        ``(s,)`` error weights ``b - b_hat`` of an embedded pair; ``None`` for a fixed-step
        method.
    order : int
        Order of the propagated solution.
    error_order : int
        Order of the error estimate (``0`` without one).
    fsal : bool
        The last stage is evaluated at the new state (first same as last).
    reference : str
        Where the coefficients come from.

    Examples
    --------
    >>> DOPRI5.stages, DOPRI5.adaptive, DOPRI5.fsal, RK4.adaptive
    (7, True, True, False)
    >>> round(float(DOPRI5.b.sum()), 12), float(abs(DOPRI5.e.sum())) < 1e-15
    (1.0, True)
    """

    name: str
    c: np.ndarray
    a: np.ndarray
    b: np.ndarray
    e: np.ndarray | None
    order: int
    error_order: int
    fsal: bool
    reference: str

    @property
    def stages(self) -> int:
        """Number of stages ``s``.

        >>> RK4.stages, BS32.stages
        (4, 4)
        """
        return int(self.b.shape[0])

    @property
    def adaptive(self) -> bool:
        """True for an embedded pair (error estimate and step-size control).

        >>> BS32.adaptive
        True
        """
        return self.e is not None

    @property
    def exponent(self) -> float:
        """The step-size controller's exponent ``-1 / (error_order + 1)``.

        >>> DOPRI5.exponent, BS32.exponent
        (-0.2, -0.3333333333333333)
        """
        return -1.0 / (self.error_order + 1) if self.adaptive else 0.0


def _tableau(name, c, a, b, bhat, order, error_order, reference) -> Tableau:
    s = len(b)
    A = np.zeros((s, s))
    for i, row in enumerate(a):
        for j, v in enumerate(row):
            A[i + 1, j] = float(v)
    cc = np.array([float(v) for v in c])
    bb = np.array([float(v) for v in b])
    e = None if bhat is None else np.array([float(x - y) for x, y in zip(b, bhat)])
    fsal = bool(cc[-1] == 1.0 and np.array_equal(A[-1], bb))
    for arr in (cc, A, bb, e):
        if arr is not None:
            arr.setflags(write=False)
    return Tableau(name, cc, A, bb, e, order, error_order, fsal, reference)


#: Dormand--Prince 5(4), the method of :func:`scipy.integrate.solve_ivp`'s ``RK45``.
DOPRI5 = _tableau(
    "dopri5",
    c=[0, F(1, 5), F(3, 10), F(4, 5), F(8, 9), 1, 1],
    a=[
        [F(1, 5)],
        [F(3, 40), F(9, 40)],
        [F(44, 45), F(-56, 15), F(32, 9)],
        [F(19372, 6561), F(-25360, 2187), F(64448, 6561), F(-212, 729)],
        [F(9017, 3168), F(-355, 33), F(46732, 5247), F(49, 176), F(-5103, 18656)],
        [F(35, 384), 0, F(500, 1113), F(125, 192), F(-2187, 6784), F(11, 84)],
    ],
    b=[F(35, 384), 0, F(500, 1113), F(125, 192), F(-2187, 6784), F(11, 84), 0],
    bhat=[F(5179, 57600), 0, F(7571, 16695), F(393, 640), F(-92097, 339200), F(187, 2100),
          F(1, 40)],
    order=5,
    error_order=4,
    reference="Dormand & Prince (1980), Table 2; Hairer, Nørsett & Wanner (1993), Table 5.2",
)

#: Bogacki--Shampine 3(2), :func:`scipy.integrate.solve_ivp`'s ``RK23``.
BS32 = _tableau(
    "bs32",
    c=[0, F(1, 2), F(3, 4), 1],
    a=[
        [F(1, 2)],
        [0, F(3, 4)],
        [F(2, 9), F(1, 3), F(4, 9)],
    ],
    b=[F(2, 9), F(1, 3), F(4, 9), 0],
    bhat=[F(7, 24), F(1, 4), F(1, 3), F(1, 8)],
    order=3,
    error_order=2,
    reference="Bogacki & Shampine (1989)",
)

#: The classical fourth-order Runge--Kutta method, fixed step (for teaching).
RK4 = _tableau(
    "rk4",
    c=[0, F(1, 2), F(1, 2), 1],
    a=[[F(1, 2)], [0, F(1, 2)], [0, 0, 1]],
    b=[F(1, 6), F(1, 3), F(1, 3), F(1, 6)],
    bhat=None,
    order=4,
    error_order=0,
    reference="Kutta (1901); Hairer, Nørsett & Wanner (1993), Table 1.2",
)

#: Every method by name.
METHODS: dict[str, Tableau] = {t.name: t for t in (DOPRI5, BS32, RK4)}


def method(name: str) -> Tableau:
    """The :class:`Tableau` of a method name, with one clear error for an unknown one.

    Parameters
    ----------
    name : str
        A key of :data:`METHODS`.

    Returns
    -------
    Tableau

    Raises
    ------
    GameInputError
        For an unknown name, listing the known ones.

    Examples
    --------
    >>> method("rk4").order
    4
    >>> method("euler")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: method must be one of 'dopri5', 'bs32', 'rk4'; got 'euler'
    """
    from gametheory_regen.errors import GameInputError

    try:
        return METHODS[name]
    except (KeyError, TypeError):
        known = ", ".join(repr(k) for k in METHODS)
        raise GameInputError(f"method must be one of {known}; got {name!r}") from None
