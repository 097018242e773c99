r"""Attractors found by simulation: settled end states, clustered and tested, for any dynamics.

Mathematics
-----------
Under the multi-population replicator with constant payoffs the asymptotically stable rest
points are exactly the strict Nash vertices (Selten 1980; Ritzberger & Vogelsberger 1990), and
the engine proves convergence to them with forward-invariant boxes
(:func:`gametheory_regen.dynamics.kernels.vertex_boxes`). Under the other dynamics of Contract 4
an attractor may lie anywhere: a logit quantal response equilibrium is interior, the
replicator-mutator's rest points are interior for :math:`\mu > 0`, a single population's mixed
ESS is interior. Such attractors are found from the end states of the trajectories:

1. **At rest.** A trajectory is at rest when the engine stopped it as settled (its speed
   :math:`\max_i |\dot x_i|` fell below ``settle_tol`` and was not growing) or when its speed at
   the horizon is below :math:`\max(\texttt{settle\_tol}, 100\,(\texttt{rtol} +
   \texttt{atol}))`. The second bound is the integrator's noise floor: near a rest point an
   adaptive method takes long steps whose accepted local errors (up to ``rtol |x| + atol`` per
   step, :math:`|x| \le 1`) keep the numerical state jittering at that level, so its speed
   (that error times a Lipschitz constant of the field, of the order of the payoffs) cannot be
   expected to fall below ``settle_tol`` = :math:`10^{-10}` when the rest point contracts
   slowly (rock-paper-scissors under the replicator-mutator with :math:`\mu = 0.1` stays near
   :math:`5 \times 10^{-9}`). Being at rest is only a candidate: step 3 decides. Under the
   replicator and imitation dynamics, whose vertices are rest points, an end state within
   ``match_tol`` of a *linearly stable* vertex (every payoff gain of a deviation negative;
   under imitation the eigenvalues there are :math:`\tanh(\beta g / 2)`, of the same signs as
   the gains :math:`g`) also counts as at rest at that vertex -- a criterion, not a proof.
2. **Clustering.** The at-rest end states of one game are grouped greedily, in the order of the
   starts, with the sup-norm tolerance

   .. math:: \tau = \max(\texttt{match\_tol},\ 100\,(\texttt{rtol} + \texttt{atol})).

   Derivation: an end state differs from the rest point it approaches by its integration error
   and by the distance left when it stops. With error control per step of
   ``rtol |x| + atol`` (:math:`|x| \le 1`) and a contracting flow near an attractor, the global
   error stays within a modest multiple of ``rtol + atol`` (the factor 100 covers it); a state
   whose speed is below ``settle_tol`` lies within ``settle_tol`` / :math:`\lambda` of a
   hyperbolic rest point with slowest rate :math:`\lambda`, which is below ``match_tol`` for
   :math:`\lambda \ge` ``settle_tol / match_tol`` (:math:`10^{-4}` with the defaults). So two
   end states at the same attractor are within :math:`\tau` of each other, and ``match_tol`` is
   the engine's own stated distance at which a settled state matches a rest point (with the
   default tolerances :math:`\tau = 1.01 \times 10^{-6}`). A cluster's
   representative is the mean of its members; it is replaced by the exact vertex when it lies
   within :math:`\tau` of a vertex at which the velocity is exactly zero.
3. **Attractor test.** A rest point reached by some trajectories need not attract (a saddle is
   reached from its stable manifold, e.g. grid starts on an invariant diagonal). Each
   representative :math:`r` is perturbed toward every pure strategy of every population,
   :math:`x_p = (1 - \delta) r_p + \delta e_i` with :math:`\delta = 10^{-3}` (these moves stay on
   the simplex and positively span its tangent space, so every unstable direction has a
   positive component along one of them); :math:`r` counts as an attractor when every
   perturbed start is at rest within :math:`\tau` of :math:`r` by the same horizon. Otherwise its
   trajectories count as *not settled at an attractor*, as before. This is what simulations
   show, not a proof of asymptotic stability. A cluster at a vertex whose eigenvalues are all
   negative (replicator, imitation) needs no test: linearisation proves it attracts.

Under the replicator on a game with payoff tensors the box proof is used instead and no test
is run (the theorem above says a settled non-vertex state is never asymptotically stable), so
its results are those of the box classification alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["PERTURBATION", "SettledAttractors", "cluster_states", "cluster_tolerance",
           "end_states", "noise_floor", "perturbed_starts", "settled_attractors",
           "tensor_attractors", "vertex_index"]

#: Relative size :math:`\delta` of the moves of the attractor test.
PERTURBATION = 1e-3


def cluster_tolerance(integrator) -> float:
    """Sup-norm tolerance at which two settled end states are the same rest point.

    ``max(match_tol, 100 (rtol + atol))``; see the module docstring for the derivation.

    Parameters
    ----------
    integrator : Integrator

    Returns
    -------
    float

    Examples
    --------
    >>> from gametheory_regen.dynamics.integrator import Integrator
    >>> [round(cluster_tolerance(i), 12) for i in (Integrator(), Integrator(rtol=1e-4, atol=1e-6))]
    [1.01e-06, 0.0101]
    """
    return max(float(integrator.match_tol), _error_level(integrator))


def noise_floor(integrator) -> float:
    """The speed below which an adaptive integration cannot tell a state from a rest point.

    ``max(settle_tol, 100 (rtol + atol))``; see the module docstring (and
    :mod:`gametheory_regen.analysis.settling`, which uses it after a run).

    Parameters
    ----------
    integrator : Integrator
        Or any object with ``settle_tol``, ``rtol`` and ``atol`` (a ``BatchResult``).

    Returns
    -------
    float

    Examples
    --------
    >>> from gametheory_regen.dynamics.integrator import Integrator
    >>> round(noise_floor(Integrator()), 12)
    1.01e-06
    """
    return max(float(integrator.settle_tol), _error_level(integrator))


def _error_level(integrator) -> float:
    """``100 (rtol + atol)``: the level the accepted errors of an adaptive integration keep a
    state at rest jittering at (module docstring)."""
    return 100.0 * (float(integrator.rtol) + float(integrator.atol))


def cluster_states(states, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Greedy clustering in order: a state joins the cluster whose first member is nearest
    (sup norm; the lowest index on a tie) when that member is within ``tol``, else it opens a
    new one. :func:`.attractor_batch.cluster_groups` does the same for many groups at once.

    Parameters
    ----------
    states : array_like
        ``(m, N)``.
    tol : float

    Returns
    -------
    representatives : numpy.ndarray
        ``(c, N)`` the mean of each cluster's members.
    labels : numpy.ndarray
        ``(m,)`` cluster of each state.

    Examples
    --------
    >>> reps, lab = cluster_states([[0.5, 0.5], [0.2, 0.8], [0.5 + 1e-9, 0.5 - 1e-9]], 1e-6)
    >>> lab.tolist(), reps.shape
    ([0, 1, 0], (2, 2))
    """
    x = np.atleast_2d(np.asarray(states, dtype=float))
    labels = np.full(x.shape[0], -1, dtype=np.int64)
    firsts: list[np.ndarray] = []
    for i in range(x.shape[0]):
        if firsts:
            d = np.max(np.abs(np.asarray(firsts) - x[i]), axis=1)
            j = int(np.argmin(d))
            if d[j] <= tol:
                labels[i] = j
                continue
        labels[i] = len(firsts)
        firsts.append(x[i])
    if not firsts:
        return np.zeros((0, x.shape[1] if x.ndim == 2 else 0)), labels
    reps = np.array([x[labels == j].mean(axis=0) for j in range(len(firsts))])
    return reps, labels


