"""Faces of a game with free parameters whose equations include a condition on the parameters
alone: for generic parameter values they hold no rest point, and the report says so (rather than
spending the time budget and calling the face unsolved)."""

from __future__ import annotations

from gametheory_regen import GameBuilder, analyze


def _advantage_game():
    """The row's first strategy earns a more whatever the column does; the column is
    indifferent between its strategies (a textbook dominance example)."""
    b = GameBuilder("advantage")
    b.population("row", ["first", "second"])
    b.population("column", ["left", "right"])
    b.parameter("a", min=0)
    for r in ("first", "second"):
        for c in ("left", "right"):
            b.payoff([r, c], ["a" if r == "first" else "0", "0"])
    return b.build()


def test_parameter_only_face_equation_means_no_generic_rest_point():
    res = analyze(_advantage_game())
    notes = [n for n in res.notes if "no rest point for generic parameter values" in n]
    # the faces where the row mixes: its equation is a = 0 whatever the column does
    assert len(notes) == 3
    assert all("rest points exist only where a = 0" in n for n in notes)
    assert res.unsolved_faces == ()
    # the column is indifferent: the edges where only the column mixes are continua
    assert len(res.continua) >= 1
