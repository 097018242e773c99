r"""Delayed replicator dynamics: simulations and the critical delay (sweeps:
:mod:`gametheory_regen.analysis.delay_sweep`).

Mathematics
-----------
With payoffs read from the state :math:`\tau` ago (Contract 4),
:math:`\dot x_{pi}(t) = x_{pi}(t)(u_{pi}(x(t-\tau)) - \sum_j x_{pj}(t) u_{pj}(x(t-\tau)))`,
integrated by :func:`gametheory_regen.dynamics.delay.integrate_delayed` (method of steps).

*Vertices.* At a vertex the factor :math:`x_{pj}` of every deviation vanishes, so the
linearisation is :math:`\dot\xi_{pj} = (u_{pj}(v) - u_{ps}(v))\,\xi_{pj}` with no delayed term:
a delay never changes which vertices are asymptotically stable (the strict Nash ones).

*The critical delay of an interior rest point* (one population, two strategies). Write
:math:`x` for the first strategy's share and :math:`D(x) = u_1(x) - u_2(x)` its payoff
advantage; the delayed replicator is :math:`\dot x(t) = x(t)(1 - x(t))\,D(x(t - \tau))`. At an
interior rest point :math:`x^*` (:math:`D(x^*) = 0`), with :math:`\xi = x - x^*`, the terms
:math:`\xi(t) D(x^*)` vanish and the linearisation is

.. math:: \dot\xi(t) = -a\,\xi(t - \tau), \qquad a = -x^*(1 - x^*)\,D'(x^*).

Its characteristic equation :math:`\lambda + a e^{-\lambda\tau} = 0` has all roots in the left
half plane iff :math:`0 < a\tau < \pi/2` (Hayes 1950, Theorem; Hale & Verduyn Lunel 1993,
sec. 5.2): a root :math:`\lambda = i\omega` needs :math:`\omega = a` and
:math:`\cos(a\tau) = 0`, first at :math:`a\tau = \pi/2`, where a pair crosses to the right with
positive speed. So for :math:`a > 0` the rest point is asymptotically stable for
:math:`\tau < \tau_c = \pi / (2a)` and unstable for :math:`\tau > \tau_c`, where a Hopf
bifurcation makes the shares oscillate (Yi & Zuwang 1997, "Effect of time delay and
evolutionarily stable strategy", J. theor. Biol. 187, 111-116, for hawk-dove). For hawk-dove
with :math:`V < C` (payoffs :math:`(V-C)/2, V; 0, V/2`), :math:`D(x) = (V - Cx)/2`,
:math:`x^* = V/C` and :math:`a = V(C - V)/(2C)`, so :math:`\tau_c = \pi C / (V (C - V))`.
The rightmost root itself is :math:`\lambda = W_0(-a\tau)/\tau` (Lambert's W, principal
branch; Shinozaki & Mori 2006), used by the tests to predict growth and decay rates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gametheory_regen.errors import GameInputError

__all__ = ["CriticalDelay", "critical_delay", "simulate_delayed", "check_replicator"]

HAYES = "Hayes (1950); Yi & Zuwang (1997), J. theor. Biol. 187, 111-116"


@dataclass(frozen=True)
class CriticalDelay:
    """The delay at which a two-strategy population's interior rest point loses stability.

    Attributes
    ----------
    tau_c : float or None
        :math:`\\pi / (2a)`; ``None`` where the closed form does not apply.
    exact : str or None
        ``tau_c`` as an exact sympy expression (text), where the rest point is exact.
    a : float or None
        The coefficient of :math:`\\dot\\xi(t) = -a\\,\\xi(t-\\tau)`.
    rest_point : float or None
        :math:`x^*`, the first strategy's share at the interior rest point.
    reason : str
        Why ``tau_c`` is ``None`` (empty when it applies).
    source : str
        Where the criterion comes from.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> cd = critical_delay(gr.Game.symmetric("hd", ["hawk", "dove"], [[-1, 2], [0, 1]]))
    >>> cd.exact, round(cd.tau_c, 6), cd.a, cd.rest_point
    ('pi', 3.141593, 0.5, 0.5)
    """

    tau_c: float | None
    exact: str | None
    a: float | None
    rest_point: float | None
    reason: str
    source: str = HAYES

    @property
    def applies(self) -> bool:
        """True when the closed form gives a critical delay.

        >>> CriticalDelay(None, None, None, None, "two populations").applies
        False
        """
        return self.tau_c is not None


def critical_delay(game) -> CriticalDelay:
    """Closed-form critical delay of a single-population, two-strategy game's interior rest point.

    Parameters
    ----------
    game : Game
        A single-population game with two strategies and a number for every parameter.

    Returns
    -------
    CriticalDelay
        ``tau_c = pi / (2 a)`` with ``a = -x*(1-x*) D'(x*)`` (see the module docstring), or
        ``tau_c = None`` with a reason: not one population of two strategies, no or several
        interior rest points, a continuum, or ``a <= 0`` (unstable or non-hyperbolic without
        delay).

    Examples
    --------
    Hawk-dove with V = 2, C = 6: ``x* = 1/3``, ``a = V(C - V)/(2C) = 2/3``, so
    ``tau_c = 3 pi / 4``:

    >>> import gametheory_regen as gr
    >>> hd = gr.Game.symmetric("hd", ["hawk", "dove"], [[-2, 2], [0, 1]])
    >>> cd = critical_delay(hd)
    >>> cd.exact, cd.rest_point, cd.a
    ('3*pi/4', 0.3333333333333333, 0.6666666666666666)

    A coordination game's interior point is unstable without delay:

    >>> critical_delay(gr.Game.symmetric("c", ["a", "b"], [[1, 0], [0, 1]])).reason
    'the interior rest point x* = 1/2 is unstable without delay (a = -1/2 < 0)'
    >>> critical_delay(gr.Game.builtin("hawk_dove")).reason
    'the closed form is for one population with two strategies; this game has 2 populations'
    """
    import sympy as sp

    from gametheory_regen.dynamics.replicator import expected_payoffs, state_symbols

    pops = game.populations
    if len(pops) != 1 or pops[0].k != 2:
        what = (f"{len(pops)} populations" if len(pops) != 1
                else f"{pops[0].k} strategies")
        return CriticalDelay(None, None, None, None, "the closed form is for one population "
                             f"with two strategies; this game has {what}")
    if not game.is_numeric:
        return CriticalDelay(None, None, None, None, "parameters without values: " + ", ".join(
            str(p) for p in game.free_parameters))
    (x,), = state_symbols(game)
    (u1, u2), = expected_payoffs(game, numeric=True)
    D = sp.simplify(sp.sympify(u1) - sp.sympify(u2))
    if D == 0:
        return CriticalDelay(None, None, None, None, "every state is a rest point (the two "
                             "strategies always earn the same)")
    try:
        roots = sp.solveset(sp.Eq(D, 0), x, domain=sp.Interval.open(0, 1))
    except Exception:  # noqa: BLE001  (sympy raises many kinds on hard equations)
        roots = None
    if roots is sp.S.EmptySet:
        pts = []
    elif isinstance(roots, sp.FiniteSet):
        pts = list(roots)
    else:
        return CriticalDelay(None, None, None, None, "the interior rest points could not be "
                             "found exactly")
    if len(pts) != 1:
        return CriticalDelay(None, None, None, None, f"the closed form needs a single interior "
                             f"rest point; this game has {len(pts)}")
    xs = pts[0]
    a = sp.simplify(-xs * (1 - xs) * sp.diff(D, x).subs(x, xs))
    if not a.is_real or a.is_positive is None:
        af = float(sp.N(a, 30))
        a = sp.Float(af)
    if not a.is_positive:
        word = "non-hyperbolic" if a == 0 else "unstable"
        return CriticalDelay(None, None, float(a), float(xs),
                             f"the interior rest point x* = {sp.sstr(xs)} is {word} without "
                             f"delay (a = {sp.sstr(a)}{' < 0' if a != 0 else ''})")
    tau = sp.pi / (2 * a)
    return CriticalDelay(float(sp.N(tau, 30)), sp.sstr(tau), float(sp.N(a, 30)),
                         float(sp.N(xs, 30)), "")


def check_replicator(dynamics, where: str = "delay") -> None:
    """Refuse a delay with a dynamics other than the replicator (Contract 4).

    Parameters
    ----------
    dynamics : Dynamics, str or None
        ``None`` or the replicator pass.
    where : str

    Raises
    ------
    GameInputError

    Examples
    --------
    >>> check_replicator(None)
    >>> check_replicator("logit,temperature=0.1", "--delay")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --delay is for the replicator dynamics; got 'logit' (drop --delay or use --dynamics replicator)
    """  # noqa: E501
    if dynamics is None:
        return
    kind = getattr(dynamics, "kind", None)
    if kind is None:
        kind = str(dynamics).split(",")[0].strip()
    if kind != "replicator":
        raise GameInputError(f"{where} is for the replicator dynamics; got {kind!r} (drop "
                             f"{where} or use --dynamics replicator)")


def _numeric_parts(game):
    """(payoffs_at callable, radii (1, K) or None, counts, pops, strats, values)."""
    from gametheory_regen.analysis.batch import _game_numeric
    from gametheory_regen.dynamics.delay import tensor_payoffs
    from gametheory_regen.dynamics.kernels import check_payoffs, vertex_boxes
    from gametheory_regen.dynamics.numeric import expected_payoff_function

    pay, _names, values, _fn, pops, strats = _game_numeric(game)
    counts = tuple(len(s) for s in strats)
    if pay is None:
        return expected_payoff_function(game), None, counts, pops, strats, values
    pay = np.asarray(pay, dtype=float)[None]
    check_payoffs(pay)
    return tensor_payoffs(pay, counts), vertex_boxes(pay, counts), counts, pops, strats, values


def _scheduled_payoffs(game, schedules, values, counts, t_end):
    """``(pieces [(t_start, t_stop, payoffs_at)], radii of a constant last piece or None,
    schedules)`` of a game whose parameters follow schedules."""
    from gametheory_regen.analysis.batch import (
        _as_schedules,
        _bind_schedules,
        _expected_schedule_pieces,
    )
    from gametheory_regen.dynamics.delay import tensor_payoffs
    from gametheory_regen.dynamics.field import expected_payoffs_np
    from gametheory_regen.dynamics.kernels import layout_of, vertex_boxes
    from gametheory_regen.dynamics.numeric import needs_expected_payoffs, payoff_function
    from gametheory_regen.dynamics.schedules import payoff_pieces

    if not hasattr(game, "schedules"):
        raise GameInputError("schedules need a Game (parameter names), not a payoff array")
    scheds = _bind_schedules(game, _as_schedules(schedules), values, t_end)
    if needs_expected_payoffs(game):
        return ([(pc.t_start, pc.t_stop, pc.expected_at)
                 for pc in _expected_schedule_pieces(game, scheds, t_end)], None, scheds)
    names, fn = payoff_function(game)
    base = np.array([[values[n] for n in names]])
    lay = layout_of(counts)
    n, K = lay.n_pops, lay.n_profiles
    gather = lay.gather
    out = []
    pieces = payoff_pieces(fn, names, base, scheds, 0.0, t_end)
    for pc in pieces:
        if pc.payoff_at is not None:

            def u(t, z, rows, _pc=pc):
                tt = np.broadcast_to(np.asarray(t, dtype=float), (z.shape[0],))
                pay = np.asarray(_pc.payoff_at(tt, rows), dtype=float).reshape(-1, n, K)
                return expected_payoffs_np(z, pay, lay.counts, gather)
        elif pc.slope is not None:
            A, B = pc.payoffs.reshape(1, n, K), pc.slope.reshape(1, n, K)

            def u(t, z, rows, _A=A, _B=B, _a=pc.t_start):
                tt = np.broadcast_to(np.asarray(t, dtype=float), (z.shape[0],))
                return expected_payoffs_np(z, _A + (tt - _a)[:, None, None] * _B, lay.counts,
                                           gather)
        else:
            u = tensor_payoffs(pc.payoffs, counts)
        out.append((pc.t_start, pc.t_stop, u))
    last = pieces[-1]
    radii = vertex_boxes(last.payoffs, counts) if last.constant else None
    return out, radii, scheds


def simulate_delayed(game, initial, t_end: float = 50.0, tau: float = 0.0, *, schedules=None,
                     n_points: int = 201, t_eval=None, integrator=None, dynamics=None,
                     **settings):
    """Simulate one trajectory of the delayed replicator (``tau = 0``: :func:`~gametheory_regen.
    analysis.batch.simulate` itself).

    Parameters
    ----------
    game : Game or array_like
        As :func:`~gametheory_regen.analysis.batch.simulate`.
    initial : array_like or mapping
        The starting state, also the history on ``[-tau, 0]``.
    t_end : float
    tau : float
        The delay (``>= 0``).
    schedules : sequence, optional
        Time-varying parameters (piecewise or expressions in ``t``; default: none). Their
        breakpoints, and every breakpoint plus a multiple of ``tau``, are restarts; with
        payoffs changing in time there are no early stops.
    n_points : int
    t_eval : array_like, optional
    integrator : Integrator, optional
    dynamics : Dynamics, optional
        Only the replicator.
    **settings
        Individual integration settings.

    Returns
    -------
    gametheory_regen.analysis.batch.Simulation
        With ``backend = "numpy"``; ``settled_state`` is a strict Nash vertex when the path
        stayed in its invariant box over a whole delay (it converges there), or a state at
        rest (speed below ``settle_tol`` over a whole delay).

    Examples
    --------
    Hawk-dove in one population (V = 2, C = 4, ``tau_c = pi``): with ``tau = 1`` the shares
    spiral into the mixed ESS ``x* = 1/2``:

    >>> import gametheory_regen as gr
    >>> hd = gr.Game.symmetric("hd", ["hawk", "dove"], [[-1, 2], [0, 1]])
    >>> sim = simulate_delayed(hd, [0.8, 0.2], 60.0, 1.0, n_points=4)
    >>> sim.times.tolist(), round(float(sim.states[-1, 0]), 6)
    ([0.0, 20.0, 40.0, 60.0], 0.5)
    """
    from gametheory_regen.analysis.batch import Simulation, initial_states, simulate, vertex_states
    from gametheory_regen.analysis.batch_simulate import output_times
    from gametheory_regen.dynamics.delay import check_delay, integrate_delayed
    from gametheory_regen.dynamics.integrator import as_integrator
    from gametheory_regen.dynamics.kernels import SETTLED, box_vertex

    tau = check_delay(tau)
    check_replicator(dynamics)
    if tau == 0:
        return simulate(game, initial, t_end, schedules=schedules, n_points=n_points,
                        t_eval=t_eval, integrator=integrator, dynamics=dynamics, **settings)
    if not (np.isfinite(t_end) and t_end > 0):
        raise GameInputError(f"t_end must be a positive number; got {t_end}")
    integ = as_integrator(integrator, **settings)
    u, radii, counts, pops, strats, values = _numeric_parts(game)
    scheds = ()
    if schedules:
        u, radii, scheds = _scheduled_payoffs(game, schedules, values, counts, float(t_end))
    x0 = initial_states(initial, counts, pops, strats)
    if x0.shape[0] != 1:
        raise GameInputError(f"simulate takes one starting state; got {x0.shape[0]}")
    times = output_times(t_end, n_points, t_eval)
    res = integrate_delayed(u, x0, counts, tau, float(t_end), integrator=integ, t_out=times,
                            payoff_index=np.zeros(1, dtype=np.int64), radii=radii,
                            time_varying=bool(scheds))
    states = res.output[0]
    settled_time, settled_state, settled_by = None, None, None
    if res.status[0] == SETTLED:
        settled_time, settled_state = float(res.time[0]), res.state[0].copy()
        settled_by = "speed"
    elif res.vertex[0] >= 0:
        vb, _ = box_vertex(states, np.repeat(radii, states.shape[0], axis=0), counts)
        outside = np.flatnonzero(vb != res.vertex[0])
        first = 0 if outside.size == 0 else int(outside[-1]) + 1
        settled_time = float(times[min(first, times.size - 1)])
        settled_state = vertex_states(counts)[res.vertex[0]]
        settled_by = "box"
    from gametheory_regen.dynamics.field import REPLICATOR

    return Simulation(
        populations=pops, strategies=strats, times=times, states=states, initial=x0[0],
        final=res.state[0], settled_time=settled_time, settled_state=settled_state,
        settled_by=settled_by, parameters=dict(values), schedules=scheds, method=integ.method,
        rtol=integ.rtol, atol=integ.atol, dt=integ.dt, t_end=float(t_end),
        settle_tol=integ.settle_tol, backend="numpy", integrator=integ, dynamics=REPLICATOR,
    )