def perturbed_starts(rep, counts, delta: float = PERTURBATION) -> np.ndarray:
    """The starts of the attractor test: ``rep`` moved by ``delta`` toward each pure strategy.

    Moves that leave ``rep`` unchanged (it already is that pure strategy) are dropped.

    Parameters
    ----------
    rep : array_like
        ``(N,)`` full shares.
    counts : sequence of int
    delta : float

    Returns
    -------
    numpy.ndarray
        ``(q, N)``, on the simplices.

    Examples
    --------
    >>> perturbed_starts([0.5, 0.5], (2,), 0.1).tolist()
    [[0.55, 0.45], [0.45, 0.55]]
    """
    r = np.asarray(rep, dtype=float)
    out, a = [], 0
    for k in counts:
        for i in range(int(k)):
            x = r.copy()
            e = np.zeros(int(k))
            e[i] = 1.0
            x[a:a + k] = (1.0 - delta) * r[a:a + k] + delta * e
            if np.max(np.abs(x - r)) > 0.0:
                out.append(x)
        a += int(k)
    return np.array(out).reshape(-1, r.size)


@dataclass(frozen=True)
class SettledAttractors:
    """Attractors found among at-rest end states, per game (cell).

    Attributes
    ----------
    states : tuple of numpy.ndarray
        Per group, ``(a_g, N)`` the attractors (representatives), in order of first reach.
    labels : numpy.ndarray
        ``(m,)`` index into its group's ``states`` of the attractor each trajectory reached,
        -1 for none.
    rest_not_attracting : tuple of numpy.ndarray
        Per group, ``(b_g, N)`` rest points reached that failed the attractor test.
    tol : float
        The clustering tolerance.
    delta : float
        The perturbation of the attractor test (0: no test was run).

    Examples
    --------
    Made by :func:`settled_attractors`; two starts at rest at the same point, no test run:

    >>> res = settled_attractors([[0.5, 0.5], [0.5, 0.5]], [True, True], [0, 0], 1, (2,),
    ...                          tol=1e-6, rerun=None, velocity=lambda x, g: x * 0.0 + 1.0)
    >>> res.states[0].tolist(), res.labels.tolist(), res.delta
    ([[0.5, 0.5]], [0, 0], 0.0)
    """

    states: tuple
    labels: np.ndarray
    rest_not_attracting: tuple
    tol: float
    delta: float


