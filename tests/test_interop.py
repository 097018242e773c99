"""Exchange with Gambit (.nfg) and nashpy.

The .nfg layout follows the Gambit documentation, "Game representation formats: the strategic
game (.nfg) file format, payoff version / outcome version": a header with the title, players and
strategies, then payoffs with the first player's strategy changing fastest.
"""

from __future__ import annotations

import re
import warnings

import nashpy
import numpy as np
import pytest

from gametheory_regen.analysis import analyze
from gametheory_regen.errors import GameInputError
from gametheory_regen.model import Game
from gametheory_regen.model.interop import (
    from_nashpy,
    payoff_matrices,
    to_nashpy,
    to_nfg,
    write_nfg,
)

MATCHING_PENNIES_NFG = """\
NFG 1 R "Two-population matching pennies" { "row" "column" }
{ { "heads" "tails" } { "heads" "tails" } }
"gametheory_regen model matching_pennies; parameters: a=1"

1 -1 -1 1 -1 1 1 -1
"""


def test_nfg_payoff_version_matching_pennies():
    assert to_nfg(Game.builtin("matching_pennies")) == MATCHING_PENNIES_NFG


def test_nfg_outcome_version_matching_pennies():
    text = to_nfg(Game.builtin("matching_pennies"), version="outcome", comment="")
    lines = text.splitlines()
    assert lines[:4] == MATCHING_PENNIES_NFG.splitlines()[:2] + ['""', ""]
    assert lines[4] == "{" and lines[9] == "}"
    # profiles in Gambit order: (H,H), (T,H), (H,T), (T,T)
    assert lines[5:9] == ['{ "heads heads" 1, -1 }', '{ "tails heads" -1, 1 }',
                          '{ "heads tails" -1, 1 }', '{ "tails tails" 1, -1 }']
    assert lines[10] == "1 2 3 4"


def _parse_payoff_nfg(text: str):
    """A small independent reader of the payoff version (numbers only)."""
    header, _, body = text.partition('\n\n')
    counts = [len(re.findall(r'"[^"]*"', block)) for block in
              re.findall(r"\{([^{}]*)\}", header.splitlines()[1])]
    from fractions import Fraction

    numbers = [Fraction(tok) for tok in body.split()]
    n = len(counts)
    out = np.empty((n, *counts))
    profiles = [tuple(reversed(p)) for p in np.ndindex(*reversed(counts))]
    for i, profile in enumerate(profiles):
        for p in range(n):
            out[(p, *profile)] = float(numbers[i * n + p])
    return out


@pytest.mark.parametrize("name", ["jordan_matching_pennies", "rock_paper_scissors",
                                  "hawk_dove", "regeneration"])
def test_nfg_payoffs_read_back(name):
    from gametheory_regen.dynamics.numeric import payoff_tensor

    game = Game.builtin(name)
    np.testing.assert_allclose(_parse_payoff_nfg(to_nfg(game)), payoff_tensor(game), rtol=1e-15)


def test_nfg_rational_payoffs_stay_exact():
    game = Game.builtin("hawk_dove").with_values({"V": 1, "C": 4})
    assert to_nfg(game, comment="").splitlines()[-1] == "-3/2 -3/2 0 1 1 0 1/2 1/2"


def test_nfg_quotes_are_escaped():
    game = Game.builtin("matching_pennies")
    assert 'NFG 1 R "say \\"hi\\"" {' in to_nfg(game, title='say "hi"')


def test_nfg_needs_values_and_a_known_version(tmp_path):
    with pytest.raises(GameInputError, match="without a value"):
        to_nfg(Game.builtin("hawk_dove").without_values())
    with pytest.raises(GameInputError, match="'payoff' or 'outcome'"):
        to_nfg(Game.builtin("hawk_dove"), version="tree")
    write_nfg(Game.builtin("matching_pennies"), tmp_path / "mp.nfg")
    assert (tmp_path / "mp.nfg").read_text() == MATCHING_PENNIES_NFG


def test_nashpy_round_trip():
    game = Game.builtin("battle_of_sexes")
    nash = to_nashpy(game)
    A, B = nash.payoff_matrices
    np.testing.assert_array_equal(A, [[2, 0], [0, 1]])
    np.testing.assert_array_equal(B, [[1, 0], [0, 2]])
    back = from_nashpy(nash, "bos", populations=[("woman", ["opera", "football"]),
                                                  ("man", ["opera", "football"])])
    for profile in game.profiles():
        assert tuple(back.payoff_tensors(numeric=True)[p][profile] for p in range(2)) == \
            tuple(game.payoff_tensors(numeric=True)[p][profile] for p in range(2))


def test_from_nashpy_zero_sum_and_default_names():
    g = from_nashpy(nashpy.Game(np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])))
    assert g.shape == (3, 3)
    assert g.populations[0].strategies == ("r1", "r2", "r3")
    assert g.payoff_at(("r1", "c2")) == (-1, 1)


def test_from_nashpy_checks_names():
    with pytest.raises(GameInputError, match="two \\(name, strategies\\) pairs"):
        from_nashpy(nashpy.Game(np.eye(2)), populations=[("a", ["x"]), ("b", ["y", "z"])])


def test_slice_of_a_three_population_game():
    game = Game.builtin("regeneration")
    A, B = payoff_matrices(game, fixed={"residents": "participate"})
    from gametheory_regen.dynamics.numeric import payoff_tensor

    pay = payoff_tensor(game)
    np.testing.assert_allclose(A, pay[0, :, :, 0])
    np.testing.assert_allclose(B, pay[1, :, :, 0])
    with pytest.raises(GameInputError, match="exactly two free populations"):
        to_nashpy(game)


def _nash_states(analysis):
    return sorted(tuple(np.round(np.concatenate(r.state), 9)) for r in analysis.rest_points
                  if r.nash)


@pytest.mark.parametrize("name", ["matching_pennies", "battle_of_sexes", "hawk_dove",
                                  "rock_paper_scissors"])
def test_equilibria_agree_with_nashpy(name):
    """Nash equilibria by support enumeration (nashpy) = our rest points flagged Nash."""
    game = Game.builtin(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = sorted(tuple(np.round(np.concatenate(eq), 9))
                        for eq in to_nashpy(game).support_enumeration())
    assert theirs == _nash_states(analyze(game))


def test_equilibria_agree_on_an_imported_game():
    """Prisoner's dilemma (Axelrod 1984 payoffs 3, 0, 5, 1): (defect, defect) only."""
    A = np.array([[3, 0], [5, 1]])
    nash = nashpy.Game(A, A.T)
    game = from_nashpy(nash, "pd", populations=[("p1", ["C", "D"]), ("p2", ["C", "D"])])
    analysis = analyze(game)
    assert _nash_states(analysis) == [(0.0, 1.0, 0.0, 1.0)]
    assert [r.state for r in analysis.stable] == [((0.0, 1.0), (0.0, 1.0))]
