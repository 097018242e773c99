"""The community-regeneration game through the ledger builder, generated from its model file.

The model is the model file ``gametheory_regen/models/regeneration.toml`` (documented in
``docs/regeneration_model.md``): the one place where its populations, parameters, 34 ledger
terms (each with the paper passage it encodes as its ``note``) and scenarios are written.  This
module does not repeat them.  It turns any ledger game into the sequence of
:class:`~gametheory_regen.model.builder.GameBuilder` calls that builds it
(:func:`builder_calls`), and

* :func:`build_regeneration` applies those calls to a fresh builder: the regeneration game built
  through the public builder API, equal to the file's game in every attribute but ``path``
  (``tests/test_regeneration_builder.py`` compares them attribute by attribute);
* :func:`builder_source` prints the same calls as Python, the builder version of the model to
  read, copy or adapt (``python -m gametheory_regen.domain.regeneration`` prints it).

Editing the model means editing the file; the builder form follows by construction.

Source
------
Jiang Ling and Li Lei, "Spatial Interest Mechanisms for Collaborative Governance in Community
Regeneration" (社区更新中合作治理的空间利益机制), DOI 10.16775/j.cnki.10-1285/d.2022.09.005.
Calibration of the default values: :func:`gametheory_regen.domain.calibration.calibrate_jinsong`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ..model.builder import GameBuilder
from ..model.game import Game, ScheduleSpec

__all__ = ["BuilderCall", "builder_calls", "build_from_calls", "build_regeneration",
           "builder_source"]


@dataclass(frozen=True)
class BuilderCall:
    """One call of a :class:`~gametheory_regen.model.builder.GameBuilder` method.

    Attributes
    ----------
    method : str
        ``population``, ``parameter``, ``derived``, ``cost``, ``benefit``, ``transfer``,
        ``scenario`` or ``schedule``.
    args : tuple
        Positional arguments (strings, numbers, lists, dicts, ScheduleSpec).
    kwargs : dict
        Keyword arguments.

    Examples
    --------
    >>> call = BuilderCall("population", ("operator", ["operate", "stay_out"]), {"symbol": "y"})
    >>> print(call.source())
    b.population("operator", ["operate", "stay_out"], symbol="y")
    """

    method: str
    args: tuple
    kwargs: dict = field(default_factory=dict)

    def source(self) -> str:
        """The call as one Python statement on the builder ``b``.

        Returns
        -------
        str

        Examples
        --------
        >>> print(BuilderCall("derived", ("aT", "(1 - (rho + 1)**(-T))/rho")).source())
        b.derived("aT", "(1 - (rho + 1)**(-T))/rho")
        """
        parts = [_literal(a) for a in self.args]
        parts += [f"{k}={_literal(v)}" for k, v in self.kwargs.items()]
        return f"b.{self.method}({', '.join(parts)})"


def _literal(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_literal(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, ScheduleSpec):
        return (f"ScheduleSpec({_literal(value.parameter)}, {_literal(value.kind)}, "
                f"{_literal(value.times)}, {_literal(value.values)})")
    return repr(value)


def _number(value: sp.Rational | None) -> int | float | None:
    """An exact rational as the Python number that the builder turns back into it."""
    if value is None:
        return None
    value = sp.Rational(value)
    return int(value) if value.q == 1 else float(value)


def builder_calls(game: Game) -> list[BuilderCall]:
    """The builder calls that make a ledger game, in the order of its model file.

    Parameters
    ----------
    game : Game
        A game made of ledger terms (no ``[[payoffs]]`` table).

    Returns
    -------
    list of BuilderCall
        Populations, parameters, derived names, terms (``cost``, ``benefit`` or ``transfer`` by
        the term's kind), scenarios, then the model's schedules.

    Raises
    ------
    ValueError
        For a game whose payoffs are not made of terms alone.

    Examples
    --------
    >>> calls = builder_calls(Game.builtin("regeneration"))
    >>> [c.method for c in calls].count("transfer"), len(calls)
    (4, 110)
    >>> subsidy = next(c for c in calls if c.args[0] == "transitional subsidy")
    >>> print(subsidy.source())    # doctest: +ELLIPSIS
    b.transfer("transitional subsidy", "ak*s", source="government", to="operator", when=...
    """
    if not game.terms and any(any(v != 0 for v in cell) for cell in game.table.values()):
        raise ValueError(f"builder_calls: {game.name!r} is a table game, not a ledger")
    calls: list[BuilderCall] = []
    for pop in game.populations:
        calls.append(BuilderCall("population", (pop.name, list(pop.strategies)),
                                 {"symbol": pop.symbol}))
    for p in game.parameters:
        kw = {k: v for k, v in (("description", p.description), ("unit", p.unit),
                                ("min", _number(p.min)), ("max", _number(p.max)))
              if v not in (None, "")}
        calls.append(BuilderCall("parameter", (p.name, _number(p.value)), kw))
    for name, expr in game.derived.items():
        calls.append(BuilderCall("derived", (name, sp.sstr(expr))))
    for t in game.terms:
        when = {pop: (s[0] if len(s) == 1 else list(s)) for pop, s in t.when}
        who = {"cost": {"who": t.source}, "benefit": {"who": t.to},
               "transfer": {"source": t.source, "to": t.to}}[t.kind]
        calls.append(BuilderCall(t.kind, (t.label, sp.sstr(t.amount)),
                                 {**who, "when": when, "note": t.note}))
    for s in game.scenarios.values():
        kw: dict = {"description": s.description, "source": s.source}
        if s.schedules:
            kw["schedules"] = list(s.schedules)
        calls.append(BuilderCall("scenario", (s.name, {k: _number(v)
                                                      for k, v in s.overrides.items()}), kw))
    for spec in game.schedules:
        calls.append(BuilderCall("schedule", (spec,)))
    return calls


def build_from_calls(game: Game, calls: list[BuilderCall] | None = None) -> Game:
    """Apply builder calls to a fresh :class:`GameBuilder` with ``game``'s name and metadata.

    Parameters
    ----------
    game : Game
        Gives the name, title, description, source and time unit.
    calls : list of BuilderCall, optional
        Default :func:`builder_calls` of ``game``.

    Returns
    -------
    Game

    Examples
    --------
    >>> hd = Game.builtin("regeneration")
    >>> again = build_from_calls(hd)
    >>> again.path is None, again.terms == hd.terms, again.parameters == hd.parameters
    (True, True, True)
    """
    b = GameBuilder(game.name, title=game.title, description=game.description,
                    source=game.source, time_unit=game.time_unit)
    for call in builder_calls(game) if calls is None else calls:
        getattr(b, call.method)(*call.args, **call.kwargs)
    return b.build()


def build_regeneration() -> Game:
    """The tripartite community-regeneration game, built through the builder from its file.

    Returns
    -------
    Game
        Equal to ``Game.builtin("regeneration")`` in every attribute except ``path`` (the game
        was built, not read): three populations with two strategies each, the parameters at
        their Jinsong-calibrated defaults, the annuity factors as derived names, 34 labelled
        ledger terms and the 14 policy scenarios.

    See Also
    --------
    builder_source : the same calls as Python text.
    gametheory_regen.domain.policies.compare_policies : compare the scenarios.

    Examples
    --------
    >>> game = build_regeneration()
    >>> [(p.name, p.strategies) for p in game.populations]  # doctest: +NORMALIZE_WHITESPACE
    [('government', ('enable', 'withhold')), ('operator', ('operate', 'stay_out')),
     ('residents', ('participate', 'stay_passive'))]
    >>> len(game.terms), list(game.scenarios)[:3], game.time_unit
    (34, ['baseline', 'subsidy_only', 'rights_only'], 'revision period')

    Every cell of the payoff table says which labelled terms it is made of.  At the status quo
    nobody renovates: the compound decays, and in the ``baseline`` scenario (no fiscal
    renovation either) government and residents each lose ``D_g = D_r = 10`` M yuan:

    >>> status_quo = ("withhold", "stay_out", "stay_passive")
    >>> [term.label for term, _ in game.cell_terms(status_quo)]  # doctest: +NORMALIZE_WHITESPACE
    ['decay when no operator maintains the compound, residents',
     "residents' gain from a fiscal renovation while it lasts",
     'fiscal burden when the market stays out',
     "government's gain from a fiscal renovation while it lasts",
     'decay when no operator maintains the compound, government']
    >>> baseline = game.with_scenario("baseline")
    >>> [baseline.substitute_values(v) for v in baseline.payoff_at(status_quo)]
    [-10, 0, -10]
    """
    return build_from_calls(Game.builtin("regeneration"))


def builder_source(game: Game | None = None) -> str:
    """Python source that builds a ledger game with :class:`GameBuilder` (default: regeneration).

    Parameters
    ----------
    game : Game, optional
        Default ``Game.builtin("regeneration")``.

    Returns
    -------
    str
        A script: the imports, ``b = GameBuilder(...)``, one line per :func:`builder_calls`
        entry, and ``game = b.build()``.

    Examples
    --------
    >>> text = builder_source()
    >>> print(text.splitlines()[3])    # doctest: +ELLIPSIS
    b = GameBuilder("regeneration", title="Community regeneration: ...", time_unit="revision period")
    >>> text.count("note=")
    34
    """
    game = Game.builtin("regeneration") if game is None else game
    head = [
        f"# {game.name}: generated from its model file by "
        "gametheory_regen.domain.regeneration.builder_source",
        "from gametheory_regen.model.builder import GameBuilder",
        "from gametheory_regen.model.game import ScheduleSpec",
        f"b = GameBuilder({_literal(game.name)}, title={_literal(game.title)}, "
        f"description={_literal(game.description)}, source={_literal(game.source)}, "
        f"time_unit={_literal(game.time_unit)})",
    ]
    return "\n".join(head + [c.source() for c in builder_calls(game)] + ["game = b.build()", ""])


if __name__ == "__main__":  # pragma: no cover
    print(builder_source(), end="")
