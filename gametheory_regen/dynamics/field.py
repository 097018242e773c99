r"""Vector fields on a product of simplices: expected payoffs, then a dynamics.

Mathematics
-----------
The state is the concatenation of the populations' shares :math:`x_p \in \Delta_{k_p}`. A game
given by payoff tensors :math:`a_p(s)` has expected payoffs, multilinear in the other
populations' shares,

.. math:: u_{pi}(x) = \sum_{s:\, s_p = i} a_p(s) \prod_{q \ne p} x_{q s_q},

computed with prefix and suffix products along the profile (no division by a share that may be
zero). A *dynamics* turns each population's payoff vector :math:`u = u_p` and shares
:math:`x = x_p` (:math:`k` strategies, :math:`\bar u = x \cdot u`) into a velocity:

============================  ===============================================================
``replicator``                :math:`\dot x_i = x_i (u_i - \bar u)` (Taylor & Jonker 1978)
``replicator_mutator``        :math:`\dot x_i = x_i (u_i - \bar u) + \mu (1/k - x_i)`
                              (uniform mutation, additive form)
``logit``                     :math:`\dot x = \mathrm{softmax}(u / \eta) - x`
                              (Fudenberg & Levine 1998; rest points are logit QRE)
``bnn``                       :math:`\dot x_i = [u_i - \bar u]_+ - x_i \sum_j [u_j - \bar u]_+`
                              (Brown & von Neumann 1950; Sandholm 2010, sec. 5.5)
``smith``                     :math:`\dot x_i = \sum_j x_j [u_i - u_j]_+
                              - x_i \sum_j [u_j - u_i]_+` (Smith 1984; Sandholm 2010, sec. 5.6)
``imitation``                 :math:`\dot x_i = x_i \sum_j x_j \tanh(\beta (u_i - u_j) / 2)`
                              (pairwise comparison with the Fermi rule, mean dynamic)
============================  ===============================================================

Every one of them keeps each population's velocity summing to zero, so the simplices are
invariant up to rounding. The engine integrates any of them with the same integrator: a new
dynamics is a new entry here (a code and its formula, in numpy below and in the compiled kernel
:mod:`gametheory_regen.dynamics.kernel_numba`), never a new integrator.

The numpy functions below are the reference: their sums run in a fixed sequential order (no
pairwise summation, no matrix products) so that the compiled kernel, written in the same order,
gives the same numbers.
"""

from __future__ import annotations

import numpy as np

from gametheory_regen.errors import GameInputError

# the choice of dynamics belongs to the model layer; re-exported here, where the fields are
from gametheory_regen.model.dynamics_spec import (  # noqa: F401
    DYNAMICS_KINDS,
    DYNAMICS_PARAMETERS,
    REPLICATOR,
    Dynamics,
)

__all__ = [
    "DYNAMICS_KINDS",
    "Dynamics",
    "REPLICATOR",
    "expected_payoffs_np",
    "velocity_np",
]


def expected_payoffs_np(x: np.ndarray, pay: np.ndarray, counts, gather: np.ndarray) -> np.ndarray:
    """Expected payoff of every strategy, for many states at once.

    Parameters
    ----------
    x : numpy.ndarray
        ``(m, N)`` states.
    pay : numpy.ndarray
        ``(1 or m, n, K)`` payoff tensors, flattened over profiles in C order.
    counts : tuple of int
        Strategies per population.
    gather : numpy.ndarray
        ``(K, n)`` state index of each profile's strategy of each population.

    Returns
    -------
    numpy.ndarray
        ``(m, N)``: ``u[:, offsets[p] + i]`` is :math:`u_{pi}(x)`.

    Examples
    --------
    Matching pennies at ``x = (1, 0)``, ``y = (1/2, 1/2)``: the row player earns 0 with
    either strategy; the column player earns -1 with its first and +1 with its second:

    >>> from gametheory_regen.dynamics.kernels import layout_of
    >>> A = np.array([[1., -1.], [-1., 1.]])
    >>> lay = layout_of((2, 2))
    >>> g = lay.profiles + lay.offsets[:-1]
    >>> expected_payoffs_np(np.array([[1., 0., .5, .5]]), np.stack([A, -A]).reshape(1, 2, 4),
    ...                     (2, 2), g).tolist()
    [[0.0, 0.0, -1.0, 1.0]]
    """
    n = len(counts)
    sel = x[:, gather]  # (m, K, n): the share of each profile's strategy of each population
    pre = np.ones_like(sel)
    suf = np.ones_like(sel)
    for q in range(1, n):  # prefix and suffix products, each in the kernel's order
        pre[:, :, q] = pre[:, :, q - 1] * sel[:, :, q - 1]
    for q in range(n - 2, -1, -1):
        suf[:, :, q] = suf[:, :, q + 1] * sel[:, :, q + 1]
    term = np.swapaxes(pay, 1, 2) * (pre * suf)  # (m, K, n)
    u = np.empty_like(x)
    for col, (q, rows) in _columns(gather).items():
        # the profiles of this strategy, summed in increasing order (cumsum is sequential)
        u[:, col] = np.cumsum(term[:, rows, q], axis=1)[:, -1]
    return u


