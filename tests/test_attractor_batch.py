"""The vectorised attractor search gives exactly the per-group loop's results.

:func:`gametheory_regen.analysis.attractors.settled_attractors` clusters, snaps and tests all
groups (grid cells) at once (:mod:`gametheory_regen.analysis.attractor_batch`). The reference
below is the per-group loop it replaced, kept verbatim; on seeded random inputs built to hit
the edge cases (exact ties between cluster distances, distances at the tolerance and one ulp
on either side of it, -0.0 shares, vertices at rest and not, proven vertices, empty groups,
failed tests) every output must be bit-for-bit the loop's: same members, same
representatives, same order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from gametheory_regen.analysis.attractor_batch import cluster_groups, perturbed_starts_batch
from gametheory_regen.analysis.attractors import (
    SettledAttractors,
    cluster_states,
    perturbed_starts,
    settled_attractors,
)


def loop_settled_attractors(final, at_rest, group, n_groups: int, counts, *, tol: float,
                       rerun: Callable | None, velocity: Callable,
                       delta: float = 1e-3, stable=None) -> SettledAttractors:
    """The per-group loop the vectorised version replaced (commit e16c877)."""
    from gametheory_regen.analysis.batch import vertex_states

    final = np.atleast_2d(np.asarray(final, dtype=float))
    at_rest = np.asarray(at_rest, dtype=bool)
    group = np.asarray(group, dtype=np.int64)
    m = final.shape[0]
    labels = np.full(m, -1, dtype=np.int64)
    verts = vertex_states(counts)
    reps_of, members_of = [], []
    for g in range(int(n_groups)):
        rows = np.flatnonzero(at_rest & (group == g))
        reps, lab = cluster_states(final[rows], tol)
        if reps.shape[0]:
            # a representative within tol of a vertex where the velocity is exactly zero is
            # that vertex (the flow fixes it; the end states only approach it)
            d = np.max(np.abs(reps[:, None, :] - verts[None, :, :]), axis=2)
            near = np.argmin(d, axis=1)
            close = d[np.arange(reps.shape[0]), near] <= tol
            if close.any():
                vv = verts[near[close]]
                still = np.max(np.abs(velocity(vv, np.full(vv.shape[0], g))), axis=1) == 0.0
                idx = np.flatnonzero(close)[still]
                reps[idx] = verts[near[idx]]
        reps_of.append(reps)
        members_of.append((rows, lab))
    attracts = [np.ones(r.shape[0], dtype=bool) for r in reps_of]
    proven = None if stable is None else np.asarray(stable, dtype=bool)
    if rerun is not None:
        starts, owner = [], []
        for g, reps in enumerate(reps_of):
            for j, r in enumerate(reps):
                if proven is not None:
                    hit = np.flatnonzero(np.all(verts == r, axis=1))
                    if hit.size and proven[g, hit[0]]:
                        continue  # linearly stable vertex: asymptotically stable, proven
                p = perturbed_starts(r, counts, delta)
                starts.append(p)
                owner += [(g, j)] * p.shape[0]
        if owner:
            x0 = np.concatenate(starts)
            grp = np.array([g for g, _ in owner], dtype=np.int64)
            end, rest = rerun(x0, grp)
            for (g, j), e, ok in zip(owner, end, rest, strict=True):
                if not (ok and np.max(np.abs(e - reps_of[g][j])) <= tol):
                    attracts[g][j] = False
    states, others = [], []
    for g, reps in enumerate(reps_of):
        rows, lab = members_of[g]
        keep = np.flatnonzero(attracts[g])
        new_index = np.full(reps.shape[0], -1, dtype=np.int64)
        new_index[keep] = np.arange(keep.size)
        labels[rows] = new_index[lab] if rows.size else labels[rows]
        states.append(reps[keep])
        others.append(reps[~attracts[g]])
    return SettledAttractors(states=tuple(states), labels=labels,
                             rest_not_attracting=tuple(others), tol=float(tol),
                             delta=float(delta) if rerun is not None else 0.0)


def _states(rng, m, counts, tol):
    """End states on the simplices, many of them copies of a few centres moved by about tol
    (exactly tol, one ulp more or less, or random below/above), so clusters touch and tie."""
    from gametheory_regen.analysis.batch import vertex_states

    N = sum(counts)
    verts = vertex_states(counts)
    centres = []
    for _ in range(3):
        c, a = np.empty(N), 0
        for k in counts:
            c[a:a + k] = rng.dirichlet(np.ones(k))
            a += k
        centres.append(c)
    centres += [verts[rng.integers(verts.shape[0])] for _ in range(2)]
    centres = np.array(centres)
    out = np.empty((m, N))
    for i in range(m):
        x = centres[rng.integers(centres.shape[0])].copy()
        kind = rng.integers(6)
        j = rng.integers(N)
        if kind == 1:
            x[j] += tol
        elif kind == 2:
            x[j] = np.nextafter(x[j] + tol, np.inf)
        elif kind == 3:
            x[j] = np.nextafter(x[j] - tol, -np.inf)
        elif kind == 4:
            x += rng.uniform(-2 * tol, 2 * tol, N)
        elif kind == 5 and x[j] == 0.0:
            x[j] = -0.0
        out[i] = x
    return out


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _same_result(new: SettledAttractors, old: SettledAttractors):
    assert _same(new.labels, old.labels)
    assert len(new.states) == len(old.states)
    for s_new, s_old in zip(new.states, old.states, strict=True):
        assert _same(s_new, s_old)
    for s_new, s_old in zip(new.rest_not_attracting, old.rest_not_attracting, strict=True):
        assert _same(s_new, s_old)
    assert (new.tol, new.delta) == (old.tol, old.delta)


@pytest.mark.parametrize("counts", [(2,), (3,), (2, 2), (2, 2, 2), (3, 2)])
@pytest.mark.parametrize("seed", range(6))
def test_cluster_groups_is_the_per_group_greedy_loop(counts, seed):
    rng = np.random.default_rng(1000 * seed + sum(counts))
    tol = [1e-6, 1.01e-6, 0.0101][seed % 3]
    G = 7
    m = int(rng.integers(0, 60))
    x = _states(rng, m, counts, tol)
    group = rng.integers(0, G, m)
    group[group == 3] = 2                       # group 3 empty
    reps, rep_group, lab, first = cluster_groups(x, group, G, tol)
    for g in range(G):
        rows = np.flatnonzero(group == g)
        r_old, l_old = cluster_states(x[rows], tol)
        assert _same(reps[first[g]:first[g + 1]], r_old.reshape(-1, x.shape[1]))
        assert _same(lab[rows], l_old)
        assert np.all(rep_group[first[g]:first[g + 1]] == g)


def test_cluster_groups_ties_go_to_the_lower_cluster():
    # the third state is exactly as far (tol) from both first members: the loop's argmin
    # takes the lower index
    x = [[0.0, 1.0], [2e-6, 1.0 - 2e-6], [1e-6, 1.0 - 1e-6]]
    reps, _, lab, _ = cluster_groups(x, [0, 0, 0], 1, 1e-6)
    _, l_old = cluster_states(x, 1e-6)
    assert lab.tolist() == l_old.tolist()


@pytest.mark.parametrize("counts", [(2,), (3,), (2, 2), (2, 3, 2)])
def test_perturbed_starts_batch_is_perturbed_starts_in_turn(counts):
    rng = np.random.default_rng(sum(counts) * 7)
    from gametheory_regen.analysis.batch import vertex_states

    reps = np.concatenate([_states(rng, 9, counts, 1e-6), vertex_states(counts)[:3],
                           np.zeros((1, sum(counts)))])
    s, owner = perturbed_starts_batch(reps, counts, 1e-3)
    old = [perturbed_starts(r, counts, 1e-3) for r in reps]
    assert _same(s, np.concatenate(old))
    assert owner.tolist() == [i for i, o in enumerate(old) for _ in range(o.shape[0])]


def _fake_dynamics(rng, G, counts, tol):
    """A velocity zero at some vertices of some groups, and a rerun whose outcome is a seeded
    coin per start (at rest or not, back within tol or not), so tests pass and fail."""
    from gametheory_regen.analysis.batch import vertex_states

    verts = vertex_states(counts)
    zero = rng.random((G, verts.shape[0])) < 0.6

    def velocity(x, grp):
        x = np.atleast_2d(x)
        at = np.all(x[:, None, :] == verts[None, :, :], axis=2)
        z = (at & zero[grp]).any(axis=1)
        return np.where(z[:, None], 0.0, 1e-3 + x)

    calls = []

    def rerun(x0, grp):
        calls.append((x0.copy(), grp.copy()))
        # each start ends where it began, a move of delta-size from its representative:
        # back within tol = 0.0101, not within tol = 1e-6; at rest by a seeded coin
        c = np.random.default_rng(int(grp.sum()) + x0.shape[0])
        return x0.copy(), c.random(x0.shape[0]) < 0.95

    return velocity, rerun, calls


@pytest.mark.parametrize("counts", [(2,), (3,), (2, 2), (2, 2, 2)])
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("with_stable", [False, True])
@pytest.mark.parametrize("with_rerun", [False, True])
def test_settled_attractors_is_the_per_group_loop(counts, seed, with_stable, with_rerun):
    from gametheory_regen.analysis.batch import vertex_states

    rng = np.random.default_rng(seed * 31 + len(counts))
    tol = [1e-6, 0.0101][seed % 2]
    G = 6
    m = int(rng.integers(1, 80))
    final = _states(rng, m, counts, tol)
    group = rng.integers(0, G, m)
    group[group == 4] = 0                       # group 4 empty
    at_rest = rng.random(m) < 0.8
    velocity, rerun, calls = _fake_dynamics(rng, G, counts, tol)
    stable = rng.random((G, vertex_states(counts).shape[0])) < 0.5 if with_stable else None
    kw = dict(tol=tol, rerun=rerun if with_rerun else None, velocity=velocity, delta=1e-3,
              stable=stable)
    new = settled_attractors(final, at_rest, group, G, counts, **kw)
    n_new = list(calls)
    calls.clear()
    old = loop_settled_attractors(final, at_rest, group, G, counts, **kw)
    _same_result(new, old)
    assert len(n_new) == len(calls)
    for (x_new, g_new), (x_old, g_old) in zip(n_new, calls, strict=True):
        assert _same(x_new, x_old) and _same(g_new, g_old)
    if with_rerun and tol > 1e-3:
        assert any(len(s) for s in new.states)
    if with_rerun and tol < 1e-3 and calls:
        assert any(len(s) for s in new.rest_not_attracting)


@pytest.mark.parametrize("m", [9, 17, 300])
def test_cluster_groups_mean_of_many_members(m):
    # one big cluster: the mean is summed in the same order as numpy's mean over axis 0
    rng = np.random.default_rng(m)
    x = 0.3 + rng.uniform(-1e-7, 1e-7, (m, 3))
    for G, group in ((1, np.zeros(m, np.int64)), (2, rng.integers(0, 2, m))):
        reps, _, lab, first = cluster_groups(x, group, G, 1e-6)
        for g in range(G):
            r_old, l_old = cluster_states(x[group == g], 1e-6)
            assert _same(reps[first[g]:first[g + 1]], r_old) and _same(lab[group == g], l_old)


@pytest.mark.parametrize("counts", [(2,), (3,), (2, 2), (2, 3, 2)])
def test_vertex_index_is_the_per_state_loop(counts):
    from gametheory_regen.analysis.attractors import vertex_index
    from gametheory_regen.analysis.batch import vertex_states

    V = vertex_states(counts)
    rng = np.random.default_rng(len(counts) * 5 + sum(counts))
    x = np.concatenate([V[rng.integers(0, V.shape[0], 7)], _states(rng, 7, counts, 1e-6),
                        np.nextafter(V[:2], 0.5)])
    x = x[rng.permutation(x.shape[0])]
    old = []
    for row in x:                               # the loop vertex_index replaced
        hit = np.flatnonzero(np.all(V == row, axis=1))
        old.append(int(hit[0]) if hit.size else -1)
    got = vertex_index(x, counts)
    assert got.dtype == np.int64 and got.tolist() == old
    assert any(v >= 0 for v in old) and any(v < 0 for v in old)
    assert vertex_index(np.zeros((0, sum(counts))), counts).shape == (0,)