def settled_attractors(final, at_rest, group, n_groups: int, counts, *, tol: float,
                       rerun: Callable | None, velocity: Callable,
                       delta: float = PERTURBATION, stable=None) -> SettledAttractors:
    """Cluster the at-rest end states of each group and keep the clusters that attract.

    Parameters
    ----------
    final : array_like
        ``(m, N)`` end states.
    at_rest : array_like
        ``(m,)`` bool (see the module docstring, step 1).
    group : array_like
        ``(m,)`` the game (grid cell) of each trajectory, in ``range(n_groups)``.
    n_groups : int
    counts : sequence of int
        Strategies per population.
    tol : float
        Clustering tolerance (:func:`cluster_tolerance`).
    rerun : callable or None
        ``rerun(x0 (q, N), group (q,)) -> (final (q, N), at_rest (q,))``: integrate starts in
        the given groups' games, same horizon and settings. ``None``: no attractor test (every
        cluster counts).
    velocity : callable
        ``velocity(x (q, N), group (q,)) -> (q, N)`` the vector field.
    delta : float
        Size of the test's moves.
    stable : array_like, optional
        ``(n_groups, K)`` bool: vertices proven asymptotically stable by their eigenvalues
        (all negative); a cluster at one of them is an attractor without the test.

    Returns
    -------
    SettledAttractors

    Examples
    --------
    Logit dynamics (eta = 0.5) on a single-population coordination game with payoffs 2 and 1:
    both starts end at the interior rest point near the payoff-dominant strategy, which
    attracts. It is the logit QRE, the fixed point ``x = 1 / (1 + exp((1 - 3x) / eta))`` of
    :math:`u_a = 2x`, :math:`u_b = 1 - x` (McKelvey & Palfrey 1995):

    >>> import gametheory_regen as gr
    >>> from gametheory_regen.analysis.batch import simulate
    >>> g = gr.Game.symmetric("c", ["a", "b"], [[2, 0], [0, 1]]).with_dynamics(
    ...     "logit,temperature=0.5")
    >>> from gametheory_regen.dynamics.numeric import expected_payoff_function
    >>> from gametheory_regen.dynamics.field import velocity_np
    >>> fn = expected_payoff_function(g)
    >>> def vel(x, grp):
    ...     return velocity_np(x, fn(0.0, x, grp), [0, 2], g.dynamics.code, g.dynamics.param)
    >>> def run(x0, grp):
    ...     ends = np.array([simulate(g, x, 200.0, n_points=2).final for x in x0])
    ...     return ends, np.max(np.abs(vel(ends, grp)), axis=1) < 1e-10
    >>> fin, rest = run(np.array([[0.9, 0.1], [0.6, 0.4]]), np.zeros(2, int))
    >>> res = settled_attractors(fin, rest, np.zeros(2, int), 1, (2,), tol=1e-6, rerun=run,
    ...                          velocity=vel)
    >>> x = res.states[0][0, 0]
    >>> qre = 1 / (1 + np.exp((1 - 3 * x) / 0.5))
    >>> res.labels.tolist(), round(float(x), 4), bool(abs(x - qre) < 1e-8)
    ([0, 0], 0.9797, True)
    """
    from gametheory_regen.analysis.attractor_batch import cluster_groups, perturbed_starts_batch
    from gametheory_regen.analysis.batch import vertex_states

    # all groups at once (analysis/attractor_batch.py); the results are exactly those of
    # cluster_states and perturbed_starts group by group (tests/test_attractor_batch.py)
    final = np.atleast_2d(np.asarray(final, dtype=float))
    at_rest = np.asarray(at_rest, dtype=bool)
    group = np.asarray(group, dtype=np.int64)
    G = int(n_groups)
    m = final.shape[0]
    labels = np.full(m, -1, dtype=np.int64)
    verts = vertex_states(counts)
    rows = np.flatnonzero(at_rest & (group >= 0) & (group < G))
    reps, rep_group, lab, first = cluster_groups(final[rows], group[rows], G, tol)
    R = reps.shape[0]
    if R:
        # a representative within tol of a vertex where the velocity is exactly zero is
        # that vertex (the flow fixes it; the end states only approach it)
        d = np.max(np.abs(reps[:, None, :] - verts[None, :, :]), axis=2)
        near = np.argmin(d, axis=1)
        close = d[np.arange(R), near] <= tol
        if close.any():
            vv = verts[near[close]]
            still = np.max(np.abs(velocity(vv, rep_group[close])), axis=1) == 0.0
            idx = np.flatnonzero(close)[still]
            reps[idx] = verts[near[idx]]
    attracts = np.ones(R, dtype=bool)
    if rerun is not None and R:
        test = np.ones(R, dtype=bool)
        if stable is not None:
            eq = np.all(reps[:, None, :] == verts[None, :, :], axis=2)     # (R, K)
            hit = eq.any(axis=1)
            proven = np.asarray(stable, dtype=bool)[rep_group, np.argmax(eq, axis=1)]
            test = ~(hit & proven)  # linearly stable vertex: asymptotically stable, proven
        tested = np.flatnonzero(test)
        x0, own = perturbed_starts_batch(reps[tested], counts, delta)
        if own.size:
            owner = tested[own]
            end, rest = rerun(x0, rep_group[owner])
            end = np.atleast_2d(np.asarray(end, dtype=float))
            ok = np.asarray(rest, dtype=bool) & (np.max(np.abs(end - reps[owner]), axis=1)
                                                 <= tol)
            attracts[owner[~ok]] = False
    new_index = _local_index(attracts, first)
    labels[rows] = new_index[first[group[rows]] + lab]
    states = tuple(reps[first[g]:first[g + 1]][attracts[first[g]:first[g + 1]]]
                   for g in range(G))
    others = tuple(reps[first[g]:first[g + 1]][~attracts[first[g]:first[g + 1]]]
                   for g in range(G))
    return SettledAttractors(states=states, labels=labels, rest_not_attracting=others,
                             tol=float(tol),
                             delta=float(delta) if rerun is not None else 0.0)


