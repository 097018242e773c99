r"""Where one simulated trajectory came to rest when the engine did not stop it early.

Mathematics
-----------
The engine stops a trajectory as *settled* when its speed :math:`\max_i |\dot x_i|` falls below
``settle_tol`` (:math:`10^{-10}`) away from every vertex, or when it enters the
forward-invariant box of a strict Nash vertex (replicator, payoff tensors;
:mod:`.batch_classify`). Two kinds of rest are missed by those tests, and :func:`settle_after`
recognises them from the output of a finished trajectory, by the criteria the regime maps use
(:mod:`.attractors`, :mod:`.sweep_state`):

1. **A linearly stable vertex without a box.** Payoffs that depend on the state (one
   population, ``[[fitness]]``) and dynamics other than the replicator have no invariant box.
   Where vertices are rest points (replicator, imitation), a vertex :math:`v` whose deviation
   gains :math:`u_{pj}(v) - u_{p v_p}(v)` are all negative is linearly stable (the Jacobian at a
   vertex is block triangular with those gains, or :math:`\tanh(\beta g/2)` under imitation, on
   its diagonal; Hofbauer & Sigmund 1998, sec. 10.3). A path counts as settled there from the
   first output time after which it stays within ``match_tol`` of :math:`v`: a criterion, not
   a proof (the same as the regime maps' for these games).
2. **A rest point that the integrator can only approach to its tolerance.** Near an attracting
   rest point an adaptive method lengthens its steps to the edge of its stability region, and
   the accepted local errors (up to ``rtol |x| + atol`` per step, :math:`|x| \le 1`) keep the
   numerical state jittering at that level; its speed is that error times a Lipschitz constant
   of the field and need not fall below ``settle_tol`` (one-population hawk-dove, V = 2, C = 4,
   stays near :math:`10^{-10}`). A path at least :data:`VERTEX_GAP` from every vertex whose
   speed at every output time from some time on is below the integrator's noise floor
   :math:`\max(\texttt{settle\_tol}, 100(\texttt{rtol} + \texttt{atol}))` (the floor of
   :func:`.attractors.end_states`) counts as settled from that time, at its final state. This
   says the path is at rest as far as the integration can tell, nothing about the stability of
   the point (a path on a saddle's stable manifold rests there too).

Neither applies while the payoffs change in time (a slow state is then not at rest), nor to a
fixed-step method (it has no tolerance to derive a floor from).
"""

from __future__ import annotations

import numpy as np

from .attractors import noise_floor

__all__ = ["VERTEX_GAP", "noise_floor", "settle_after"]

#: Sup-norm distance from every vertex below which criterion 2 is not used (near a vertex the
#: speed is small because shares are small); the engine's own gap for ``settle_tol``.
VERTEX_GAP = 1e-3


def _stays(mask: np.ndarray) -> int | None:
    """First index from which ``mask`` is true to the end, or None if its last entry is false."""
    if mask.size == 0 or not mask[-1]:
        return None
    bad = np.flatnonzero(~mask)
    return 0 if bad.size == 0 else int(bad[-1]) + 1


def settle_after(times, states, velocity, expected, counts, integrator, dynamics, t_from=0.0):
    """Settling time and rest state of a finished path, by the criteria of the module docstring.

    Parameters
    ----------
    times : numpy.ndarray
        ``(T,)`` output times.
    states : numpy.ndarray
        ``(T, N)`` states at those times.
    velocity : callable
        ``velocity(x)`` for ``(m, N)`` states: their velocities under the (constant) payoffs of
        the path's last stretch.
    expected : callable
        ``expected(x)`` for ``(m, N)`` states: the expected payoff of every strategy.
    counts : sequence of int
        Strategies per population.
    integrator : Integrator
    dynamics : Dynamics
    t_from : float
        Start of the stretch on which the payoffs are constant; earlier times never count.

    Returns
    -------
    (float, numpy.ndarray, str) or None
        The settling time, the rest state (the vertex, or the final state) and the criterion
        (``"stable vertex"`` or ``"noise floor"``), or None.

    Examples
    --------
    One-population hawk-dove (V = 2, C = 4): the velocity of the hawk share is
    :math:`x(1-x)(1-2x)`; a path that has reached 1/2 to within 1e-10 is at rest there.

    >>> import numpy as np
    >>> from gametheory_regen.dynamics.integrator import Integrator
    >>> from gametheory_regen.model.dynamics_spec import Dynamics
    >>> def vel(x):
    ...     h = x[:, 0] * x[:, 1] * (1 - 2 * x[:, 0])
    ...     return np.stack([h, -h], axis=1)
    >>> def pay(x):
    ...     return np.stack([2 - 3 * x[:, 0], 1 - x[:, 0]], axis=1)
    >>> t = np.array([0.0, 25.0, 50.0])
    >>> x = np.array([[0.2, 0.8], [0.5 - 1e-7, 0.5 + 1e-7], [0.5 - 1e-10, 0.5 + 1e-10]])
    >>> when, where, why = settle_after(t, x, vel, pay, (2,), Integrator(), Dynamics())
    >>> when, where.round(9).tolist(), why
    (25.0, [0.5, 0.5], 'noise floor')
    """
    times = np.asarray(times, dtype=float)
    states = np.asarray(states, dtype=float)
    if integrator.dt is not None or integrator.settle_tol <= 0 or states.shape[0] == 0:
        return None
    from .batch_vertices import vertex_states

    counts = tuple(int(k) for k in counts)
    inside = times >= t_from
    verts = vertex_states(counts)
    dist = np.max(np.abs(states[:, None, :] - verts[None, :, :]), axis=2)  # (T, K)
    if dynamics.vertices_are_rest_points:
        near = int(np.argmin(dist[-1]))
        if dist[-1, near] < integrator.match_tol:
            v = verts[near]
            u = expected(v[None, :])[0]
            offs = np.concatenate([[0], np.cumsum(counts)])
            gains = [u[offs[p] + j] - u[offs[p] + int(np.argmax(v[offs[p]:offs[p + 1]]))]
                     for p, k in enumerate(counts) for j in range(k)
                     if v[offs[p] + j] == 0.0]
            if max(gains) < 0:
                first = _stays((dist[:, near] < integrator.match_tol) & inside)
                if first is not None:
                    return float(times[first]), v.copy(), "stable vertex"
    if np.min(dist[-1]) < VERTEX_GAP:
        return None
    speed = np.max(np.abs(velocity(states)), axis=1)
    first = _stays((speed < noise_floor(integrator)) & inside)
    if first is None:
        return None
    return float(times[first]), states[-1].copy(), "noise floor"
