r"""The logit quantal response equilibrium path, followed from large to small noise.

A *logit QRE* at noise :math:`\eta > 0` is a state with
:math:`x_p = \operatorname{softmax}(u_p(x)/\eta)` for every population (McKelvey & Palfrey
1995), i.e. a rest point of the logit dynamics.  For large :math:`\eta` it is unique and near
the uniform mix; the *principal branch* is the connected curve of QRE that starts there.
McKelvey & Palfrey (1995, Thm 1 and sec. 3) show that for generic games it is a smooth curve
(possibly with turning points in :math:`\eta`) whose limit as :math:`\eta \to 0` is a Nash
equilibrium, the *logit solution*: tracing it selects one equilibrium.  Turocy (2005) traces it
by predictor-corrector continuation; so does Gambit's ``logit`` solver.

**Continuation.**  With :math:`t = -\log \eta` and :math:`\sigma(t, x) = \operatorname{softmax}
(e^t u(x))`, the branch is the zero set of :math:`H(z) = x - \sigma(t, x)` in reduced
coordinates, :math:`z = (x, t)`.  Its tangent :math:`\tau` spans the kernel of
:math:`DH = [I - \partial_x\sigma \;|\; -\partial_t\sigma]`, with
:math:`\partial_x \sigma = e^t(\operatorname{diag}\sigma - \sigma\sigma^\top)\,\partial_x u` and
:math:`\partial_t\sigma = (\operatorname{diag}\sigma - \sigma\sigma^\top)\, e^t u` (computed with
the maximum subtracted, so no exponential overflows).  Each step predicts
:math:`z + h\tau` and corrects by Newton's method on :math:`(H(z), \tau \cdot (z - z_{pred}))
= 0` (pseudo-arclength, Keller 1977; Allgower & Georg 1990, ch. 2), accepting a point when
:math:`\|H\|_\infty \le` ``tol``; the step grows after easy corrections and is halved after hard
ones.  Turning points (where :math:`t` reverses) are followed, not jumped, and counted.  The
path ends at :math:`\eta` = ``eta_to`` exactly (a last Newton solve at fixed :math:`\eta`).
The work is bounded by a number of steps, never a clock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..errors import GameInputError
from ..model.game import Game

__all__ = ["QREPath", "qre_path", "QRE_TOL"]

#: Residual :math:`\|x - \sigma\|_\infty` accepted on the path.
QRE_TOL = 1e-10
#: Largest continuation step (arclength in (x, -log eta)): also the sampling of the path.
H_MAX = 0.2


@dataclass(frozen=True)
class QREPath:
    """The principal branch of logit QRE, sampled along the continuation.

    Attributes
    ----------
    populations : tuple of str
    strategies : tuple of tuple of str
    eta : numpy.ndarray
        ``(m,)`` noise levels along the path (decreasing, except past a turning point).
    states : numpy.ndarray
        ``(m, N)`` full shares at those noise levels.
    tolerance : float
        Largest residual :math:`\\|x - \\mathrm{softmax}(u(x)/\\eta)\\|_\\infty` accepted.
    turning_points : int
        How many times :math:`\\eta` reversed along the branch.
    reached : bool
        Whether the path reached ``eta_to`` within the step budget.
    limit : tuple of tuple of float or None
        The Nash equilibrium (a replicator rest point with ``nash``) nearest to the last state.
    limit_distance : float
        Sup-norm distance from the last state to :attr:`limit`.
    method : str

    Examples
    --------
    >>> path = qre_path(Game.builtin("matching_pennies"), 10.0, 0.01)
    >>> path.reached, path.limit, path.limit_distance < 1e-9
    (True, ((0.5, 0.5), (0.5, 0.5)), True)
    """

    populations: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    eta: np.ndarray
    states: np.ndarray
    tolerance: float
    turning_points: int
    reached: bool
    limit: tuple | None
    limit_distance: float
    method: str = "pseudo-arclength predictor-corrector in (x, -log eta)"

    def shares(self, population: str) -> np.ndarray:
        """``(m, k)`` shares of one population along the path.

        Parameters
        ----------
        population : str

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> path = qre_path(Game.builtin("matching_pennies"), 10.0, 1.0)
        >>> path.shares("row").shape[1]
        2
        """
        if population not in self.populations:
            raise GameInputError(f"unknown population {population!r}: use one of "
                                 f"{', '.join(self.populations)}")
        p = self.populations.index(population)
        a = sum(len(s) for s in self.strategies[:p])
        return self.states[:, a:a + len(self.strategies[p])]


class _Field:
    """H(x, t) and its derivatives, numerically stable."""

    def __init__(self, game: Game) -> None:
        from ..dynamics.replicator import replicator_system

        system = replicator_system(game, numeric=True)
        self.variables = system.flat_variables
        self.sizes = [pop.k for pop in game.populations]
        flat_u = [sp.sympify(e) for row in system.payoffs for e in row]
        self.u = sp.lambdify(self.variables, flat_u, "numpy")
        du = [[sp.diff(e, v) for v in self.variables] for e in flat_u]
        self.du = sp.lambdify(self.variables, du, "numpy")
        self.n = len(self.variables)

    def full(self, x: np.ndarray) -> np.ndarray:
        out, a = [], 0
        for k in self.sizes:
            out += list(x[a:a + k - 1]) + [1.0 - float(np.sum(x[a:a + k - 1]))]
            a += k - 1
        return np.array(out)

    def parts(self, z: np.ndarray):
        x, t = z[:-1], z[-1]
        u = np.asarray(self.u(*x), dtype=float)
        du = np.asarray(self.du(*x), dtype=float).reshape(len(u), self.n)
        lam = np.exp(t)
        H = np.empty(self.n)
        DH = np.zeros((self.n, self.n + 1))
        a = b = 0  # a: full index, b: reduced index
        for k in self.sizes:
            v = lam * u[a:a + k]
            s = np.exp(v - v.max())
            s /= s.sum()
            C = np.diag(s) - np.outer(s, s)
            dsx = lam * C @ du[a:a + k]
            dst = C @ v
            for i in range(k - 1):
                H[b + i] = z[b + i] - s[i]
                DH[b + i, :self.n] = -dsx[i]
                DH[b + i, b + i] += 1.0
                DH[b + i, self.n] = -dst[i]
            a += k
            b += k - 1
        return H, DH


def _newton_fixed_t(field: _Field, x: np.ndarray, t: float, tol: float,
                    iterations: int = 50) -> tuple[np.ndarray, bool]:
    for _ in range(iterations):
        H, DH = field.parts(np.append(x, t))
        if np.max(np.abs(H)) <= tol:
            return x, True
        try:
            step = np.linalg.solve(DH[:, :-1], -H)
        except np.linalg.LinAlgError:
            return x, False
        x = x + step
    H, _ = field.parts(np.append(x, t))
    return x, bool(np.max(np.abs(H)) <= tol)


def _tangent(DH: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    _, _, vt = np.linalg.svd(DH)
    tau = vt[-1]
    if previous is None:
        return tau if tau[-1] > 0 else -tau
    return tau if tau @ previous >= 0 else -tau


def qre_path(game: Game, eta_from: float = 100.0, eta_to: float = 1e-3, *,
             tol: float = QRE_TOL, max_steps: int = 5000, nash=None) -> QREPath:
    """Follow the principal branch of logit QRE from ``eta_from`` down to ``eta_to``.

    Parameters
    ----------
    game : Game
        Every parameter needs a value.
    eta_from, eta_to : float
        Start (large noise, near the uniform mix) and end of the path, ``eta_from > eta_to > 0``.
    tol : float
        Residual accepted at every point of the path.
    max_steps : int
        Work budget (continuation steps); the result says whether ``eta_to`` was reached.
    nash : sequence of states, optional
        The Nash equilibria to name the limit (default: the replicator analysis' Nash points).

    Returns
    -------
    QREPath

    Raises
    ------
    GameInputError
        For noise levels out of order or not positive.

    Examples
    --------
    McKelvey & Palfrey's (1995, sec. 4) asymmetric matching pennies (row earns 9 at (L, L) and 1
    at (R, R), column earns 1 on a mismatch): the unique Nash equilibrium is
    ((1/2, 1/2), (1/10, 9/10)), and on the way there the row player plays L more than half the
    time:

    >>> amp = Game.from_table("amp", [("row", ["L", "R"]), ("column", ["L", "R"])],
    ...     {("L", "L"): (9, 0), ("L", "R"): (0, 1), ("R", "L"): (0, 1), ("R", "R"): (1, 0)})
    >>> path = qre_path(amp, 100.0, 1e-4)
    >>> path.limit, path.limit_distance < 1e-3, bool(path.shares("row")[1:-1, 0].max() > 0.6)
    (((0.5, 0.5), (0.1, 0.9)), True, True)
    """
    from ..errors import ParameterError

    try:
        ok = 0 < float(eta_to) < float(eta_from) and np.isfinite(float(eta_from))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise GameInputError(f"qre_path: need eta_from > eta_to > 0; got eta_from={eta_from!r}, "
                             f"eta_to={eta_to!r}")
    if not game.is_numeric:
        raise ParameterError("qre_path needs a value for every parameter (free: "
                             + ", ".join(str(p) for p in game.free_parameters) + ")")
    field = _Field(game)
    t0, t1 = -np.log(float(eta_from)), -np.log(float(eta_to))
    x0 = np.array([1.0 / k for k in field.sizes for _ in range(k - 1)])
    x0, conv = _newton_fixed_t(field, x0, t0, tol)
    if not conv:
        raise GameInputError(f"qre_path: no QRE found near the uniform mix at eta_from="
                             f"{eta_from}; start at a larger eta")
    z = np.append(x0, t0)
    points = [z.copy()]
    tau = None
    h = 0.05
    turning = 0
    reached = False
    for _ in range(int(max_steps)):
        _, DH = field.parts(z)
        new_tau = _tangent(DH, tau)
        if tau is not None and np.sign(new_tau[-1]) != np.sign(tau[-1]) and new_tau[-1] != 0:
            turning += 1
        tau = new_tau
        while True:
            pred = z + h * tau
            w = pred.copy()
            done = False
            for it in range(8):
                H, DH = field.parts(w)
                if np.max(np.abs(H)) <= tol and it > 0:
                    done = True
                    break
                A = np.vstack([DH, tau])
                rhs = -np.append(H, tau @ (w - pred))
                try:
                    w = w + np.linalg.solve(A, rhs)
                except np.linalg.LinAlgError:
                    break
            if done and np.linalg.norm(w - pred) <= 0.5 * h + 1e-12:
                break
            h /= 2
            if h < 1e-10:
                raise GameInputError("qre_path: the continuation step fell below 1e-10 "
                                     "(a singular point of the branch); try other eta bounds")
        if it <= 2:
            h = min(1.5 * h, H_MAX)
        if w[-1] >= t1:
            # the end point: a Newton solve at eta_to from the interpolated state
            frac = (t1 - z[-1]) / (w[-1] - z[-1])
            x_end, conv = _newton_fixed_t(field, z[:-1] + frac * (w[:-1] - z[:-1]), t1, tol)
            if conv:
                points.append(np.append(x_end, t1))
                reached = True
                break
        z = w
        points.append(z.copy())
    zs = np.array(points)
    states = np.array([field.full(p[:-1]) for p in zs])
    eta = np.exp(-zs[:, -1])
    if nash is None:
        from ..dynamics.field import REPLICATOR
        from .equilibria import analyze

        nash = [r.state for r in analyze(game, dynamics=REPLICATOR).rest_points if r.nash]
    limit, dist = None, float("inf")
    for st in nash:
        flat = np.array([v for row in st for v in row], dtype=float)
        d = float(np.max(np.abs(flat - states[-1])))
        if d < dist:
            limit, dist = tuple(tuple(float(v) for v in row) for row in st), d
    return QREPath(tuple(p.name for p in game.populations),
                   tuple(tuple(p.strategies) for p in game.populations), eta, states,
                   float(tol), turning, reached, limit, dist)
