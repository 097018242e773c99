r"""Evolutionarily stable states of single-population games (Maynard Smith & Price 1973).

A state :math:`x^*` of a symmetric game with payoff matrix :math:`A` is an ESS iff for every
state :math:`y \ne x^*` (Maynard Smith 1982):

1. :math:`y \cdot Ax^* \le x^* \cdot Ax^*` for all :math:`y` (Nash), and
2. if :math:`y \cdot Ax^* = x^* \cdot Ax^*` then :math:`x^* \cdot Ay > y \cdot Ay`.

Computational form (Haigh 1975; Bomze 1992; Hofbauer & Sigmund 1998, sec. 6.4).  Let
:math:`S` be the support of :math:`x^*` and :math:`T \supseteq S` the set of best replies
(:math:`(Ax^*)_j = x^* \cdot Ax^*`).  A Nash equilibrium :math:`x^*` is an ESS iff the quadratic
form :math:`q(z) = z \cdot A z` is negative for every :math:`z \ne 0` with :math:`\sum z = 0`,
:math:`z_j = 0` off :math:`T` and :math:`z_j \ge 0` on :math:`T \setminus S` (with
:math:`y = x^* + \epsilon z`, condition 2 reads :math:`q(z) < 0`).  Here:

* :math:`T = S` (a *regular*, quasi-strict point): :math:`q` negative definite on the tangent
  space of the face, decided by the exact eigenvalues of the symmetric form;
* :math:`T \ne S`: sufficient: :math:`q` negative definite on all of
  :math:`\{z : \operatorname{supp} z \subseteq T, \sum z = 0\}`; refuted by an eigenvector of
  :math:`q` restricted to a sub-cone with eigenvalue :math:`\ge 0` and the required signs;
  otherwise undecided (None).

With payoffs that depend on the state, :math:`A` is replaced by the derivative
:math:`Du(x^*)` (Contract 4: a *local* evolutionarily stable state,
:math:`x^* \cdot u(x) > x \cdot u(x)` for :math:`x \ne x^*` near :math:`x^*`; Pohley & Thomas
1983, Hofbauer & Sigmund 1998, sec. 6.6); the conditions above are then sufficient (True) or
refute the second-order condition (False), and undecided cases give None.
"""

from __future__ import annotations

import itertools

import sympy as sp

__all__ = ["symmetric_ess"]


def _tangent_basis(k: int, support) -> list[list[int]]:
    """Vectors e_i - e_last (i in support but the last): a basis of the face's tangent space."""
    support = list(support)
    last = support[-1]
    out = []
    for i in support[:-1]:
        v = [0] * k
        v[i], v[last] = 1, -1
        out.append(v)
    return out


def _form_on(B: sp.Matrix, basis) -> sp.Matrix:
    if not basis:
        return sp.zeros(0, 0)
    P = sp.Matrix(basis).T  # k x m
    Q = P.T * B * P
    return (Q + Q.T) / 2


def _negative_definite(Q: sp.Matrix, exact: bool) -> bool | None:
    if Q.rows == 0:
        return True
    if exact and all(e.is_Rational for e in Q):
        # leading principal minors of -Q positive (Sylvester), exactly
        M = -Q
        return all(M[:i, :i].det() > 0 for i in range(1, M.rows + 1))
    import numpy as np

    ev = np.linalg.eigvalsh(np.array(Q.evalf(30).tolist(), dtype=float))
    scale = max(1.0, float(np.max(np.abs(ev))))
    if np.all(ev < -1e-9 * scale):
        return True
    if np.any(ev > 1e-9 * scale):
        return False
    return None


