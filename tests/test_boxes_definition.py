"""Vertex boxes and rate terms against their definition, vertex by vertex.

:func:`~gametheory_regen.dynamics.boxes.vertex_boxes` and
:func:`~gametheory_regen.dynamics.boxes.vertex_rate_terms` are vectorised over games, vertices
and deviations. Here every number is formed from the definition in their docstrings, one vertex
at a time with plain Python loops over the profiles: at vertex ``s``, for population ``p`` and
strategy ``j != s_p`` (the ``jj``-th after ``s_p``, cyclically), ``c(sigma) = a_p(j, sigma) -
a_p(s_p, sigma)`` over the other populations' profiles ``sigma``, ``lambda = c(s_-p)``, ``M =
max |c(sigma) - lambda|``; the radius is ``r = 1 - (1 - |lambda| / M)^(1 / (n - 1))`` (1 when
``|lambda| >= M``, 0 unless ``lambda < 0``), the box ``min(BOX_SAFETY min r, BOX_CAP)`` and 0
at vertices that are not strict Nash.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from gametheory_regen.dynamics.boxes import (
    BOX_CAP,
    BOX_SAFETY,
    vertex_boxes,
    vertex_boxes_from_terms,
    vertex_rate_terms,
)


def _by_definition(pay, counts):
    """(boxes (K,), lam (K, J), spread (K, J)) of one game ``pay`` (n, *counts)."""
    n = len(counts)
    J = sum(k - 1 for k in counts)
    K = math.prod(counts)
    boxes = np.zeros(K)
    lam = np.zeros((K, J))
    spread = np.zeros((K, J))
    for flat, s in enumerate(itertools.product(*[range(k) for k in counts])):
        col = 0
        rs = []
        for p in range(n):
            k = counts[p]
            others = [range(counts[q]) if q != p else [None] for q in range(n)]
            for jj in range(1, k):
                j = (s[p] + jj) % k
                cs = []
                for sig in itertools.product(*others):
                    own = list(sig)
                    own[p] = j
                    hi = pay[(p, *own)]
                    own[p] = s[p]
                    cs.append(hi - pay[(p, *own)])
                at = list(s)
                at[p] = j
                hi = pay[(p, *at)]
                at[p] = s[p]
                lm = hi - pay[(p, *at)]
                M = max(abs(c - lm) for c in cs)
                lam[flat, col] = -lm
                spread[flat, col] = M
                col += 1
                if lm >= 0:
                    rs.append(0.0)
                elif n == 1 or M == 0 or -lm / M >= 1:
                    rs.append(1.0)
                else:
                    rs.append(1.0 - (1.0 - (-lm / M)) ** (1.0 / (n - 1)))
        boxes[flat] = min(BOX_SAFETY * min(rs, default=math.inf), BOX_CAP)
    return boxes, lam, spread


@pytest.mark.parametrize("counts", [(2, 2), (2, 3), (3, 3), (2, 2, 2), (3, 2, 4), (4, 4, 4),
                                    (3,), (1, 3), (2,) * 4])
def test_boxes_and_rate_terms_follow_their_definition(counts):
    rng = np.random.default_rng(sum(counts) + len(counts))
    n, K = len(counts), math.prod(counts)
    games = [rng.uniform(-1, 1, (n, *counts)),
             rng.integers(-2, 3, (n, *counts)).astype(float),  # ties: lambda = 0, M = 0
             np.zeros((n, *counts))]
    # a coordination game: every population earns 1 on the diagonal (strict Nash vertices)
    coord = np.zeros((n, *counts))
    for p in range(n):
        for d in range(min(counts)):
            coord[(p, *([d] * n))] = 1.0
    games.append(coord)
    pays = np.stack(games).reshape(len(games), n, K)
    boxes = vertex_boxes(pays, counts)
    lam, spread = vertex_rate_terms(pays, counts)
    assert np.array_equal(vertex_boxes_from_terms(lam, spread, n), boxes)
    for g, pay in enumerate(games):
        want_b, want_l, want_s = _by_definition(pay, counts)
        # the same operations but pow: numpy's and Python's may differ in the last bit
        np.testing.assert_allclose(boxes[g], want_b, rtol=1e-14, atol=0)
        assert np.array_equal(lam[g], want_l) and np.array_equal(spread[g], want_s)
    # the coordination game's diagonal vertices are strict Nash (with two populations or
    # more): their boxes are open
    if n > 1:
        for d in range(min(counts)):
            assert boxes[3].reshape(counts)[(d,) * n] > 0
