r"""The four questions of the Jinsong case, each computed from the two views of the model.

1. **Which package makes cooperation an ESS, and from which starts is it reached?**
   :func:`cooperation_basins`: for each scenario of the contract view ``regeneration``, whether
   :math:`C` = (enable, operate, participate) is a strict Nash equilibrium (= asymptotically
   stable vertex = ESS in a multi-population game, Selten 1980), the share of a Sobol sample of
   starting mixes that reaches it with its Wilson interval (Wilson 1927), and that share among
   the starts in each fifth of the operator's initial share.
2. **The smallest subsidy and the shortest term.** :func:`threshold_curve`: the exact critical
   value of one parameter (:func:`gametheory_regen.analysis.thresholds.threshold`) at each value
   of another, e.g. the smallest subsidy per year that keeps :math:`C` stable for each term.
3. **When the subsidy ends after year 3.** :func:`persistence_after_subsidy`: in the calendar
   view ``regeneration_calendar``, the share of starts at year 3 that end the contract (year 20)
   cooperating, for several revision rates :math:`\kappa`, with the subsidy ending (``jinsong``)
   and kept (``jinsong_subsidy_kept``).
4. **Is the 8% target consistent with the figures?** :func:`calibration_variants`: the Jinsong
   calibration under each assumption the paper leaves open, with its IRR check.

Everything is returned as frozen data; rendering is in
:mod:`gametheory_regen.presentation.questions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gametheory_regen.model.game import Game

__all__ = [
    "ScenarioBasin",
    "cooperation_basins",
    "threshold_curve",
    "PersistenceRow",
    "persistence_after_subsidy",
    "calibration_variants",
]

COOPERATION = ("enable", "operate", "participate")
STATUS_QUO = ("withhold", "stay_out", "stay_passive")


@dataclass(frozen=True)
class ScenarioBasin:
    """Stability and basin of cooperation under one scenario of the contract view.

    Attributes
    ----------
    scenario : str
    ess : bool
        :math:`C` is a strict Nash equilibrium (asymptotically stable, an ESS).
    n : int
        Number of starts.
    share, low, high : float
        Share of starts reaching :math:`C` and its Wilson interval.
    status_quo, status_quo_low, status_quo_high : float
        The same for (withhold, stay_out, stay_passive).
    not_settled : float
    by_operator_start : tuple of (float, float, float, float, int)
        For each fifth of the operator's initial share ``[lo, hi)``: lo, hi, share reaching
        :math:`C`, and the Wilson half-width, and the number of starts there.

    Examples
    --------
    >>> (row,) = cooperation_basins(["jinsong"], samples=64)
    >>> row.scenario, row.ess, row.share + row.status_quo + row.not_settled
    ('jinsong', True, 1.0)
    """

    scenario: str
    ess: bool
    n: int
    share: float
    low: float
    high: float
    status_quo: float
    status_quo_low: float
    status_quo_high: float
    not_settled: float
    by_operator_start: tuple[tuple[float, float, float, float, int], ...]


def cooperation_basins(scenarios: Sequence[str] | None = None, *, samples: int = 1024,
                       seed: int = 0, t_end: float = 200.0,
                       game: Game | None = None) -> tuple[ScenarioBasin, ...]:
    """Question 1: for each scenario, is cooperation an ESS, and how large is its basin?

    Parameters
    ----------
    scenarios : sequence of str, optional
        Default: every scenario of the model.
    samples, seed : int
        Scrambled Sobol starts (:func:`gametheory_regen.analysis.basins.sample_starts`).
    t_end : float
        Horizon in revision periods.
    game : Game, optional
        Default ``Game.builtin("regeneration")``.

    Returns
    -------
    tuple of ScenarioBasin

    Examples
    --------
    >>> (base,) = cooperation_basins(["baseline"], samples=32)
    >>> base.ess, base.share, base.status_quo
    (False, 0.0, 1.0)
    """
    from gametheory_regen.analysis.basins import sample_starts, wilson_interval
    from gametheory_regen.analysis.batch import integrate_batch, stable_vertices, vertex_states
    from gametheory_regen.dynamics.numeric import payoff_tensor

    game = Game.builtin("regeneration") if game is None else game
    names = list(game.scenarios) if scenarios is None else list(scenarios)
    counts = (2, 2, 2)
    starts = sample_starts(counts, int(samples), method="sobol", seed=seed)
    verts = vertex_states(counts)
    coop_state = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    quo_state = np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    rows = []
    for name in names:
        g = game.with_scenario(name)
        pay = payoff_tensor(g)
        stable = verts[stable_vertices(pay[None], counts)[0]]
        ess = any(np.array_equal(v, coop_state) for v in stable)
        res = integrate_batch(pay, starts, t_end, rest_points=stable, counts=counts,
                              vertex_tol=np.inf)
        reached = np.full(len(starts), -1)
        for i, v in enumerate(stable):
            reached[res.outcome == i] = (0 if np.array_equal(v, coop_state) else
                                         1 if np.array_equal(v, quo_state) else 2)
        n = len(starts)
        k_c, k_q = int(np.sum(reached == 0)), int(np.sum(reached == 1))
        (lo_c, lo_q), (hi_c, hi_q) = wilson_interval(np.array([k_c, k_q]), n)
        bins = []
        y0 = starts[:, 2]
        for lo in np.linspace(0.0, 0.8, 5):
            inside = (y0 >= lo) & (y0 < lo + 0.2)
            m = int(inside.sum())
            k = int(np.sum(reached[inside] == 0))
            blo, bhi = wilson_interval(np.array([k]), m)
            bins.append((float(lo), float(lo + 0.2), k / m if m else 0.0,
                         float(bhi[0] - blo[0]) / 2, m))
        rows.append(ScenarioBasin(name, ess, n, k_c / n, float(lo_c), float(hi_c), k_q / n,
                                  float(lo_q), float(hi_q), float(np.sum(reached < 0)) / n,
                                  tuple(bins)))
    return tuple(rows)


def threshold_curve(scenario: str, parameter: str, along: str, values: Sequence[float], *,
                    game: Game | None = None) -> tuple[tuple[float, tuple], ...]:
    """Question 2: the exact stable set of ``parameter`` for cooperation at each value of ``along``.

    Parameters
    ----------
    scenario : str
    parameter : str
        The parameter whose critical values are computed (e.g. ``"s"``).
    along : str
        The parameter set to each of ``values`` (e.g. ``"T"``).
    values : sequence of float
    game : Game, optional
        Default ``Game.builtin("regeneration")``.

    Returns
    -------
    tuple of (float, tuple of Interval)
        Each value of ``along`` with the intervals of ``parameter`` where cooperation is stable.

    Examples
    --------
    >>> ((T, stable),) = threshold_curve("jinsong", "s", "T", [12.0])
    >>> T, [(round(iv.lower, 3), round(iv.upper, 3)) for iv in stable]
    (12.0, [(2.394, 5.491)])
    """
    from gametheory_regen.analysis.thresholds import threshold

    game = (Game.builtin("regeneration") if game is None else game).with_scenario(scenario)
    coop = dict(zip((p.name for p in game.populations), COOPERATION, strict=True))
    out = []
    for v in values:
        res = threshold(game.with_values({along: v}, where=along), coop, parameter)
        out.append((float(v), tuple(res.stable_set)))
    return tuple(out)


@dataclass(frozen=True)
class PersistenceRow:
    """Question 3, one scenario and revision rate of the calendar view.

    Attributes
    ----------
    scenario : str
    kappa : float
    n : int
        Starts at year 3 (a scrambled Sobol sample of the cube of first-strategy shares).
    contract, contract_low, contract_high : float
        Share of starts whose government and operator shares are both above 0.99 at year 20
        (the contract is kept), and its Wilson interval.
    cooperation, low, high : float
        Share within 0.01 of (enable, operate, participate) in every share at year 20.
    status_quo : float
        Share within 0.01 of (withhold, stay_out, stay_passive).
    residents_up : float
        Share of starts whose residents' share is higher at year 20 than at year 3.
    median_final : tuple of float
        Median shares of enable, operate, participate at year 20.

    Examples
    --------
    >>> (row,) = persistence_after_subsidy(["jinsong"], [1.0], samples=32)
    >>> row.scenario, row.kappa, row.status_quo, row.contract
    ('jinsong', 1.0, 0.0, 1.0)
    """

    scenario: str
    kappa: float
    n: int
    contract: float
    contract_low: float
    contract_high: float
    cooperation: float
    low: float
    high: float
    status_quo: float
    residents_up: float
    median_final: tuple[float, float, float]


def persistence_after_subsidy(scenarios: Sequence[str] = ("jinsong", "jinsong_subsidy_kept"),
                              kappas: Sequence[float] = (0.03, 0.1, 0.3, 1.0), *,
                              samples: int = 256, seed: int = 0, start_year: float = 3.0,
                              game: Game | None = None) -> tuple[PersistenceRow, ...]:
    """Question 3: from which states at year 3 does the compound end the contract cooperating?

    Parameters
    ----------
    scenarios : sequence of str
        Scenarios of ``regeneration_calendar``.
    kappas : sequence of float
        Revision rates (per year per million yuan).
    samples, seed : int
    start_year : float
    game : Game, optional
        Default ``Game.builtin("regeneration_calendar")``.

    Returns
    -------
    tuple of PersistenceRow

    Examples
    --------
    Keeping the subsidy makes the government, who pays it, slower to keep enabling:

    >>> ends, kept = persistence_after_subsidy(kappas=[0.1], samples=32)
    >>> (ends.scenario, ends.contract), (kept.scenario, kept.contract < ends.contract)
    (('jinsong', 1.0), ('jinsong_subsidy_kept', True))
    """
    from gametheory_regen.analysis.basins import wilson_interval
    from gametheory_regen.domain.calendar import basins_from_year

    game = Game.builtin("regeneration_calendar") if game is None else game
    rows = []
    for name in scenarios:
        for kappa in kappas:
            g = game.with_scenario(name).with_values({"kappa": kappa}, where="kappa")
            res = basins_from_year(g, start_year, samples=samples, seed=seed)
            n = len(res.starts)
            kept = int(np.sum(np.all(res.finals[:, :2] > 0.99, axis=1)))
            (klo,), (khi,) = wilson_interval(np.array([kept]), n)
            rows.append(PersistenceRow(
                name, float(kappa), n, kept / n, float(klo), float(khi), float(res.shares[0]),
                float(res.lower[0]), float(res.upper[0]), float(res.shares[1]),
                float(np.mean(res.finals[:, 2] > res.starts[:, 2])),
                tuple(float(v) for v in np.median(res.finals, axis=0))))
    return tuple(rows)


def calibration_variants() -> tuple[tuple[str, dict, object], ...]:
    """Question 4: the Jinsong calibration under each open assumption, with its checks.

    Returns
    -------
    tuple of (str, dict, CalibrationResult)
        A label, the assumptions changed, and the result.

    Examples
    --------
    >>> rows = calibration_variants()
    >>> rows[0][0], all(res.ok for _, _, res in rows)
    ('default assumptions', True)
    """
    from gametheory_regen.domain.calibration import calibrate_jinsong

    variants = [
        ("default assumptions", {}),
        ("subsidy counts as revenue", {"subsidy_counts_as_revenue": True}),
        ("no free trial", {"trial_years": 0}),
        ("two-year free trial", {"trial_years": 2}),
        ("no negotiation cost", {"negotiation_cost": 0.0}),
        ("negotiation cost 8", {"negotiation_cost": 8.0}),
        ("gross revenue, 30% operating costs", {"revenue_basis": "gross",
                                                "space_cost_ratio": 0.3,
                                                "service_cost_ratio": 0.3}),
    ]
    return tuple((label, kw, calibrate_jinsong(**kw)) for label, kw in variants)


def calendar_paths(scenario: str = "jinsong_from_year_3",
                   starts: Sequence[Sequence[float]] = ((0.95, 0.95, 0.95), (0.5, 0.5, 0.5),
                                                        (0.9, 0.9, 0.2), (0.2, 0.2, 0.9)),
                   *, kappa: float = 0.1, years: float = 17.0, game: Game | None = None):
    """Question 3, trajectories: the calendar view from a few starting mixes.

    Parameters
    ----------
    scenario : str
        A scenario of ``regeneration_calendar`` (default: the clock started at year 3).
    starts : sequence of (x, y, z)
    kappa : float
    years : float
        Length of the simulation (years after the scenario's clock start).
    game : Game, optional

    Returns
    -------
    tuple of (tuple, Simulation)

    Examples
    --------
    >>> ((start, sim),) = calendar_paths(starts=[(0.95, 0.95, 0.95)], years=2.0)
    >>> start, bool(sim.states[-1, 2] > 0.95)
    ((0.95, 0.95, 0.95), True)
    """
    from gametheory_regen.analysis.batch import simulate
    from gametheory_regen.domain.calendar import calendar_schedules

    game = Game.builtin("regeneration_calendar") if game is None else game
    g = game.with_scenario(scenario).with_values({"kappa": kappa}, where="kappa")
    scheds = calendar_schedules(g)
    return tuple((tuple(s), simulate(g, list(s), years, schedules=scheds, backend="numpy"))
                 for s in starts)
