r"""Calibration of the community-regeneration game to the Jinsong case.

The source paper (Jiang Ling and Li Lei, 2022, section 5) gives six figures for the Jinsong North
pilot in Beijing: the operator ("Y Group") invested 30 million yuan, signed a 20-year contract, was
paid a subsidy of 1.43 million yuan per year for the first 3 years, was granted the operating rights
of 1,698 m² of idle or under-used space, expects that space to bring 46% of its revenue over the
contract, and targets an 8% return over 20 years. :func:`calibrate_jinsong` turns these figures into
the parameter values of ``gametheory_regen/models/regeneration.toml``, showing every step.

Mathematics
-----------
All money is in million yuan; flows of a year are paid at the end of that year (year 1 is the
first year after the investment at time 0). The present value at rate :math:`\rho` of a level
flow of 1 per year for :math:`n` years is the *annuity factor*

.. math:: a(n, \rho) = \sum_{t=1}^{n} (1+\rho)^{-t} = \frac{1 - (1+\rho)^{-n}}{\rho}.

The *internal rate of return* (IRR) of cash flows :math:`c_0, c_1, \dots, c_T` is the rate
:math:`q > -1` at which their net present value vanishes,
:math:`\mathrm{NPV}(q) = \sum_{t=0}^{T} c_t (1+q)^{-t} = 0`; for one outlay followed by inflows
it is unique.

The operator's cash flows are

.. math::

    c_0 = -(I + C), \qquad
    c_t = X + F\,[t > m] + s\,[t \le k] \quad (t = 1, \dots, T),

with :math:`I` the investment, :math:`C` the negotiation (transaction) cost actually borne in
Jinsong, :math:`X` the space income collected per year (net rent :math:`r` on the granted area
:math:`A`, less the rent forgone on the area :math:`A_t` let to local tradespeople at a discount
:math:`d_t`: :math:`X = r (A - d_t A_t)`), :math:`F` the property-fee and service income per year,
not collected during an :math:`m`-year free trial, and :math:`s` the subsidy for :math:`k` years.
Two conditions fix the two unknown streams :math:`X` and :math:`F`:

1. the IRR is the target :math:`q^* = 8\%`:
   :math:`X a(T, q^*) + F\,[a(T, q^*) - a(m, q^*)] + s\,a(k, q^*) = I + C`;
2. space income is the share :math:`\varphi = 46\%` of revenue summed over the contract
   (gross revenue of a stream = net / (1 - its operating-cost ratio); the subsidy is in the sum only
   if it is counted as revenue, :math:`\sigma \in \{0, 1\}`):
   :math:`(1-\varphi)\,T X / (1-c_X) = \varphi\,[(T-m) F / (1-c_F) + \sigma k s]`.

Condition 2 gives :math:`X = \kappa F + \mu` with
:math:`\kappa = \varphi (T-m)(1-c_X) / ((1-\varphi) T (1-c_F))` and
:math:`\mu = \varphi \sigma k s (1-c_X) / ((1-\varphi) T)`; substituting into condition 1,

.. math:: F = \frac{I + C - s\,a(k, q^*) - \mu\,a(T, q^*)}{(\kappa + 1)\,a(T, q^*) - a(m, q^*)}.

The model itself discounts at :math:`\rho` (default 5%, an opportunity cost of capital below the
8% target); the operator's payoff of the full Jinsong package is then
:math:`\mathrm{NPV}(\rho) > 0`, which is why operating is strictly better than staying out.

Example
-------
>>> from gametheory_regen.domain.calibration import calibrate_jinsong
>>> result = calibrate_jinsong()
>>> round(result.parameters["r"])          # net rent, yuan per m² per year
784
>>> all(ok for _, _, _, ok in result.checks)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import brentq

from gametheory_regen.errors import ParameterError

__all__ = [
    "CalibrationStep",
    "CalibrationResult",
    "annuity_factor",
    "npv",
    "irr",
    "calibrate_jinsong",
    "JINSONG_FIGURES",
]

#: The paper's figures for the Jinsong case, with the passage each comes from.
JINSONG_FIGURES: dict[str, tuple[float, str]] = {
    "investment": (30.0, "本次改造Y集团投入了3000万元 (Y Group invested 30 million yuan)"),
    "term": (20.0, "与政府签订了20年的战略合约 (a 20-year strategic contract with the government)"),
    "subsidy": (
        1.43,
        "政府在前三年每年给予Y集团143万元的财政补贴"
        " (1.43 million yuan per year for the first three years)",
    ),
    "subsidy_years": (3.0, "3年物业扶持期 (3-year property support period)"),
    "area": (
        1698.0,
        "街道授权将1698平方米的闲置低效利用空间运营权交给Y集团"
        " (operating rights of 1,698 m² of idle space)",
    ),
    "space_share": (
        0.46,
        "在20年合约期内…预计占总收益的46%"
        " (space income: expected 46% of total revenue over the 20 years)",
    ),
    "target_irr": (
        0.08,
        "帮助企业实现20年预期回报率8%的微利可持续 (an 8% expected return over 20 years)",
    ),
}

_YUAN_PER_MILLION = 1_000_000.0


@dataclass(frozen=True)
class CalibrationStep:
    """One step of a calibration: what was computed, how, and from which source.

    Attributes
    ----------
    name : str
        Short name of the quantity.
    formula : str
        The formula, with the numbers substituted where helpful.
    value : float
        The value obtained.
    unit : str
        Its unit.
    source : str
        The passage of the paper or BRIEF, or the assumption, it rests on.

    Examples
    --------
    >>> rent = [s for s in calibrate_jinsong().steps if s.name == "net rent r"][0]
    >>> rent.formula, round(rent.value, 2), rent.unit
    ('X * 1e6 / (A - d_t A_t)', 784.18, 'yuan per m² per year')
    """

    name: str
    formula: str
    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class CalibrationResult:
    """Result of a calibration.

    Attributes
    ----------
    steps : tuple of CalibrationStep
        Every step, in order.
    parameters : dict
        Parameter name (as in ``regeneration.toml``) -> value.
    checks : tuple of (str, float, float, bool)
        Consistency checks: name, expected, obtained, whether they agree.
    assumptions : tuple of (str, object, str)
        Each assumption the paper leaves open: name, value used, why.
    cash_flows : numpy.ndarray
        The operator's cash flows ``c_0 .. c_T`` (million yuan).

    Examples
    --------
    >>> res = calibrate_jinsong()
    >>> res.ok, [name for name, *_ in res.checks][:2]
    (True, ['IRR equals the 8% target', 'space share equals 46%'])
    >>> len(res.cash_flows), round(float(res.cash_flows[0]), 2)   # outlay I + C, then 20 years
    (21, -30.9)
    >>> round(irr(res.cash_flows), 10)
    0.08
    """

    steps: tuple[CalibrationStep, ...]
    parameters: dict[str, float]
    checks: tuple[tuple[str, float, float, bool], ...]
    assumptions: tuple[tuple[str, Any, str], ...]
    cash_flows: np.ndarray = field(repr=False)

    @property
    def ok(self) -> bool:
        """Whether every consistency check passed (the last field of every :attr:`checks` entry).

        >>> from dataclasses import replace
        >>> res = calibrate_jinsong()
        >>> res.ok, len(res.checks)
        (True, 4)
        >>> replace(res, checks=res.checks + (("a failed check", 1.0, 2.0, False),)).ok
        False
        """
        return all(check[3] for check in self.checks)


def annuity_factor(n: float, rate: float) -> float:
    """Present value of 1 per year paid at the end of each of ``n`` years.

    Parameters
    ----------
    n : float
        Number of years (may be fractional; 0 gives 0).
    rate : float
        Discount rate per year, > -1. At rate 0 the factor is ``n``.

    Returns
    -------
    float
        ``(1 - (1 + rate) ** -n) / rate``.

    Examples
    --------
    >>> round(annuity_factor(20, 0.08), 6)
    9.818147
    >>> annuity_factor(3, 0.0)
    3.0
    """
    if rate <= -1:
        raise ParameterError(f"annuity_factor: rate must be > -1, got {rate!r}")
    if rate == 0:
        return float(n)
    return (1.0 - (1.0 + rate) ** (-n)) / rate


def npv(cash_flows: np.ndarray, rate: float) -> float:
    """Net present value of cash flows ``c_0, c_1, ...`` (``c_t`` at the end of year ``t``).

    Parameters
    ----------
    cash_flows : array_like
        ``c_0`` at time 0, then one flow per year.
    rate : float
        Discount rate per year (> -1).

    Returns
    -------
    float
        :math:`\\sum_t c_t (1 + \\text{rate})^{-t}`.

    Examples
    --------
    >>> abs(npv(np.array([-100.0, 108.0]), 0.08)) < 1e-12
    True
    >>> npv([-100.0, 50.0, 60.0], 0.0)
    10.0
    """
    t = np.arange(len(cash_flows), dtype=float)
    return float(np.sum(np.asarray(cash_flows, dtype=float) * (1.0 + rate) ** (-t)))


def irr(cash_flows: np.ndarray, lo: float = -0.9, hi: float = 1.0) -> float:
    """Internal rate of return: the root of :func:`npv` in ``(lo, hi)`` (Brent's method).

    Parameters
    ----------
    cash_flows : array_like
        ``c_0`` at time 0, then one flow per year.
    lo, hi : float
        The bracket searched; the NPV must change sign between them.

    Returns
    -------
    float
        The rate at which the NPV vanishes (to about 1e-15).

    Raises
    ------
    ParameterError
        When the NPV has the same sign at ``lo`` and ``hi``.

    Examples
    --------
    >>> round(irr(np.array([-100.0, 50.0, 60.0])), 6)
    0.063941
    >>> irr(np.array([1.0, 2.0]))       # no outlay: no rate makes the NPV vanish
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ParameterError: irr: the net present value does not change sign ...
    """
    f_lo, f_hi = npv(cash_flows, lo), npv(cash_flows, hi)
    if f_lo * f_hi > 0:
        raise ParameterError(
            f"irr: the net present value does not change sign on ({lo}, {hi}); "
            "the cash flows have no internal rate of return there"
        )
    return float(brentq(lambda q: npv(cash_flows, q), lo, hi, xtol=1e-15, rtol=1e-15, maxiter=500))


def _check_share(name: str, value: float, *, upper_open: bool = True) -> None:
    if not (0.0 <= value < 1.0 if upper_open else 0.0 <= value <= 1.0):
        raise ParameterError(f"calibrate_jinsong: {name} must be in [0, 1), got {value!r}")


def calibrate_jinsong(
    *,
    investment: float = 30.0,
    term: int = 20,
    subsidy: float = 1.43,
    subsidy_years: int = 3,
    area: float = 1698.0,
    space_share: float = 0.46,
    target_irr: float = 0.08,
    rho: float = 0.05,
    revenue_basis: str = "net",
    space_cost_ratio: float = 0.0,
    service_cost_ratio: float = 0.0,
    subsidy_counts_as_revenue: bool = False,
    trial_years: int = 1,
    trade_area: float = 60.0,
    trade_rent_discount: float = 0.5,
    negotiation_cost: float = 4.0,
    platform_cut: float = 0.5,
    participation_cut: float = 0.4,
    concession_cut: float = 0.25,
) -> CalibrationResult:
    """Turn the Jinsong figures into parameter values of the regeneration model.

    Parameters
    ----------
    investment, term, subsidy, subsidy_years, area, space_share, target_irr
        The paper's figures (defaults: 30 M yuan, 20 years, 1.43 M yuan/yr, 3 years, 1,698 m²,
        0.46, 0.08). See :data:`JINSONG_FIGURES`.
    rho : float
        Discount rate of the model's present values (the paper gives none). Default 0.05, an
        opportunity cost of capital below the 8% target (long-term bank lending rates in China were
        about 4.9% in 2018-19). Any value > -1 is accepted.
    revenue_basis : {"net", "gross"}
        Whether the paper's "revenue" (收益) is net of operating costs ("net", default; the cost
        ratios must then be 0) or gross ("gross"; the 46% share is of gross revenue and each stream
        is reduced by its operating-cost ratio).
    space_cost_ratio, service_cost_ratio : float
        Operating costs as a share of the gross revenue of the space stream and of the property-fee
        and service stream (used with ``revenue_basis="gross"``).
    subsidy_counts_as_revenue : bool
        Whether the subsidy is part of the "total revenue" of which space income is 46% (default
        False). It is always a cash inflow in the IRR.
    trial_years : int
        Length of the free trial of property service during which no fees are collected
        (paper: "先尝后买"; length not given; default 1).
    trade_area, trade_rent_discount : float
        Area (m²) let to the barber and tailor "at unchanged rent", and the share of the market
        net rent forgone on it (not given; defaults 60 m² and 0.5).
    negotiation_cost : float
        Transaction cost of negotiation without platform, participation or concessions
        (million yuan at time 0; not given; default 4.0).
    platform_cut, participation_cut, concession_cut : float
        Shares by which the government's deliberation platform, residents' participation and the
        operator's concessions cut that cost (not given; defaults 0.5, 0.4, 0.25).

    Returns
    -------
    CalibrationResult
        Steps, parameter values, checks and assumptions.

    Raises
    ------
    ParameterError
        For a value outside its domain (e.g. a share outside [0, 1), a trial longer than the term).

    Examples
    --------
    >>> res = calibrate_jinsong()
    >>> round(res.parameters["F"], 4)            # fee and service income, M yuan per year
    1.6163
    >>> [c[0] for c in res.checks if not c[3]]
    []
    >>> calibrate_jinsong(subsidy_counts_as_revenue=True).parameters["r"] > res.parameters["r"]
    True
    """
    # ---- validation --------------------------------------------------------------------------
    if revenue_basis not in ("net", "gross"):
        raise ParameterError(
            f"calibrate_jinsong: revenue_basis must be 'net' or 'gross', got {revenue_basis!r}"
        )
    if revenue_basis == "net" and (space_cost_ratio != 0.0 or service_cost_ratio != 0.0):
        raise ParameterError(
            "calibrate_jinsong: with revenue_basis='net' the revenues are already net of operating "
            f"costs, so the cost ratios must be 0 (got {space_cost_ratio!r}, "
            f"{service_cost_ratio!r}); use revenue_basis='gross'"
        )
    for name, value in (
        ("space_share", space_share),
        ("space_cost_ratio", space_cost_ratio),
        ("service_cost_ratio", service_cost_ratio),
        ("platform_cut", platform_cut),
        ("participation_cut", participation_cut),
        ("concession_cut", concession_cut),
    ):
        _check_share(name, value)
    _check_share("trade_rent_discount", trade_rent_discount, upper_open=False)
    if space_share == 0:
        raise ParameterError("calibrate_jinsong: space_share must be > 0")
    for name, value in (
        ("term", term),
        ("subsidy_years", subsidy_years),
        ("trial_years", trial_years),
    ):
        if int(value) != value or value < 0:
            raise ParameterError(
                f"calibrate_jinsong: {name} must be a whole number >= 0, got {value!r}"
            )
    term, subsidy_years, trial_years = int(term), int(subsidy_years), int(trial_years)
    if term < 1 or subsidy_years > term or trial_years >= term:
        raise ParameterError(
            "calibrate_jinsong: need term >= 1, subsidy_years <= term and trial_years < term "
            f"(got {term}, {subsidy_years}, {trial_years})"
        )
    if not (0 <= trade_area < area):
        raise ParameterError(
            f"calibrate_jinsong: trade_area must be in [0, area), got {trade_area!r}"
        )
    if rho <= -1 or target_irr <= -1:
        raise ParameterError("calibrate_jinsong: rates must be > -1")
    if investment <= 0 or subsidy < 0 or negotiation_cost < 0:
        raise ParameterError("calibrate_jinsong: investment must be > 0, subsidy and costs >= 0")

    src = {k: v[1] for k, v in JINSONG_FIGURES.items()}
    steps: list[CalibrationStep] = []

    def step(name: str, formula: str, value: float, unit: str, source: str) -> float:
        steps.append(CalibrationStep(name, formula, float(value), unit, source))
        return float(value)

    inv, T, s, k, A, phi, q = (
        investment,
        term,
        subsidy,
        subsidy_years,
        area,
        space_share,
        target_irr,
    )
    m = trial_years
    step("investment I", "paper", inv, "million yuan", src["investment"])
    step("term T", "paper", T, "years", src["term"])
    step("subsidy s", "paper", s, "million yuan per year", src["subsidy"])
    step("subsidy years k", "paper", k, "years", src["subsidy_years"])
    step("granted area A", "paper", A, "m²", src["area"])
    step("space share phi", "paper", phi, "share of revenue", src["space_share"])
    step("target IRR q*", "paper", q, "per year", src["target_irr"])

    # ---- annuity factors at the target rate --------------------------------------------------
    aT_q = step(
        "a(T, q*)",
        f"(1 - (1 + {q})**(-{T})) / {q}",
        annuity_factor(T, q),
        "years",
        "annuity factor, end-of-year flows",
    )
    ak_q = step(
        "a(k, q*)",
        f"(1 - (1 + {q})**(-{k})) / {q}",
        annuity_factor(k, q),
        "years",
        "annuity factor, end-of-year flows",
    )
    am_q = step(
        "a(m, q*)",
        f"(1 - (1 + {q})**(-{m})) / {q}",
        annuity_factor(m, q),
        "years",
        "free-trial annuity factor (fees not collected in the first m years)",
    )

    # ---- negotiation cost actually borne in Jinsong ------------------------------------------
    C = step(
        "negotiation cost borne C",
        f"Ct (1 - eta_g)(1 - eta_r)(1 - eta_c) = {negotiation_cost} * (1 - {platform_cut})"
        f" * (1 - {participation_cut}) * (1 - {concession_cut})",
        negotiation_cost * (1 - platform_cut) * (1 - participation_cut) * (1 - concession_cut),
        "million yuan at time 0",
        "assumption; paper: 五方联动平台…客观上节约了交易成本; 100多次各类议事会…持续了将近1年",
    )
    pv_sub = step(
        "PV of subsidy at q*",
        f"s a(k, q*) = {s} * {ak_q:.6f}",
        s * ak_q,
        "million yuan",
        src["subsidy"],
    )
    P = step(
        "PV of operating income needed at q*",
        f"I + C - s a(k, q*) = {inv} + {C:.6f} - {pv_sub:.6f}",
        inv + C - pv_sub,
        "million yuan",
        "IRR condition: NPV(q*) = 0",
    )

    # ---- revenue split ----------------------------------------------------------------------
    c_x, c_f = space_cost_ratio, service_cost_ratio
    sigma = 1.0 if subsidy_counts_as_revenue else 0.0
    kappa = step(
        "kappa",
        "phi (T - m)(1 - c_X) / ((1 - phi) T (1 - c_F))",
        phi * (T - m) * (1 - c_x) / ((1 - phi) * T * (1 - c_f)),
        "1",
        "share condition solved for X = kappa F + mu",
    )
    mu = step(
        "mu",
        "phi sigma k s (1 - c_X) / ((1 - phi) T)",
        phi * sigma * k * s * (1 - c_x) / ((1 - phi) * T),
        "million yuan per year",
        "share condition; sigma = 1 if the subsidy counts as revenue",
    )
    F = step(
        "fee and service income F",
        "(P - mu a(T, q*)) / ((kappa + 1) a(T, q*) - a(m, q*))",
        (P - mu * aT_q) / ((kappa + 1) * aT_q - am_q),
        "million yuan per year",
        "IRR and share conditions together",
    )
    X = step(
        "space income collected X",
        "kappa F + mu",
        kappa * F + mu,
        "million yuan per year",
        src["space_share"],
    )
    eff_area = step(
        "rent-bearing area A - d_t A_t",
        f"{A} - {trade_rent_discount} * {trade_area}",
        A - trade_rent_discount * trade_area,
        "m²",
        "paper: 理发、裁缝师傅…重新经营，且租金不变 (barber, tailor back at unchanged rent)",
    )
    r = step(
        "net rent r",
        "X * 1e6 / (A - d_t A_t)",
        X * _YUAN_PER_MILLION / eff_area,
        "yuan per m² per year",
        "net of operating costs",
    )
    if revenue_basis == "gross":
        step(
            "gross rent",
            "r / (1 - c_X)",
            r / (1 - c_x),
            "yuan per m² per year",
            "assumption revenue_basis='gross'",
        )

    if F <= 0 or X <= 0:
        raise ParameterError(
            "calibrate_jinsong: these figures and assumptions leave no positive revenue stream "
            f"(F = {F:.6g}, X = {X:.6g}); the subsidy and its PV exceed the outlay"
        )

    # ---- cash flows and checks -------------------------------------------------------------
    t = np.arange(T + 1)
    flows = (
        np.where(t >= 1, X, 0.0) + np.where(t > m, F, 0.0) + np.where((t >= 1) & (t <= k), s, 0.0)
    )
    flows = flows.astype(float)
    flows[0] = -(inv + C)
    q_obtained = step(
        "IRR of the cash flows",
        "root of sum_t c_t (1+q)^-t",
        irr(flows),
        "per year",
        "check against " + src["target_irr"],
    )
    space_total = T * X / (1 - c_x)
    other_total = (T - m) * F / (1 - c_f) + sigma * k * s
    share_obtained = step(
        "space share obtained",
        "T X/(1-c_X) / (T X/(1-c_X) + (T-m) F/(1-c_F) + sigma k s)",
        space_total / (space_total + other_total),
        "share",
        "check against " + src["space_share"],
    )

    aT = step(
        "a(T, rho)",
        f"(1 - (1 + {rho})**(-{T})) / {rho}",
        annuity_factor(T, rho),
        "years",
        "model discount rate rho (assumption)",
    )
    ak = step(
        "a(k, rho)",
        f"(1 - (1 + {rho})**(-{k})) / {rho}",
        annuity_factor(k, rho),
        "years",
        "model discount rate rho (assumption)",
    )
    am = annuity_factor(m, rho)
    npv_rho = step(
        "operator NPV at rho",
        "X a(T,rho) + F (a(T,rho) - a(m,rho)) + s a(k,rho) - I - C",
        X * aT + F * (aT - am) + s * ak - inv - C,
        "million yuan",
        "= operator's payoff at (enable, operate, participate) in scenario jinsong",
    )
    step(
        "NPV check",
        "npv(cash flows, rho)",
        npv(flows, rho),
        "million yuan",
        "same, from the cash flows",
    )

    checks = (
        ("IRR equals the 8% target", q, q_obtained, abs(q_obtained - q) <= 1e-9),
        ("space share equals 46%", phi, share_obtained, abs(share_obtained - phi) <= 1e-12),
        ("NPV at the target IRR is zero", 0.0, npv(flows, q), abs(npv(flows, q)) <= 1e-9),
        (
            "closed-form NPV at rho equals cash-flow NPV",
            npv_rho,
            npv(flows, rho),
            math.isclose(npv_rho, npv(flows, rho), rel_tol=1e-12, abs_tol=1e-12),
        ),
    )

    assumptions = (
        (
            "rho",
            rho,
            "discount rate of the model's present values; the paper gives none; must lie "
            "below 8% for the 8% package to be strictly worth more than staying out",
        ),
        (
            "timing",
            "end of year",
            "all flows at the end of each year; investment and negotiation at "
            "time 0 (fixed convention, shared with the model's annuity factors)",
        ),
        (
            "level streams",
            "constant per year",
            "space income and fee income are level over the term; "
            "the paper gives totals and a share only",
        ),
        (
            "revenue_basis",
            revenue_basis,
            "paper's 收益 read as net of operating costs unless 'gross'",
        ),
        (
            "space_cost_ratio",
            space_cost_ratio,
            "operating cost / gross space revenue (gross basis)",
        ),
        (
            "service_cost_ratio",
            service_cost_ratio,
            "operating cost / gross fee and service revenue (gross basis)",
        ),
        (
            "subsidy_counts_as_revenue",
            subsidy_counts_as_revenue,
            "whether the subsidy is part of "
            "the total revenue of which space is 46%; it is a cash inflow in the IRR either way",
        ),
        (
            "trial_years",
            trial_years,
            "free trial of property service (先尝后买): no fees collected",
        ),
        ("trade_area", trade_area, "m² let to the barber and tailor at unchanged rent"),
        ("trade_rent_discount", trade_rent_discount, "share of net rent forgone on that area"),
        (
            "negotiation_cost",
            negotiation_cost,
            "transaction cost without platform, participation "
            "or concessions, M yuan; the 8% return is read as net of the cost actually borne",
        ),
        (
            "platform_cut",
            platform_cut,
            "share of negotiation cost saved by the five-party platform",
        ),
        ("participation_cut", participation_cut, "share saved when residents deliberate"),
        ("concession_cut", concession_cut, "share saved through the trust that concessions buy"),
    )

    parameters = {
        "I": float(inv),
        "T": float(T),
        "s": float(s),
        "k": float(k),
        "A": float(A),
        "rho": float(rho),
        "r": r,
        "F": F,
        "trial": float(m),
        "A_t": float(trade_area),
        "d_t": float(trade_rent_discount),
        "Ct": float(negotiation_cost),
        "eta_g": float(platform_cut),
        "eta_r": float(participation_cut),
        "eta_c": float(concession_cut),
    }
    return CalibrationResult(
        steps=tuple(steps),
        parameters=parameters,
        checks=checks,
        assumptions=assumptions,
        cash_flows=flows,
    )