_COLUMNS: dict = {}


def _columns(gather: np.ndarray) -> dict:
    """``state column -> (population, profiles using it)`` for a gather table (cached)."""
    key = gather.tobytes() + np.asarray(gather.shape, dtype=np.int64).tobytes()
    got = _COLUMNS.get(key)
    if got is None:
        got = {}
        for q in range(gather.shape[1]):
            for col in np.unique(gather[:, q]):
                got[int(col)] = (q, np.flatnonzero(gather[:, q] == col))
        if len(_COLUMNS) > 64:
            _COLUMNS.clear()
        _COLUMNS[key] = got
    return got


def velocity_np(x: np.ndarray, u: np.ndarray, offsets, code: int, param: float) -> np.ndarray:
    """The dynamics' velocity from shares and expected payoffs (numpy reference).

    Parameters
    ----------
    x, u : numpy.ndarray
        ``(m, N)`` shares and expected payoffs.
    offsets : sequence of int
        ``offsets[p]`` is population ``p``'s first index; the last entry is ``N``.
    code : int
        Index into :data:`DYNAMICS_KINDS`.
    param : float
        The dynamics' parameter (:attr:`Dynamics.param`).

    Returns
    -------
    numpy.ndarray
        ``(m, N)`` velocities, each population's block summing to zero.

    Examples
    --------
    The logit dynamics at equal payoffs moves the shares toward the uniform mix:

    >>> velocity_np(np.array([[0.8, 0.2]]), np.zeros((1, 2)), [0, 2], 2, 0.5).round(12).tolist()
    [[-0.3, 0.3]]
    """
    f = np.empty_like(x)
    for p in range(len(offsets) - 1):
        a, b = int(offsets[p]), int(offsets[p + 1])
        k = b - a
        xs = [x[:, i] for i in range(a, b)]
        us = [u[:, i] for i in range(a, b)]
        if code in (0, 1, 3):
            ubar = xs[0] * us[0]
            for i in range(1, k):
                ubar = ubar + xs[i] * us[i]
        if code == 0 or code == 1:
            for i in range(k):
                f[:, a + i] = xs[i] * (us[i] - ubar)
                if code == 1:
                    f[:, a + i] += param * (1.0 / k - xs[i])
        elif code == 2:
            top = us[0]
            for i in range(1, k):
                top = np.maximum(top, us[i])
            es = [np.exp((us[i] - top) / param) for i in range(k)]
            tot = es[0]
            for i in range(1, k):
                tot = tot + es[i]
            for i in range(k):
                f[:, a + i] = es[i] / tot - xs[i]
        elif code == 3:
            es = [np.maximum(us[i] - ubar, 0.0) for i in range(k)]
            tot = es[0]
            for i in range(1, k):
                tot = tot + es[i]
            for i in range(k):
                f[:, a + i] = es[i] - xs[i] * tot
        elif code == 4:
            for i in range(k):
                inflow = np.zeros(x.shape[0])
                outflow = np.zeros(x.shape[0])
                for j in range(k):
                    inflow = inflow + xs[j] * np.maximum(us[i] - us[j], 0.0)
                    outflow = outflow + np.maximum(us[j] - us[i], 0.0)
                f[:, a + i] = inflow - xs[i] * outflow
        elif code == 5:
            for i in range(k):
                acc = np.zeros(x.shape[0])
                for j in range(k):
                    acc = acc + xs[j] * np.tanh(param * (us[i] - us[j]) * 0.5)
                f[:, a + i] = xs[i] * acc
        else:
            raise GameInputError(f"unknown dynamics code {code}")
    return f
