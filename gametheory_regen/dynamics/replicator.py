"""Multi-population replicator dynamics, symbolically.

The state is one mixed strategy per population: population :math:`p` has shares
:math:`x_{p1},\\dots,x_{pk_p} \\ge 0` summing to 1.  The expected payoff of its pure strategy
:math:`i` against the other populations' current mixes is

.. math:: u_{pi}(x) = \\sum_{s_{-p}} A_p(i, s_{-p}) \\prod_{q \\ne p} x_{q s_q},

its mean payoff is :math:`\\bar u_p = \\sum_i x_{pi} u_{pi}`, and the replicator equations
(Taylor 1979; Hofbauer & Sigmund 1998, ch. 10) are

.. math:: \\dot x_{pi} = x_{pi}\\,(u_{pi}(x) - \\bar u_p(x)).

No normalisation across populations is applied.  Note that :math:`u_{pi}` does not depend on
population :math:`p`'s own shares.  In *reduced coordinates* each population keeps the shares of
its first :math:`k_p-1` strategies (the last is one minus their sum); for a two-strategy population
that is the single share :math:`x` of its first strategy and the equation is

.. math:: \\dot x = x(1-x)\\,(u_{p1} - u_{p2}).

The Jacobian is that of the reduced system (dimension :math:`\\sum_p (k_p-1)`).  Faces of the
product of simplices are invariant: a share that is zero stays zero.

**Games the field writes (Contract 4).**  The same equations hold with any expected payoffs
:math:`u_{pi}(x)`, which :func:`expected_payoffs` builds for every kind of game:

* *single-population (symmetric) games*, payoff matrix :math:`A` (own strategy x opponent's):
  :math:`u_i(x) = (Ax)_i`, so :math:`\\dot x_i = x_i((Ax)_i - x\\cdot Ax)` on one simplex (Taylor &
  Jonker 1978); here :math:`u_i` depends on the population's *own* shares;
* *state-dependent payoffs*: table entries and term amounts :math:`A_p(s; x)` that use the share
  symbols; :math:`u_{pi}(x) = \\sum_{s_{-p}} A_p(i, s_{-p}; x) \\prod_{q\\ne p} x_{q s_q}`
  (for one population :math:`u_i = \\sum_j A_{ij}(x) x_j`);
* ``[[fitness]]``: :math:`u_{pi}(x)` given directly (a strategy without an entry earns 0).

Faces stay invariant in every case (each :math:`\\dot x_{pi}` has the factor :math:`x_{pi}`), but
the system is no longer multilinear.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from ..model.game import Game

__all__ = ["ReplicatorSystem", "replicator_system", "expected_payoffs", "game_payoffs",
           "state_symbols"]


def state_symbols(game: Game) -> tuple[tuple[sp.Symbol, ...], ...]:
    """Reduced-coordinate symbols, per population (``x`` or ``x1, x2, ...``).

    Parameters
    ----------
    game : Game

    Returns
    -------
    tuple of tuple of sympy.Symbol
        Real symbols named by :meth:`Population.share_names`, one tuple per population.

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> state_symbols(Game.builtin("matching_pennies"))
    ((x,), (y,))
    >>> state_symbols(Game.builtin("rock_paper_scissors"))
    ((x1, x2), (y1, y2))
    """
    return tuple(tuple(sp.Symbol(n, real=True) for n in pop.share_names())
                 for pop in game.populations)


def full_shares(game: Game, reduced: Sequence[Sequence[sp.Expr]]) -> list[list[sp.Expr]]:
    """Full share vectors from reduced coordinates (last share = 1 - sum of the others).

    Parameters
    ----------
    game : Game
        Not used; kept for a uniform signature.
    reduced : sequence of sequence of sympy.Expr
        Per population, the shares of all strategies but the last.

    Returns
    -------
    list of list of sympy.Expr
        Per population, the shares of all its strategies.

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> rps = Game.builtin("rock_paper_scissors")
    >>> full_shares(rps, state_symbols(rps))
    [[x1, x2, -x1 - x2 + 1], [y1, y2, -y1 - y2 + 1]]
    """
    return [list(r) + [1 - sum(r)] for r in reduced]


def expected_payoffs(game, p: int | None = None, shares: Sequence[Sequence[sp.Expr]] | None = None,
                     *, numeric: bool | None = None, expand: bool = True):
    """Expected payoffs :math:`u_{pi}(x)` of a game, or of one population's payoff tensor.

    **Called with a game** (``expected_payoffs(game)``): a tuple, per population ``p``, of a
    tuple, per strategy ``i``, of the sympy expression :math:`u_{pi}` in the *reduced* share
    symbols of :func:`state_symbols` (``x`` for two strategies; ``x1 .. x{k-1}`` for k, the last
    share being ``1 - x1 - ...``) and the parameters.  This works for every kind of game:
    multi-population with constant payoffs (the multilinear sums, exactly
    :attr:`ReplicatorSystem.payoffs`), single-population (:math:`u_i = (Ax)_i`, own shares),
    state-dependent payoffs and ``[[fitness]]``.  ``numeric`` (default: when every parameter has
    a value) substitutes the parameters' values; derived names are expanded unless
    ``expand=False`` (then they stay as written, for symbolic conditions).

    **Called as** ``expected_payoffs(tensor, p, shares)``: the multilinear expected payoffs of
    population ``p`` from its payoff tensor and all populations' *full* shares (the original
    interface, kept).

    Parameters
    ----------
    game : Game or sympy.Array
        A game, or population ``p``'s payoff tensor (of the game's shape, one of
        :meth:`Game.payoff_tensors`).
        Population ``p``'s payoffs, of the game's shape (one of
        :meth:`Game.payoff_tensors`).
    p : int
        The population's index.
    shares : sequence of sequence of sympy.Expr
        Full shares of every population (population ``p``'s own shares are not used).
    numeric : bool, optional
        With a game: substitute parameter values (default: when all have one).
    expand : bool
        With a game: expand derived names (always done when ``numeric``).

    Returns
    -------
    tuple of tuple of sympy.Expr, or list of sympy.Expr
        With a game: ``u[p][i]``. With a tensor: the expected payoff of each of population
        ``p``'s pure strategies.

    Examples
    --------
    Matching pennies: heads pays the row population ``y - (1 - y) = 2y - 1``:

    >>> from gametheory_regen.model import Game
    >>> mp = Game.builtin("matching_pennies")
    >>> row, column = mp.payoff_tensors(numeric=True)
    >>> shares = full_shares(mp, state_symbols(mp))
    >>> expected_payoffs(row, 0, shares), expected_payoffs(column, 1, shares)
    ([2*y - 1, 1 - 2*y], [1 - 2*x, 2*x - 1])
    >>> expected_payoffs(mp)
    ((2*y - 1, 1 - 2*y), (1 - 2*x, 2*x - 1))

    A single-population game: rock-paper-scissors, :math:`u = Ax` in the own shares:

    >>> rps = Game.symmetric("rps", ["R", "P", "S"], [[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    >>> expected_payoffs(rps)
    ((-x1 - 2*x2 + 1, 2*x1 + x2 - 1, -x1 + x2),)
    """
    if not isinstance(game, sp.NDimArray):
        return game_payoffs(game, numeric=numeric, expand=expand)
    tensor = game
    shape = tensor.shape
    others = [q for q in range(len(shape)) if q != p]
    out = []
    for i in range(shape[p]):
        total = sp.Integer(0)
        for rest in itertools.product(*(range(shape[q]) for q in others)):
            profile = list(rest)
            profile.insert(p, i)
            coeff = tensor[tuple(profile)]
            if coeff == 0:
                continue
            weight = sp.Integer(1)
            for q, s in zip(others, rest, strict=True):
                weight *= shares[q][s]
            total += coeff * weight
        out.append(total)
    return out


def game_payoffs(game: Game, *, numeric: bool | None = None,
                 expand: bool = True) -> tuple[tuple[sp.Expr, ...], ...]:
    """``u[p][i]`` in reduced share symbols for any game (see :func:`expected_payoffs`).

    Parameters
    ----------
    game : Game
    numeric : bool, optional
        Substitute parameter values (default: when every parameter has one).
    expand : bool
        Expand derived names (always done when ``numeric``).

    Returns
    -------
    tuple of tuple of sympy.Expr
        Expanded polynomials where the payoffs are polynomial; cached on the game.

    Examples
    --------
    A dynamic penalty ``F*(1 - x)`` paid by evading firms when inspected:

    >>> from gametheory_regen.model import Game
    >>> g = Game.from_table("insp", [("firms", ["comply", "evade"]), ("agency", ["inspect", "skip"])],
    ...     {("evade", "inspect"): ("-F*(1 - x)", 0)},
    ...     parameters=[__import__("gametheory_regen").model.Parameter.make("F", 2)])
    >>> game_payoffs(g)[0]
    (0, 2*x*y - 2*y)
    """
    if numeric is None:
        numeric = game.is_numeric
    cache = game._cache  # type: ignore[attr-defined]
    key = ("expected_payoffs", numeric, expand)
    if key in cache:
        return cache[key]
    variables = state_symbols(game)
    shares = full_shares(game, variables)
    tensors = game.payoff_tensors(numeric=numeric, expand=expand)
    if not (expand or numeric):  # derived names that use the state are always expanded
        state = set(game.share_symbols.values())
        sd = {sym: e for sym, e in game._derived_subs().items() if e.free_symbols & state}
        if sd:
            tensors = tuple(t.applyfunc(lambda e: e.xreplace(sd)) for t in tensors)
    out = []
    for p, pop in enumerate(game.populations):
        if any(q == p for q, _ in game.fitness):
            u = []
            for i in range(pop.k):
                e = game.fitness.get((p, i), sp.Integer(0))
                if expand or numeric:
                    e = game.expand_derived(e)
                elif sd_fit := {s: v for s, v in game._derived_subs().items()
                                if v.free_symbols & set(game.share_symbols.values())}:
                    e = e.xreplace(sd_fit)
                if numeric:
                    e = game.substitute_values(e)
                u.append(e)
        elif game.n_populations == 1:
            A = tensors[0]
            u = [sum((A[i, j] * shares[0][j] for j in range(pop.k)), sp.Integer(0))
                 for i in range(pop.k)]
        else:
            u = expected_payoffs(tensors[p], p, shares)
        out.append(tuple(_tidy_payoff(e) for e in u))
    result = tuple(out)
    cache[key] = result
    return result


def _tidy_payoff(e: sp.Expr) -> sp.Expr:
    e = sp.sympify(e)
    return sp.expand(e) if e.is_polynomial() else e


@dataclass(frozen=True, eq=False)
class ReplicatorSystem:
    """The replicator equations of a game in reduced coordinates.

    Attributes
    ----------
    game : Game
    variables : tuple of tuple of sympy.Symbol
        Reduced coordinates per population.
    payoffs : tuple of tuple of sympy.Expr
        :math:`u_{pi}(x)` per population and strategy (full strategy list).
    rhs : tuple of sympy.Expr
        Right-hand sides in the order of :attr:`flat_variables`.
    numeric : bool
        Whether parameter values were substituted.

    Examples
    --------
    Make one with :func:`replicator_system` (cached per game):

    >>> from gametheory_regen.model import Game
    >>> system = replicator_system(Game.builtin("matching_pennies"))
    >>> system.variables, system.numeric
    (((x,), (y,)), True)
    >>> system.rhs
    (-4*x**2*y + 2*x**2 + 4*x*y - 2*x, 4*x*y**2 - 4*x*y - 2*y**2 + 2*y)
    """

    game: Game
    variables: tuple[tuple[sp.Symbol, ...], ...]
    payoffs: tuple[tuple[sp.Expr, ...], ...]
    rhs: tuple[sp.Expr, ...]
    numeric: bool

    @property
    def flat_variables(self) -> tuple[sp.Symbol, ...]:
        """All reduced coordinates in one tuple, population after population.

        >>> from gametheory_regen.model import Game
        >>> replicator_system(Game.builtin("rock_paper_scissors")).flat_variables
        (x1, x2, y1, y2)
        """
        return tuple(v for vs in self.variables for v in vs)

    @property
    def dimension(self) -> int:
        """Dimension of the reduced system: :math:`\\sum_p (k_p - 1)`.

        >>> from gametheory_regen.model import Game
        >>> replicator_system(Game.builtin("jordan_matching_pennies")).dimension
        3
        """
        return len(self.flat_variables)

    def jacobian(self) -> sp.Matrix:
        """Symbolic Jacobian of the reduced system.

        Returns
        -------
        sympy.Matrix
            :math:`\\partial \\dot x_i / \\partial x_j` in the order of :attr:`flat_variables`
            (computed once, then cached).

        Examples
        --------
        At the centre of matching pennies the Jacobian is a rotation, eigenvalues :math:`\\pm i`:

        >>> import sympy as sp
        >>> from gametheory_regen.model import Game
        >>> system = replicator_system(Game.builtin("matching_pennies"))
        >>> x, y = system.flat_variables
        >>> J = system.jacobian().subs({x: sp.Rational(1, 2), y: sp.Rational(1, 2)})
        >>> J.tolist(), J.eigenvals()
        ([[0, 1], [-1, 0]], {-I: 1, I: 1})
        """
        cache = self.__dict__.setdefault("_jac", [])
        if not cache:  # element-wise diff: much faster than Matrix.jacobian on polynomials
            variables = self.flat_variables
            rows = []
            for f in self.rhs:
                if f.is_polynomial(*variables):
                    poly = sp.Poly(f, *variables)
                    rows.append([poly.diff(v).as_expr() for v in variables])
                else:
                    rows.append([sp.diff(f, v) for v in variables])
            cache.append(sp.Matrix(rows))
        return cache[0]

    def equations(self) -> dict[str, sp.Expr]:
        """Display form: variable name -> right-hand side.

        A two-strategy population is shown as ``x*(1 - x)*(u1 - u2)`` with the payoff difference
        collected; larger populations as ``x1*(u1 - ubar)`` expanded.

        Returns
        -------
        dict of str to sympy.Expr
            Variable name -> right-hand side, in the order of :attr:`flat_variables`.

        Examples
        --------
        Hawk-dove with free parameters: each role plays hawk more while :math:`V - C s > 0`,
        with :math:`s` the other role's share of hawks:

        >>> from gametheory_regen.model import Game
        >>> system = replicator_system(Game.builtin("hawk_dove"), numeric=False)
        >>> system.equations()
        {'x': x*(1 - x)*((-C*y + V)/2), 'y': y*(1 - y)*((-C*x + V)/2)}
        >>> replicator_system(Game.builtin("hawk_dove")).equations()["x"]     # V = 2, C = 4
        x*(1 - x)*(1 - 2*y)
        """
        out = {}
        for p, vars_p in enumerate(self.variables):
            u = self.payoffs[p]
            if len(vars_p) == 1:
                x = vars_p[0]
                diff = sp.factor_terms(_tidy_payoff(u[0] - u[1]))
                out[str(x)] = sp.Mul(x, 1 - x, diff, evaluate=False)
            else:
                idx = sum(len(v) for v in self.variables[:p])
                for j, x in enumerate(vars_p):
                    out[str(x)] = self.rhs[idx + j]
        return out


def replicator_system(game: Game, *, numeric: bool | None = None) -> ReplicatorSystem:
    """Build the replicator equations of ``game``.

    Parameters
    ----------
    game : Game
    numeric : bool, optional
        Substitute parameter values (exact rationals).  Default: when every parameter has one.

    Returns
    -------
    ReplicatorSystem
        Cached on the game: a second call returns the same object.

    Raises
    ------
    ParameterError
        With ``numeric=True`` when some parameter has no value.

    Examples
    --------
    A constant payoff advantage gives the logistic equation (Hofbauer & Sigmund 1998, section 7.1):

    >>> from gametheory_regen.model import Game
    >>> g = Game.from_table("adv", [("a", ["s", "t"]), ("b", ["s", "t"])],
    ...     {("s", "s"): (1, 0), ("s", "t"): (1, 0)})
    >>> replicator_system(g).equations()["x"]
    x*(1 - x)*1
    """
    if numeric is None:
        numeric = game.is_numeric
    cache = game._cache  # type: ignore[attr-defined]
    key = ("replicator", numeric)
    if key in cache:
        return cache[key]
    variables = state_symbols(game)
    shares = full_shares(game, variables)
    all_u = game_payoffs(game, numeric=numeric)
    payoffs = []
    rhs = []
    for p, vars_p in enumerate(variables):
        u = list(all_u[p])
        payoffs.append(tuple(u))
        if len(vars_p) == 1:
            x = vars_p[0]
            rhs.append(_tidy_payoff(x * (1 - x) * (u[0] - u[1])))
        else:
            ubar = sum(s * ui for s, ui in zip(shares[p], u, strict=True))
            for j, x in enumerate(vars_p):
                rhs.append(_tidy_payoff(x * (u[j] - ubar)))
    system = ReplicatorSystem(game, variables, tuple(payoffs), tuple(rhs), numeric)
    cache[key] = system
    return system
