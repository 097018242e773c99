r"""The logit QRE equations: a uniqueness certificate and well-conditioned coordinates.

**Contraction.**  The logit response map :math:`T(x)_p = \operatorname{softmax}(u_p(x)/\eta)`
maps the product of simplices into itself.  Its derivative with respect to :math:`x_{qj}` is
:math:`\frac{1}{\eta}(\operatorname{diag}\sigma_p - \sigma_p\sigma_p^\top)\,\partial u_p /
\partial x_{qj}`, whose 1-norm is a mean absolute deviation of the vector
:math:`\partial u_p/\partial x_{qj}` under :math:`\sigma_p`, at most half its spread.  For
constant payoffs that vector is a convex combination of the columns :math:`A_p(\cdot, s_{-p})`
with :math:`s_q = j`, so :math:`\|DT\|_1 \le L = \frac{1}{2\eta} \max_{q,j} \sum_{p \ne q}
\max_{s:\, s_q = j} \operatorname{spread}_l A_p(l, s_{-p})`; :math:`L < 1` makes :math:`T` a
contraction and the QRE unique (Banach's fixed-point theorem).

**Log-ratio coordinates.**  With :math:`w_i = \log(x_i / x_k)` per population the QRE condition
is :math:`w_i = (u_i(x) - u_k(x))/\eta` with :math:`x = \operatorname{softmax}(w)`: shares as
small as :math:`e^{-100}` near a strict equilibrium stay representable, where in the shares
themselves they round to 0 and the point would be lost.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..dynamics.field import Dynamics
from ..dynamics.symbolic_field import exact_parameter
from ..model.game import Game

__all__ = ["logit_contraction_bound"]


def logit_contraction_bound(game: Game, eta: float) -> float | None:
    """An upper bound on the 1-norm Lipschitz constant of the logit response map.

    Parameters
    ----------
    game : Game
        A game of two or more populations with constant payoffs (else None).
    eta : float

    Returns
    -------
    float or None
        Below 1: the logit QRE at ``eta`` is unique.

    Examples
    --------
    Matching pennies (payoff spread 2): :math:`L \\le 1/\\eta`, a unique QRE for
    :math:`\\eta > 1`:

    >>> logit_contraction_bound(Game.builtin("matching_pennies"), 4.0)
    0.25
    """
    if game.symmetric or game.state_dependent:
        return None
    from ..dynamics.numeric import needs_expected_payoffs, payoff_tensor

    if needs_expected_payoffs(game):
        return None
    A = payoff_tensor(game)
    n = game.n_populations
    best = 0.0
    for q in range(n):
        for j in range(game.shape[q]):
            col = 0.0
            for p in range(n):
                if p == q:
                    continue
                sl = np.take(A[p], j, axis=q)  # profiles with s_q = j
                own = p if p < q else p - 1  # population p's axis in the slice
                spread = sl.max(axis=own) - sl.min(axis=own)
                col += float(np.max(spread))
            best = max(best, col)
    return best / (2.0 * eta)


def _logit_log_ratios(game: Game, system, dynamics: Dynamics):
    """The logit QRE equations in log-ratio coordinates.

    With :math:`w_i = \\log(x_i / x_k)` per population, :math:`x = \\operatorname{softmax}(w)`
    and the QRE condition reads :math:`w_i = (u_i(x) - u_k(x))/\\eta`.  Shares as small as
    :math:`e^{-40}` near a strict equilibrium stay representable (in the shares themselves they
    round to 0 and the point would be lost).
    Returns (equations, unknowns, w -> state, reduced shares -> w).
    """
    eta = exact_parameter(dynamics)
    ws, subs = [], {}
    for p, (pop, vars_p) in enumerate(zip(game.populations, system.variables, strict=True)):
        w = [sp.Dummy(f"w{p}_{i}", real=True) for i in range(pop.k - 1)]
        ws.append(w)
        full = w + [sp.Integer(0)]
        for i, v in enumerate(vars_p):
            subs[v] = 1 / sum(sp.exp(full[j] - full[i]) for j in range(pop.k))
    eqs = []
    for p, w in enumerate(ws):
        u = system.payoffs[p]
        for i, wi in enumerate(w):
            eqs.append(wi - (sp.sympify(u[i] - u[-1]).xreplace(subs)) / eta)
    unknowns = [w for ws_p in ws for w in ws_p]
    sizes = [pop.k for pop in game.populations]

    def to_state(v):
        out, a = [], 0
        for k in sizes:
            z = np.append(np.asarray(v[a:a + k - 1], dtype=float), 0.0)
            e = np.exp(z - z.max())
            out.append(tuple(float(t) for t in e / e.sum()))
            a += k - 1
        return tuple(out)

    def to_w(red):
        out, a = [], 0
        for k in sizes:
            r = np.asarray(red[a:a + k - 1], dtype=float)
            last = max(1.0 - float(np.sum(r)), 1e-300)
            out += list(np.log(np.maximum(r, 1e-300) / last))
            a += k - 1
        return out

    return eqs, unknowns, to_state, to_w