def symmetric_ess(game, payoffs, state, support, nash: bool | None,
                  exact: bool) -> tuple[bool | None, str]:
    """Whether a rest point of a single-population game is an ESS, and why.

    Parameters
    ----------
    game : Game
        A single-population game.
    payoffs : tuple of tuple of sympy.Expr
        Its expected payoffs (numbers substituted), in the reduced shares.
    state : tuple of tuple
        The point's full shares (one row), exact or floats.
    support : tuple of tuple of int
        The strategies in use (one tuple).
    nash : bool or None
        Whether it is a Nash equilibrium.
    exact : bool
        Whether ``state`` is exact (rational arithmetic is then used).

    Returns
    -------
    (bool or None, str)
        The verdict and a sentence saying which condition decided it.

    Examples
    --------
    Hawk-dove with V = 2 < C = 4: the mixed state (1/2, 1/2) is an ESS; with V = C = 2, pure hawk
    is an ESS although its eigenvalue is 0 (non-regular):

    >>> from gametheory_regen.model import Game, Parameter
    >>> from gametheory_regen.dynamics.replicator import expected_payoffs
    >>> def hd(V, C):
    ...     return Game.symmetric("hd", ["hawk", "dove"], [["(V - C)/2", "V"], [0, "V/2"]],
    ...                           [Parameter.make("V", V), Parameter.make("C", C)])
    >>> g = hd(2, 4)
    >>> half = sp.Rational(1, 2)
    >>> symmetric_ess(g, expected_payoffs(g), ((half, half),), ((0, 1),), True, True)[0]
    True
    >>> g = hd(2, 2)
    >>> symmetric_ess(g, expected_payoffs(g), ((1, 0),), ((0,),), True, True)
    (True, 'not regular (a best reply outside the support); the payoff form is negative definite on the best replies')
    """
    if nash is False:
        return False, "not a Nash equilibrium"
    if nash is None:
        return None, "Nash property undecided"
    from ..dynamics.replicator import state_symbols

    (syms,) = state_symbols(game)
    (row,) = state
    (supp,) = support
    k = len(row)
    subs = {v: (sp.nsimplify(row[i]) if exact else sp.Float(row[i], 30))
            for i, v in enumerate(syms)}
    u = [sp.sympify(e) for e in payoffs[0]]
    # derivative of the full payoff vector along tangent directions, in full coordinates:
    # D_full u . z = D_reduced u . z[:k-1] for sum(z) = 0
    D = sp.Matrix([[sp.diff(ui, v) for v in syms] + [0] for ui in u]).xreplace(subs)
    values = [ui.xreplace(subs) for ui in u]
    mean = sum((sp.sympify(row[i]) * values[i] for i in range(k)), sp.Integer(0))

    def ties(j):
        d = sp.sympify(values[j] - mean)
        return d == 0 if exact else abs(float(d)) <= 1e-9

    T = sorted(set(supp) | {j for j in range(k) if j not in supp and ties(j)})
    if T == sorted(supp):
        nd = _negative_definite(_form_on(D, _tangent_basis(k, T)), exact)
        if len(T) == 1:
            return True, "a strict Nash equilibrium"
        if nd is None:
            return None, "regular; the payoff form on the face is semidefinite (undecided)"
        return nd, ("regular; the payoff form is negative definite on the face" if nd else
                    "regular; the payoff form is not negative definite on the face")
    nd = _negative_definite(_form_on(D, _tangent_basis(k, T)), exact)
    if nd:
        return True, ("not regular (a best reply outside the support); the payoff form is "
                      "negative definite on the best replies")
    # look for a refuting direction: z in the cone with q(z) >= 0
    extra = [j for j in T if j not in supp]
    for r in range(len(extra) + 1):
        for J in itertools.combinations(extra, r):
            face = sorted(set(supp) | set(J))
            if len(face) < 2:
                continue
            basis = _tangent_basis(k, face)
            Q = _form_on(D, basis)
            try:
                vecs = Q.evalf(30).eigenvects() if not exact else Q.eigenvects()
            except (NotImplementedError, sp.MatrixError):
                continue
            for lam, _mult, vs in vecs:
                if complex(sp.N(lam)).real < 0:
                    continue
                for v in vs:
                    z = sp.Matrix(basis).T * v
                    for sign in (1, -1):
                        zz = [sign * complex(sp.N(c)).real for c in z]
                        if all(zz[j] > 1e-12 for j in J) and any(abs(c) > 1e-12 for c in zz):
                            return False, ("a deviation among the best replies does at least "
                                           "as well against itself")
    return None, "not regular and the payoff form is only copositive-undecided"