def _local_index(keep, first) -> np.ndarray:
    """Index of each kept representative among its group's kept ones, -1 if not kept."""
    c = np.cumsum(keep)
    before = np.concatenate([[0], c])[first[:-1]]        # kept ones in earlier groups
    g = np.repeat(np.arange(first.size - 1), np.diff(first))
    return np.where(keep, c - 1 - before[g], -1).astype(np.int64)


def end_states(res, group, counts, stable=None, match_tol: float | None = None):
    """Step 1 of the module docstring: which trajectories of a batch are at rest, and where.

    Parameters
    ----------
    res : BatchResult
        From :func:`~gametheory_regen.analysis.batch.integrate_batch`.
    group : array_like
        ``(m,)`` game (payoff set) of each trajectory.
    counts : sequence of int
    stable : array_like, optional
        ``(G, K)`` bool: linearly stable vertices of each game (replicator and imitation
        only); an end state within ``match_tol`` of one is at rest there.
    match_tol : float, optional
        Default: the batch's ``match_tol``.

    Returns
    -------
    final : numpy.ndarray
        ``(m, N)`` end states, those at a stable vertex replaced by the vertex.
    at_rest : numpy.ndarray
        ``(m,)`` bool.

    Examples
    --------
    >>> import numpy as np
    >>> from gametheory_regen.analysis.batch import integrate_batch
    >>> A = np.array([[1.0, 0.0], [0.0, 1.0]])    # coordination, integrated under imitation
    >>> from gametheory_regen.dynamics.field import Dynamics
    >>> res = integrate_batch(np.stack([A, A]), [[0.8, 0.7], [0.5, 0.5]], 100.0,
    ...                       backend="numpy", dynamics=Dynamics("imitation"))
    >>> final, rest = end_states(res, np.zeros(2, int), (2, 2), np.array([[1, 0, 0, 1]], bool))
    >>> final[0].tolist(), rest.tolist()      # the saddle (1/2, 1/2) is at rest too
    ([1.0, 0.0, 1.0, 0.0], [True, True])
    """
    from gametheory_regen.analysis.batch import vertex_states

    final = np.array(res.final, dtype=float, copy=True)
    kernel_settled = np.asarray(res.settled, bool) & (np.asarray(res.vertex) < 0)
    floor = noise_floor(res)
    rest = kernel_settled | (np.asarray(res.velocity) < floor) | (np.asarray(res.vertex) >= 0)
    group = np.asarray(group, dtype=np.int64)
    if stable is not None:
        tol = res.match_tol if match_tol is None else match_tol
        verts = vertex_states(counts)
        st = np.asarray(stable, dtype=bool)
        d = np.max(np.abs(final[:, None, :] - verts[None, :, :]), axis=2)  # (m, K)
        hit = (d < tol) & st[group]
        rows = np.flatnonzero(hit.any(axis=1))
        if rows.size:
            final[rows] = verts[np.argmax(hit[rows], axis=1)]
            rest[rows] = True
    vb = np.asarray(res.vertex)
    if np.any(vb >= 0):
        final[vb >= 0] = vertex_states(counts)[vb[vb >= 0]]
    return final, rest


