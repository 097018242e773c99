r"""Policies side by side: which outcomes each scenario makes stable, why, and how robustly.

A *policy* is a named scenario of a model (parameter overrides: switches such as ``rights`` or
``platform``, amounts such as the subsidy ``s``).  For each scenario :func:`compare_policies`

1. analyses the replicator dynamics (:func:`gametheory_regen.analysis.analyze`) and lists the
   stable outcomes: the strict Nash vertices, which in multi-population games are exactly the
   asymptotically stable rest points and the ESS (Selten 1980; Hofbauer & Sigmund 1998, 10.3);
2. explains each stable outcome from the payoff ledger: for every population and deviation, the
   margin :math:`A_p(s) - A_p(j, s_{-p}) > 0` is split into the ledger terms
   (:meth:`Game.cell_terms`) that differ between the two profiles, and the largest ones are named
   ("operator: operate beats stay_out by +7.9: fees +20.1, space income +16.6 outweigh
   operator investment -30"; a term met only after deviating is named "no ..."); a game given
   as a plain table is explained by its payoffs;
3. explains the *cooperative* outcome (by default every population's first strategy, e.g.
   (enable, operate, participate)) in the same way whether or not it is stable, so that the
   comparison says who would deviate and why;
4. computes the thresholds of the cooperative outcome on key parameters
   (:func:`gametheory_regen.analysis.thresholds.threshold`): by default those of
   :data:`DEFAULT_PARAMETERS` present in the model (term ``T``, subsidy ``s``, subsidy years
   ``k``, transaction cost ``Ct`` in the regeneration model).

Everything is returned as frozen data; rendering is in :mod:`gametheory_regen.presentation`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sympy as sp

from gametheory_regen.analysis.eigen import Stability
from gametheory_regen.analysis.equilibria import EquilibriumAnalysis, RestPoint, analyze
from gametheory_regen.analysis.thresholds import ThresholdResult, threshold
from gametheory_regen.errors import GameInputError
from gametheory_regen.model.game import Game

__all__ = [
    "DEFAULT_PARAMETERS",
    "DeviationReason",
    "OutcomeExplanation",
    "ScenarioPolicy",
    "PolicyComparison",
    "compare_policies",
    "explain_outcome",
]

#: Parameters whose thresholds are computed by default, when the model has them: the
#: operating-right term, the subsidy per year, the subsidy years, the transaction cost.
DEFAULT_PARAMETERS = ("T", "s", "k", "Ct")
#: How many terms each side of a reason names.
TOP_TERMS = 3
_ZERO = 1e-12


@dataclass(frozen=True)
class DeviationReason:
    """Why a population keeps (or leaves) its strategy at an outcome, against one deviation.

    Attributes
    ----------
    population, strategy, deviation : str
    margin : float
        :math:`A_p(s) - A_p(j, s_{-p})`: positive when the population keeps its strategy.
    terms : tuple of (str, float)
        The ledger terms (labels without parenthesised detail, merged) whose net contribution
        "keep minus deviate" is non-zero, largest in absolute value first.  For a plain table:
        ``(("payoff here", a), ("payoff after deviating", b))``.
    text : str
        One sentence naming the largest terms each way.

    Examples
    --------
    Why the operator operates under the Jinsong policy package (present values in million
    yuan):

    >>> from gametheory_regen.model import Game
    >>> jinsong = Game.builtin("regeneration").with_scenario("jinsong")
    >>> ex = explain_outcome(jinsong, ("enable", "operate", "participate"))
    >>> operator = ex.reasons[1]
    >>> operator.population, operator.strategy, operator.deviation, round(operator.margin, 2)
    ('operator', 'operate', 'stay_out', 7.9)
    >>> print(operator.text)     # doctest: +NORMALIZE_WHITESPACE
    operator: operate beats stay_out by +7.9: property-fee and service income +20.1,
    space income from the granted area over the term +16.6, transitional subsidy +3.89
    outweigh operator investment -30, concession: free trial of property service -1.54,
    transaction cost of negotiation -0.9
    >>> [(label, round(v, 1)) for label, v in operator.terms[:2]]
    [('operator investment', -30.0), ('property-fee and service income', 20.1)]
    """

    population: str
    strategy: str
    deviation: str
    margin: float
    terms: tuple[tuple[str, float], ...]
    text: str


@dataclass(frozen=True)
class OutcomeExplanation:
    """A pure outcome, its stability and the reason of every population.

    Attributes
    ----------
    outcome : tuple of (population, strategy)
    strict_nash : bool
        Every deviation loses: asymptotically stable, an ESS.
    stability : Stability or None
        The word from the eigenvalues (checked against ``strict_nash`` by the analysis).
    reasons : tuple of DeviationReason
        One per population and deviation, in population order.

    Examples
    --------
    (hawk, hawk) in hawk-dove with V = 2 < C = 4: both roles would rather back down.

    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.analysis import analyze
    >>> hd = Game.builtin("hawk_dove")
    >>> ex = explain_outcome(hd, ("hawk", "hawk"), analyze(hd))
    >>> ex.strict_nash, str(ex.stability)
    (False, 'unstable')
    >>> for reason in ex.deviators:
    ...     print(reason.text)
    owner: dove beats hawk by +1: payoff -C/2 + V/2 = -1 at hawk against 0 at dove
    intruder: dove beats hawk by +1: payoff -C/2 + V/2 = -1 at hawk against 0 at dove
    """

    outcome: tuple[tuple[str, str], ...]
    strict_nash: bool
    stability: Stability | None
    reasons: tuple[DeviationReason, ...]

    @property
    def outcome_dict(self) -> dict[str, str]:
        """:attr:`outcome` as a dict population -> strategy.

        >>> from gametheory_regen.model import Game
        >>> explain_outcome(Game.builtin("hawk_dove"), ("dove", "hawk")).outcome_dict
        {'owner': 'dove', 'intruder': 'hawk'}
        """
        return dict(self.outcome)

    @property
    def deviators(self) -> tuple[DeviationReason, ...]:
        """Deviations that do not lose (margin <= 0): why the outcome is not stable.

        Empty exactly when the outcome is strict Nash.

        >>> from gametheory_regen.model import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> explain_outcome(hd, ("hawk", "dove")).deviators
        ()
        >>> [(r.population, r.strategy, r.deviation, r.margin)
        ...  for r in explain_outcome(hd, ("hawk", "hawk")).deviators]
        [('owner', 'hawk', 'dove', -1.0), ('intruder', 'hawk', 'dove', -1.0)]

        In matching pennies at (heads, heads) the row's deviation loses (margin 2) and the
        column's does not:

        >>> ex = explain_outcome(Game.builtin("matching_pennies"), ("heads", "heads"))
        >>> [r.margin for r in ex.reasons], [r.population for r in ex.deviators]
        ([2.0, -2.0], ['column'])
        """
        return tuple(r for r in self.reasons if r.margin <= 0)


@dataclass(frozen=True)
class ScenarioPolicy:
    """One scenario's result.

    Attributes
    ----------
    scenario : str or None
        None for a model without scenarios (the game as given).
    description, source : str
    overrides : dict of str to float
        The scenario's parameter values (then any extra overrides).
    stable : tuple of OutcomeExplanation
        The strict Nash vertices (ESS), explained.
    other_stable : tuple of RestPoint
        Stable rest points that are not vertices (none in multi-population replicator dynamics;
        listed if the analysis ever finds one).
    cooperation : OutcomeExplanation
        The cooperative outcome, explained whether stable or not.
    thresholds : tuple of ThresholdResult
        The cooperative outcome's thresholds on the compared parameters.
    analysis : EquilibriumAnalysis

    Examples
    --------
    Hawk-dove has no scenarios, so the comparison holds one result, the game as given; its
    "cooperative" outcome is every population's first strategy, (hawk, hawk):

    >>> from gametheory_regen.model import Game
    >>> (policy,) = compare_policies(Game.builtin("hawk_dove"), parameters=["V"]).scenarios
    >>> policy.scenario, [ex.outcome_dict for ex in policy.stable]
    (None, [{'owner': 'hawk', 'intruder': 'dove'}, {'owner': 'dove', 'intruder': 'hawk'}])
    >>> policy.cooperation_stable, policy.thresholds[0].stable_set   # stable once V > C = 4
    (False, (Interval(lower=4.0, upper=inf, lower_closed=False, upper_closed=False),))
    """

    scenario: str | None
    description: str
    source: str
    overrides: dict[str, float]
    stable: tuple[OutcomeExplanation, ...]
    other_stable: tuple[RestPoint, ...]
    cooperation: OutcomeExplanation
    thresholds: tuple[ThresholdResult, ...]
    analysis: EquilibriumAnalysis = field(repr=False)

    @property
    def cooperation_stable(self) -> bool:
        """Whether the cooperative outcome is a strict Nash equilibrium (stable, an ESS).

        >>> from gametheory_regen.model import Game
        >>> policy = compare_policies(Game.builtin("battle_of_sexes"), parameters=()).scenarios[0]
        >>> policy.cooperation.outcome_dict, policy.cooperation_stable
        ({'woman': 'opera', 'man': 'opera'}, True)
        """
        return self.cooperation.strict_nash


@dataclass(frozen=True)
class PolicyComparison:
    """Scenarios side by side (see :func:`compare_policies`).

    Attributes
    ----------
    model, title : str
    cooperation : tuple of (population, strategy)
        The outcome whose thresholds are computed.
    parameters : tuple of str
        The parameters of those thresholds.
    scenarios : tuple of ScenarioPolicy
    overrides : dict of str to float
        Extra parameter values applied after every scenario (``--set``).
    time_budget : float
        Seconds allowed for symbolic work per analysis and per threshold.
    notes : tuple of str

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> cmp = compare_policies(Game.builtin("hawk_dove"), parameters=["V"])
    >>> cmp.model, cmp.cooperation, cmp.parameters, len(cmp.scenarios)
    ('hawk_dove', (('owner', 'hawk'), ('intruder', 'hawk')), ('V',), 1)
    """

    model: str
    title: str
    cooperation: tuple[tuple[str, str], ...]
    parameters: tuple[str, ...]
    scenarios: tuple[ScenarioPolicy, ...]
    overrides: dict[str, float]
    time_budget: float
    notes: tuple[str, ...] = ()

    def scenario(self, name: str | None) -> ScenarioPolicy:
        """The result of one scenario.

        Parameters
        ----------
        name : str or None
            A compared scenario (None for a model without scenarios).

        Returns
        -------
        ScenarioPolicy

        Raises
        ------
        GameInputError
            When the scenario is not part of this comparison.

        Examples
        --------
        >>> from gametheory_regen.model import Game
        >>> cmp = compare_policies(Game.builtin("hawk_dove"), parameters=())
        >>> cmp.scenario(None).overrides
        {}
        >>> cmp.scenario("peace")
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: scenario 'peace' is not in this comparison
        """
        for s in self.scenarios:
            if s.scenario == name:
                return s
        raise GameInputError(f"scenario {name!r} is not in this comparison")


# ---------------------------------------------------------------------------- reasons
def _short(label: str) -> str:
    """A term label without its parenthesised detail: the key under which terms are merged."""
    return re.sub(r"\s*\([^)]*\)", "", label).strip() or label


def _value(game: Game, expr: sp.Expr) -> float:
    value = sp.N(game.substitute_values(expr), 20)
    if value.free_symbols:
        raise GameInputError(
            f"model {game.name!r}: parameters {sorted(map(str, value.free_symbols))} need values "
            f"to compare policies; give them with --set NAME=VALUE"
        )
    return float(sp.re(value))


def _num(v: float) -> str:
    return f"{v:+.3g}"


def _ledger(game: Game, profile: tuple[int, ...], p: int,
            state: tuple[int, ...] | None = None) -> dict[str, float]:
    from ..analysis.pointwise import _vertex_subs

    # state-dependent amounts: their value at the vertex the deviation starts from
    at = _vertex_subs(game, profile if state is None else state)
    out: dict[str, float] = {}
    for term, _contrib in game.cell_terms(profile):
        value = game.expand_derived(term.value_to(game.populations[p].name)).xreplace(at)
        if value == 0:
            continue
        key = _short(term.label)
        out[key] = out.get(key, 0.0) + _value(game, value)
    return out


def _reason(game: Game, profile: tuple[int, ...], p: int, j: int) -> DeviationReason:
    pop = game.populations[p]
    dev = list(profile)
    dev[p] = j
    dev = tuple(dev)
    # the payoffs at the vertex (every kind of game: a single population, state-dependent
    # payoffs, [[fitness]]); for constant multi-population tables these are the table entries
    from ..analysis.pointwise import _vertex_subs
    from ..dynamics.replicator import expected_payoffs

    u = expected_payoffs(game, numeric=False, expand=False)[p]
    at = _vertex_subs(game, profile)
    here_expr, dev_expr = u[profile[p]].xreplace(at), u[j].xreplace(at)
    margin = _value(game, here_expr - dev_expr)
    strategy, deviation = pop.strategies[profile[p]], pop.strategies[j]
    head_keep = f"{pop.name}: {strategy} beats {deviation} by {_num(margin)}"
    head_leave = f"{pop.name}: {deviation} beats {strategy} by {_num(-margin)}"
    if not game.terms:
        here_v, dev_v = _value(game, here_expr), _value(game, dev_expr)
        terms = (("payoff here", here_v), ("payoff after deviating", dev_v))
        def show(expr: sp.Expr, v: float) -> str:
            return f"{v:.4g}" if expr.is_number else f"{sp.sstr(expr)} = {v:.4g}"

        text = (f"{head_keep if margin > 0 else head_leave}: payoff {show(here_expr, here_v)} at "
                f"{strategy} against {show(dev_expr, dev_v)} at {deviation}")
        return DeviationReason(pop.name, strategy, deviation, margin, terms, text)
    here, there = _ledger(game, profile, p), _ledger(game, dev, p, profile)
    net: dict[str, float] = {}
    for key in list(here) + [k for k in there if k not in here]:
        v = here.get(key, 0.0) - there.get(key, 0.0)
        if abs(v) > _ZERO:
            net[key] = v
    ordered = tuple(sorted(net.items(), key=lambda kv: -abs(kv[1])))

    def items(sign: int) -> list[str]:
        chosen = [(k, v) for k, v in ordered if (v > 0) == (sign > 0)][:TOP_TERMS]
        out = []
        for k, v in chosen:
            at_dev_only = k not in here
            out.append(f"no {k} {_num(v)}" if at_dev_only else f"{k} {_num(v)}")
        return out

    pos, neg = items(+1), items(-1)
    if margin > 0:
        body = ", ".join(pos) + (f" outweigh {', '.join(neg)}" if neg else "")
        text = f"{head_keep}: {body}"
    elif margin < 0:
        body = ", ".join(neg) + (f" outweigh {', '.join(pos)}" if pos else "")
        text = f"{head_leave}: {body}"
    else:
        text = (f"{pop.name}: {strategy} and {deviation} pay the same: "
                + ", ".join(pos + neg) + " cancel")
    return DeviationReason(pop.name, strategy, deviation, margin, ordered, text)


def explain_outcome(game: Game, outcome: Mapping[str, str] | Sequence[str],
                    analysis: EquilibriumAnalysis | None = None) -> OutcomeExplanation:
    """Explain a pure outcome: for every population and deviation, which payoff terms decide.

    Parameters
    ----------
    game : Game
        With every parameter valued.
    outcome : mapping population -> strategy, or strategy names in population order
    analysis : EquilibriumAnalysis, optional
        To take the stability word from (else it is not computed).

    Returns
    -------
    OutcomeExplanation
        ``strict_nash`` is True when every deviation loses (every margin is positive).

    Raises
    ------
    GameInputError
        For an unknown population or strategy, or a parameter without a value.

    Examples
    --------
    Role-asymmetric hawk-dove with V = 2 < C = 4 (Maynard Smith 1982, ch. 8):

    >>> from gametheory_regen.model import Game
    >>> ex = explain_outcome(Game.builtin("hawk_dove"), {"owner": "hawk", "intruder": "dove"})
    >>> ex.strict_nash, [round(r.margin, 3) for r in ex.reasons]
    (True, [1.0, 1.0])
    """
    profile = game.profile_index(outcome, where="outcome")
    reasons = []
    for p, pop in enumerate(game.populations):
        for j in range(pop.k):
            if j != profile[p]:
                reasons.append(_reason(game, profile, p, j))
    strict = all(r.margin > 0 for r in reasons)
    stability = None
    if analysis is not None:
        stability = analysis.vertex(game.profile_names(profile)).stability
    names = tuple(zip((p.name for p in game.populations), game.profile_names(profile),
                      strict=True))
    return OutcomeExplanation(names, strict, stability, tuple(reasons))


# ---------------------------------------------------------------------------- comparison
def compare_policies(
    game: Game,
    scenarios: Sequence[str] | None = None,
    *,
    parameters: Sequence[str] | None = None,
    cooperation: Mapping[str, str] | Sequence[str] | None = None,
    overrides: Mapping[str, object] | None = None,
    time_budget: float = 5.0,
) -> PolicyComparison:
    """Compare the scenarios (policies) of a model.

    Parameters
    ----------
    game : Game
    scenarios : sequence of str, optional
        Scenario names, in the order wanted; default all of the model's (the game as given if it
        has none).
    parameters : sequence of str, optional
        Parameters for the cooperative outcome's thresholds; default those of
        :data:`DEFAULT_PARAMETERS` in the model (``()`` for none).
    cooperation : mapping or sequence, optional
        The cooperative outcome; default every population's first strategy.
    overrides : mapping of str to number, optional
        Parameter values applied after each scenario (the CLI's ``--set``).
    time_budget : float
        Seconds for symbolic work, per analysis and per threshold.

    Returns
    -------
    PolicyComparison

    Raises
    ------
    GameInputError
        Unknown scenario, parameter or strategy; a parameter left without a value.

    Examples
    --------
    The regeneration model without any policy instrument ("baseline") and with the Jinsong
    package: only the package makes (enable, operate, participate) stable, and it stays stable
    while the subsidy per year is below about 7.87 million yuan (above it the government would
    rather withhold).

    >>> from gametheory_regen.model import Game
    >>> cmp = compare_policies(Game.builtin("regeneration"), ["baseline", "jinsong"],
    ...                        parameters=["s"])
    >>> [(p.scenario, p.cooperation_stable) for p in cmp.scenarios]
    [('baseline', False), ('jinsong', True)]
    >>> [ex.outcome_dict for ex in cmp.scenario("baseline").stable]
    [{'government': 'withhold', 'operator': 'stay_out', 'residents': 'stay_passive'}]
    >>> (subsidy,) = cmp.scenario("jinsong").thresholds
    >>> [(iv.lower, round(iv.upper, 2)) for iv in subsidy.stable_set], subsidy.stable_now
    ([(0.0, 7.87)], True)
    """
    if scenarios is None:
        names: list[str | None] = list(game.scenarios) or [None]
    else:
        names = list(scenarios)
        if not names:
            raise GameInputError("compare: give at least one scenario (or none for all)")
        for n in names:
            game.with_scenario(n)  # validates the name, with the list of known scenarios
    if parameters is None:
        params = tuple(p for p in DEFAULT_PARAMETERS if p in game.parameter_names)
    else:
        params = tuple(parameters)
        for p in params:
            game.parameter(p)
    coop_names = (game.profile_names(game.profile_index(cooperation, where="cooperation"))
                  if cooperation is not None else tuple(p.strategies[0] for p in game.populations))
    coop = dict(zip((p.name for p in game.populations), coop_names, strict=True))
    overrides = dict(overrides or {})
    results = []
    notes = []
    for name in names:
        g = game.with_scenario(name).with_values(overrides, where="--set")
        if not g.is_numeric:
            raise GameInputError(
                f"compare: model {game.name!r} has no value for {', '.join(g.free_parameters)}; "
                f"give them with --set NAME=VALUE"
            )
        analysis = analyze(g)  # time_budget is deprecated: the analysis has a work budget
        if not analysis.consistent:  # pragma: no cover - checked by the analysis tests
            notes.append(f"scenario {name}: strict Nash vertices and stable vertices differ")
        stable = tuple(
            explain_outcome(g, g.profile_names(tuple(s[0] for s in rp.support)), analysis)
            for rp in analysis.rest_points if rp.kind == "vertex" and rp.strict_nash)
        other = tuple(rp for rp in analysis.rest_points
                      if rp.kind != "vertex" and rp.stability is Stability.STABLE)
        coop_ex = explain_outcome(g, coop, analysis)
        ths = tuple(threshold(g, coop, p) for p in params)
        scen = game.scenarios.get(name) if name is not None else None
        values = {k: float(v) for k, v in (scen.overrides.items() if scen else ())}
        values.update({k: float(g.parameter(k).value) for k in overrides})
        results.append(ScenarioPolicy(
            scenario=name,
            description=scen.description if scen else game.description.strip(),
            source=scen.source if scen else game.source,
            overrides=values,
            stable=stable,
            other_stable=other,
            cooperation=coop_ex,
            thresholds=ths,
            analysis=analysis,
        ))
    return PolicyComparison(
        model=game.name,
        title=game.title,
        cooperation=tuple(coop.items()),
        parameters=params,
        scenarios=tuple(results),
        overrides={k: float(game.with_values(overrides).parameter(k).value) for k in overrides},
        time_budget=time_budget,
        notes=tuple(notes),
    )
