"""A Game survives pickling (multiprocessing, Dask workers): the copy has the same fields,
payoffs, scenarios and analysis."""

import pickle

import pytest

import gametheory_regen as gr
from gametheory_regen import Game
from gametheory_regen.model.library import builtin_names


def _fitness_game():
    text = """
name = "inspection"
[[populations]]
name = "firms"
strategies = ["comply", "cheat"]
[[populations]]
name = "agency"
strategies = ["inspect", "skip"]
[parameters]
F = { value = 2 }
[[fitness]]
population = "firms"
strategy = "comply"
value = "1 - F*(1 - x)*y"
[[fitness]]
population = "agency"
strategy = "inspect"
value = "1 - 2*x"
"""
    from gametheory_regen.model.modelfile import read_model_text

    return read_model_text(text, "inspection.toml")


def _games():
    yield from (Game.builtin(name) for name in builtin_names())
    yield Game.symmetric("hd", ["hawk", "dove"], [["(V - C)/2", "V"], [0, "V/2"]],
                         [gr.Parameter.make("V", 2), gr.Parameter.make("C", 4)])
    yield _fitness_game()
    regen = Game.builtin("regeneration").with_scenario("jinsong")
    yield regen.with_dynamics("logit,temperature=0.2")


@pytest.mark.parametrize("game", list(_games()), ids=repr)
def test_pickle_round_trip(game):
    copy = pickle.loads(pickle.dumps(game))
    assert repr(copy) == repr(game)
    for name in ("name", "populations", "parameters", "terms", "schedules", "scenario",
                 "dynamics", "title", "source", "time_unit", "path"):
        assert getattr(copy, name) == getattr(game, name), name
    for name in ("table", "derived", "scenarios", "fitness"):
        assert dict(getattr(copy, name)) == dict(getattr(game, name)), name
    assert copy.values == game.values
    if not game.state_dependent:
        assert copy.payoff_tensors() == game.payoff_tensors()


def test_pickled_game_gives_the_same_report():
    game = Game.builtin("hawk_dove")
    copy = pickle.loads(pickle.dumps(game))
    a, b = gr.analyze(game), gr.analyze(copy)
    assert [(p.state, p.stability) for p in a.rest_points] == \
        [(p.state, p.stability) for p in b.rest_points]