def tensor_attractors(payoffs, x0, group, counts, t_end: float, integrator, dynamics):
    """Integrate starts of games given by payoff tensors and find the attractors they reach.

    Parameters
    ----------
    payoffs : numpy.ndarray
        ``(G, n, k_1, ..., k_n)`` one payoff tensor per game.
    x0 : numpy.ndarray
        ``(m, N)`` starts.
    group : numpy.ndarray
        ``(m,)`` game of each start.
    counts : sequence of int
    t_end : float
    integrator : Integrator
    dynamics : Dynamics

    Returns
    -------
    attractors : SettledAttractors
    backend : str

    Examples
    --------
    Rock-paper-scissors under the replicator-mutator (mu = 0.1): the centre attracts
    (Hofbauer & Sigmund 1998, sec. 7.7 on the RPS centre under perturbed replicator dynamics):

    >>> import numpy as np
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.dynamics.integrator import Integrator
    >>> from gametheory_regen.dynamics.numeric import payoff_tensor
    >>> rps = gr.Game.builtin("rock_paper_scissors")
    >>> x0 = np.array([[0.6, 0.3, 0.1, 0.2, 0.2, 0.6], [0.1, 0.1, 0.8, 0.5, 0.4, 0.1]])
    >>> sa, _ = tensor_attractors(payoff_tensor(rps)[None], x0, np.zeros(2, int), (3, 3), 400.0,
    ...                           Integrator(backend="numpy"), gr.Dynamics.parse(
    ...                               "replicator_mutator,mutation=0.1"))
    >>> sa.labels.tolist(), bool(np.abs(sa.states[0] - 1 / 3).max() < 1e-6)
    ([0, 0], True)
    """
    from gametheory_regen.analysis.batch import integrate_batch, stable_vertices
    from gametheory_regen.dynamics.field import expected_payoffs_np, velocity_np
    from gametheory_regen.dynamics.kernels import layout_of

    counts = tuple(int(k) for k in counts)
    pay = np.asarray(payoffs, dtype=float)
    G, n = pay.shape[0], len(counts)
    flat = pay.reshape(G, n, -1)
    stable = stable_vertices(pay, counts) if dynamics.vertices_are_rest_points else None

    def run(x, grp):
        r = integrate_batch(pay, x, t_end, counts=counts, payoff_index=grp,
                            integrator=integrator, dynamics=dynamics)
        return r, end_states(r, grp, counts, stable)

    res, (final, rest) = run(np.asarray(x0, dtype=float), np.asarray(group, dtype=np.int64))

    lay = layout_of(counts)
    gather = lay.gather

    def vel(x, grp):
        u = expected_payoffs_np(np.atleast_2d(x), flat[grp], lay.counts, gather)
        return velocity_np(np.atleast_2d(x), u, lay.offsets, dynamics.code, dynamics.param)

    sa = settled_attractors(final, rest, group, G, counts, tol=cluster_tolerance(integrator),
                            rerun=lambda x, grp: run(x, grp)[1], velocity=vel, stable=stable)
    return sa, res.backend


def vertex_index(states, counts) -> np.ndarray:
    """Flat profile index of each state that is exactly a vertex, else -1.

    Parameters
    ----------
    states : array_like
        ``(a, N)``.
    counts : sequence of int

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> vertex_index([[0.0, 1.0, 1.0, 0.0], [0.5, 0.5, 1.0, 0.0]], (2, 2)).tolist()
    [2, -1]
    """
    from gametheory_regen.analysis.batch import vertex_states

    V = vertex_states(counts)
    x = np.atleast_2d(np.asarray(states, dtype=float))
    if x.shape[0] == 0:
        return np.full(x.shape[0], -1, dtype=np.int64)
    eq = np.all(x[:, None, :] == V[None, :, :], axis=2)       # (a, K)
    return np.where(eq.any(axis=1), np.argmax(eq, axis=1), -1).astype(np.int64)
