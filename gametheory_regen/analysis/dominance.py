r"""Faces that cannot hold a rest point because one used strategy dominates another there.

With constant payoffs in a game of two or more populations, population :math:`p`'s payoff
advantage of strategy :math:`i` over :math:`j` at a state of the face
:math:`\prod_q \Delta(S_q)` is multilinear in the *other* populations' shares:

.. math:: u_{pi}(x) - u_{pj}(x) = \sum_{s_{-p} \in S_{-p}} d_{ij}(s_{-p})
          \prod_{q \ne p} x_{q s_q}, \qquad d_{ij}(s_{-p}) = A_p(i, s_{-p}) - A_p(j, s_{-p}).

In the *open* face every weight :math:`\prod_q x_{q s_q}` is positive and they sum to one.  So
if :math:`d_{ij} \ge 0` at every sub-profile of the face and :math:`> 0` at one (``i`` weakly
dominates ``j`` within the face, strictly somewhere), the advantage is positive at every state
of the open face: ``i`` and ``j`` never earn the same, and the face holds no rest point and no
continuum.  This is exact (rational arithmetic on the payoff table), costs one pass over the
face's sub-profiles, and decides most faces of degenerate games (a 6x6 coordination game: 3,304
of its 3,933 faces) and about half of those of random games before any equation is solved.
It is the support-enumeration pruning of Nash-equilibrium algorithms (e.g. Porter, Nudelman &
Shoham 2008), applied to rest points rather than equilibria.

Examples
--------
>>> from gametheory_regen.model import Game
>>> coord = Game.from_table("c", [("a", ["s", "t", "u"]), ("b", ["s", "t", "u"])],
...     {("s", "s"): (1, 1), ("t", "t"): (1, 1), ("u", "u"): (1, 1)})
>>> table = rational_table(coord)
>>> dominated_face(((0, 1), (0,)), table)   # against b = s, a's s earns 1 and t earns 0
True
>>> dominated_face(((0, 1), (0, 1)), table)  # the mixed point (1/2, 1/2) of {s, t}
False
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from ..model.game import Game

__all__ = ["rational_table", "dominated_face"]


def rational_table(game: Game):
    """Per population, the payoff table as exact fractions; None when the test does not apply.

    Parameters
    ----------
    game : Game

    Returns
    -------
    list of dict or None
        ``table[p][profile]`` as a :class:`fractions.Fraction`; None for a game with one
        population, payoffs that depend on the state, free parameters or irrational payoffs.

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> rational_table(Game.builtin("hawk_dove"))[0][(0, 0)]
    Fraction(-1, 1)
    >>> rational_table(Game.builtin("hawk_dove").without_values()) is None
    True
    """
    if game.symmetric or game.state_dependent or not game.is_numeric or game.fitness:
        return None
    tables = []
    for tensor in game.payoff_tensors(numeric=True):
        table = {}
        for profile in game.profiles():
            v = tensor[profile]
            if not v.is_Rational:
                return None
            table[tuple(profile)] = Fraction(int(v.p), int(v.q))
        tables.append(table)
    return tables


def dominated_face(face, table) -> bool:
    """Whether some used strategy weakly dominates another used one within ``face``, strictly
    at some sub-profile (then the open face holds no rest point; see the module docstring).

    Parameters
    ----------
    face : tuple of tuple of int
        Strategies in use per population.
    table : list of dict
        From :func:`rational_table`.

    Returns
    -------
    bool

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> table = rational_table(Game.builtin("matching_pennies"))
    >>> dominated_face(((0, 1), (0, 1)), table), dominated_face(((0, 1), (1,)), table)
    (False, True)
    """
    n = len(face)
    for p, used in enumerate(face):
        if len(used) < 2:
            continue
        others = [face[q] for q in range(n) if q != p]
        subs = list(itertools.product(*others))
        tab = table[p]
        for i, j in itertools.combinations(used, 2):
            pos = neg = False
            for sub in subs:
                d = tab[sub[:p] + (i,) + sub[p:]] - tab[sub[:p] + (j,) + sub[p:]]
                if d > 0:
                    pos = True
                elif d < 0:
                    neg = True
                if pos and neg:
                    break
            if pos != neg:  # one sign only, and not all zero
                return True
    return False
