"""Trajectories and vector-field samples that the figures draw (the figures never compute).

Trajectories come from the numeric engine (:func:`gametheory_regen.dynamics.kernels.integrate_pieces`
on the game's payoff tensors, with error control ``rtol = 1e-8``) under the game's dynamics
(:attr:`~gametheory_regen.model.game.Game.dynamics`); the phase plane's vector field is the
replicator right-hand side, lambdified once per system (:func:`rhs_function`), or under another
dynamics the engine's numeric field (:func:`gametheory_regen.dynamics.field.velocity_np` of the
expected payoffs), sampled on a grid; its trajectories are integrated with
:func:`scipy.integrate.solve_ivp` on the slice. Re-exported by
:mod:`gametheory_regen.analysis.portraits`.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

__all__ = ["log_times", "parameter_trajectories", "plane_samples", "rhs_function",
           "trajectories"]


def log_times(t_end: float, n: int = 400) -> np.ndarray:
    """Output times dense near 0 and spread to ``t_end`` (fast and slow phases both visible).

    Parameters
    ----------
    t_end : float
    n : int
        About this many times (linear and geometric halves, merged).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> t = log_times(10.0, 8)
    >>> float(t[0]), float(t[-1]), bool(np.all(np.diff(t) > 0))
    (0.0, 10.0, True)
    """
    half = max(2, n // 2)
    return np.unique(np.concatenate([np.linspace(0.0, t_end, half),
                                     np.geomspace(t_end * 1e-4, t_end, half)]))


def trajectories(game, starts, t_end: float, t_out=None, payoffs=None) -> np.ndarray:
    """Trajectories ``(m, T, N)`` from full-share starts ``(m, N)`` with the numeric engine.

    Parameters
    ----------
    game : Game
        Every parameter with a value.
    starts : array_like
        ``(m, N)`` full shares.
    t_end : float
    t_out : array_like, optional
        Output times (default :func:`log_times`).
    payoffs : array_like, optional
        ``(P, n, k...)`` payoff tensors, one per trajectory (default: the game's own).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> traj = trajectories(gr.Game.builtin("hawk_dove"), [[0.6, 0.4, 0.4, 0.6]], 5.0,
    ...                     t_out=[0.0, 5.0])
    >>> traj.shape
    (1, 2, 4)
    """
    from ..dynamics.kernels import Piece, integrate_pieces
    from ..dynamics.numeric import (
        expected_payoff_function,
        needs_expected_payoffs,
        payoff_tensor,
    )

    counts = tuple(pop.k for pop in game.populations)
    n = game.n_populations
    t_out = log_times(t_end) if t_out is None else np.asarray(t_out, dtype=float)
    if payoffs is None and needs_expected_payoffs(game):
        piece = Piece(0.0, float(t_end), np.zeros((1, n, int(np.prod(counts)))),
                      expected_at=expected_payoff_function(game))
    else:
        if payoffs is None:
            payoffs = payoff_tensor(game)[None]
        pay = np.ascontiguousarray(np.asarray(payoffs, dtype=float).reshape(len(payoffs), n,
                                                                               -1))
        piece = Piece(0.0, float(t_end), pay)
    res = integrate_pieces([piece], np.asarray(starts, dtype=float),
                           counts, t_out=t_out, backend="numpy", settle_tol=1e-12,
                           dynamics=game.dynamics)
    return res.output


def parameter_trajectories(game, parameter: str, values, x0, t_end: float, schedules=None,
                           n_points: int = 401):
    """One trajectory from ``x0`` per value of ``parameter`` (with the game's schedules, if any).

    Parameters
    ----------
    game : Game
    parameter : str
    values : sequence of float
    x0 : array_like
        ``(N,)`` full shares.
    t_end : float
    schedules : sequence of Schedule, optional
    n_points : int

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Output times ``(T,)`` and trajectories ``(len(values), T, N)``.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> t, traj = parameter_trajectories(gr.Game.builtin("hawk_dove"), "V", [1.0, 3.0],
    ...                                  [0.5, 0.5, 0.5, 0.5], 5.0, n_points=11)
    >>> t.shape, traj.shape
    ((11,), (2, 11, 4))
    """
    from ..dynamics.numeric import payoff_function

    values = [float(v) for v in values]
    names, f = payoff_function(game)
    base = np.array([[float(game.values.get(n, 0.0)) for n in names]] * len(values))
    base[:, names.index(parameter)] = values
    t_out = np.linspace(0.0, t_end, int(n_points))
    starts = np.repeat(np.asarray(x0, dtype=float)[None], len(values), axis=0)
    if schedules:
        from ..dynamics.kernels import integrate_pieces
        from ..dynamics.schedules import payoff_pieces

        def flat(v):
            return f(v).reshape(len(v), game.n_populations, -1)

        pieces = payoff_pieces(flat, names, base, list(schedules), 0.0, t_end)
        counts = tuple(pop.k for pop in game.populations)
        traj = integrate_pieces(pieces, starts, counts, t_out=t_out, backend="numpy",
                                rtol=1e-8, atol=1e-10, settle_tol=0.0,
                                dynamics=game.dynamics).output
    else:
        traj = trajectories(game, starts, t_end, t_out=t_out, payoffs=f(base))
    return t_out, traj


_RHS_CACHE: dict = {}


def rhs_function(game):
    """``(flat_variables, f)``: the numeric reduced right-hand side, lambdified once per system.

    Parameters
    ----------
    game : Game

    Returns
    -------
    (tuple of sympy.Symbol, callable)

    Under a dynamics other than the replicator (:attr:`Game.dynamics`), the engine's numeric
    field in the same reduced coordinates (nothing is lambdified).

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> variables, f = rhs_function(gr.Game.builtin("hawk_dove"))
    >>> [str(v) for v in variables], [float(v) for v in f(0.5, 0.5)]
    (['x', 'y'], [0.0, 0.0])
    >>> _, f = rhs_function(gr.Game.builtin("hawk_dove").with_dynamics("logit,temperature=1"))
    >>> [round(float(v), 6) for v in f(0.5, 0.5)]      # softmax of equal payoffs: 1/2
    [0.0, 0.0]
    """
    import weakref

    from ..dynamics.replicator import replicator_system

    if game.dynamics.kind != "replicator":
        return _numeric_rhs(game)

    system = replicator_system(game, numeric=True)
    key = id(system)
    held = _RHS_CACHE.get(key)
    if held is None or held[0]() is not system:
        raw = sp.lambdify(list(system.flat_variables), list(system.rhs), modules="numpy")
        held = (weakref.ref(system), (system.flat_variables, raw))
        _RHS_CACHE[key] = held
    return held[1]


def _numeric_rhs(game):
    """``(flat_variables, f)`` of the engine's field under the game's (non-replicator) dynamics:
    ``f(*reduced)`` returns the velocities of the reduced coordinates."""
    from ..dynamics.field import expected_payoffs_np, velocity_np
    from ..dynamics.kernels import layout_of
    from ..dynamics.numeric import (
        expected_payoff_function,
        needs_expected_payoffs,
        payoff_tensor,
    )
    from ..dynamics.replicator import replicator_system

    variables = replicator_system(game, numeric=True).flat_variables
    counts = tuple(pop.k for pop in game.populations)
    lay = layout_of(counts)
    dyn = game.dynamics
    if needs_expected_payoffs(game):
        fn = expected_payoff_function(game)

        def payoffs(x):
            return fn(0.0, x, np.zeros(x.shape[0], dtype=np.int64))
    else:
        pay = payoff_tensor(game).reshape(1, len(counts), -1)
        gather = lay.gather

        def payoffs(x):
            return expected_payoffs_np(x, pay, lay.counts, gather)

    cols = [int(lay.offsets[p]) + i for p, k in enumerate(counts) for i in range(k - 1)]

    def f(*reduced):
        arrays = np.broadcast_arrays(*[np.asarray(r, dtype=float) for r in reduced])
        shape = arrays[0].shape
        flat = [a.ravel() for a in arrays]
        x = np.empty((flat[0].size, lay.n_state))
        j = 0
        for p, k in enumerate(counts):
            a = int(lay.offsets[p])
            rest = np.ones(flat[0].size)
            for i in range(k - 1):
                x[:, a + i] = flat[j]
                rest = rest - flat[j]
                j += 1
            x[:, a + k - 1] = rest
        v = velocity_np(x, payoffs(x), lay.offsets, dyn.code, dyn.param)
        return [v[:, c].reshape(shape) for c in cols]

    return variables, f


def plane_samples(game, free_symbols, constants: dict, starts, t_end: float, n: int = 41,
                  n_fine: int = 200) -> dict:
    """Vector field, payoff-difference grids and trajectories on a 2-D slice of the state space.

    Parameters
    ----------
    game : Game
    free_symbols : (str, str)
        The two free share variables (two-strategy populations).
    constants : dict of str to float
        Every other share variable, held fixed.
    starts : array_like
        ``(m, 2)`` starting points on the slice.
    t_end : float
    n, n_fine : int
        Grid sizes of the vector field and of the nullcline grids.

    Returns
    -------
    dict
        ``X, Y, U, V`` (the field on an ``n x n`` grid), ``Xi, Yi, Gx, Gy`` (the payoff
        differences on a fine interior grid: their zero sets are the interior nullclines; under
        a dynamics other than the replicator, the velocities themselves, whose zero sets are
        the nullclines) and
        ``paths`` (``(T, 2)`` per start, from ``solve_ivp`` on the slice).

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> d = plane_samples(gr.Game.builtin("hawk_dove"), ("x", "y"), {}, [[0.2, 0.7]], 5.0,
    ...                   n=5, n_fine=9)
    >>> d["U"].shape, len(d["paths"])
    ((5, 5), 1)
    """
    from scipy.integrate import solve_ivp

    variables, raw = rhs_function(game)
    names = [str(v) for v in variables]
    index = {nm: i for i, nm in enumerate(names)}
    ix, iy = index[free_symbols[0]], index[free_symbols[1]]

    def F(X, Y):
        X = np.asarray(X, dtype=float)
        args = [np.zeros_like(X)] * len(names)
        for nm, v in constants.items():
            args[index[nm]] = np.full_like(X, v)
        args[ix], args[iy] = X, np.asarray(Y, dtype=float)
        out = raw(*args)
        U = np.broadcast_to(np.asarray(out[ix], dtype=float), X.shape)
        V = np.broadcast_to(np.asarray(out[iy], dtype=float), X.shape)
        return U, V

    g = np.linspace(0.0, 1.0, n)
    X, Y = np.meshgrid(g, g)
    U, V = F(X, Y)
    eps = 1e-3
    gi = np.linspace(eps, 1 - eps, n_fine)  # no grid point on x = 1/2, where noise would wiggle
    Xi, Yi = np.meshgrid(gi, gi)
    Ui, Vi = F(Xi, Yi)

    def f(t, y):
        u, v = F(np.array(y[0]), np.array(y[1]))
        return [float(u), float(v)]

    paths = []
    for s in np.asarray(starts, dtype=float):
        sol = solve_ivp(f, (0.0, t_end), list(s), t_eval=log_times(t_end, 300), rtol=1e-8,
                        atol=1e-10)
        paths.append(np.clip(sol.y.T, 0.0, 1.0))
    if game.dynamics.kind != "replicator":  # no factor x(1 - x) to divide out
        return {"X": X, "Y": Y, "U": U, "V": V, "Xi": Xi, "Yi": Yi, "Gx": Ui, "Gy": Vi,
                "paths": paths}
    return {"X": X, "Y": Y, "U": U, "V": V, "Xi": Xi, "Yi": Yi,
            "Gx": Ui / (Xi * (1 - Xi)), "Gy": Vi / (Yi * (1 - Yi)), "paths": paths}


