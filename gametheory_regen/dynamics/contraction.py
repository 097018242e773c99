r"""Expected payoffs by contracting each payoff tensor one population at a time.

Mathematics
-----------
Population :math:`p`'s expected payoff of strategy :math:`i` is the payoff tensor
:math:`a_p` contracted with every other population's shares,

.. math:: u_{pi}(x) = \sum_{s_{-p}} a_p(i, s_{-p}) \prod_{q \ne p} x_{q s_q}
          = \Bigl(\cdots\bigl(a_p \times_{n-1} x_{n-1}\bigr) \times_{n-2} \cdots\Bigr)
            \times_0 x_0 ,

where :math:`T \times_q x_q` sums axis :math:`q` of :math:`T` against :math:`x_q`, and the
axes are contracted from the last population to the first, skipping :math:`p`. Contracting
axis :math:`q` costs one multiply-add per entry of the current tensor, so population
:math:`p` costs :math:`K (1 + 1/k_{n-1} + \dots)`, about :math:`K k / (k - 1)` for :math:`K`
profiles of :math:`k`-strategy populations, instead of the :math:`3 n K` products of
forming every profile's weight :math:`\prod_{q \ne p} x_{q s_q}`
(:func:`~gametheory_regen.dynamics.field.expected_payoffs_np`). The two agree up to
rounding.

The integrator contracts something cheaper: payoffs relative to each population's last
strategy, which is all a dynamics needs (:func:`relative_tensors`,
:func:`relative_payoffs_contracted`, :func:`relative_plan`; ``k - 1`` products per entry of a
``k``-strategy axis instead of ``k``). That is the order of arithmetic of the engine: the numpy
reference (:mod:`gametheory_regen.dynamics.stepper`) calls
:func:`relative_payoffs_contracted`, and the compiled kernel
(:mod:`gametheory_regen.dynamics.kernel_contract`) runs the same contractions from the same
:func:`relative_plan`, each sum over an axis in increasing strategy order from its first term
with the constant term last, so both give the same numbers. :func:`expected_payoffs_contracted`
gives the full expected payoffs the same way.
"""

from __future__ import annotations

import functools
import math

import numpy as np

__all__ = [
    "contraction_plan",
    "expected_payoffs_contracted",
    "own_entries",
    "relative_payoffs_contracted",
    "relative_plan",
    "relative_tensors",
]


@functools.lru_cache(maxsize=128)
def _plan(counts: tuple[int, ...], relative: bool = False) -> np.ndarray:
    """The rows of :func:`contraction_plan`, or of :func:`relative_plan` when ``relative`` (each
    population's own axis one entry shorter)."""
    rows = []
    n = len(counts)
    for p in range(n):
        sizes = list(counts)
        if relative:
            sizes[p] -= 1  # the own axis: differences to the last strategy
        axes = list(range(n))
        for q in range(n - 1, -1, -1):
            if q == p:
                continue
            pos = axes.index(q)
            outer = math.prod(sizes[a] for a in axes[:pos])
            inner = math.prod(sizes[a] for a in axes[pos + 1:])
            rows.append((p, q, outer, counts[q], inner))
            axes.pop(pos)
    plan = np.array(rows, dtype=np.int64).reshape(-1, 5)
    plan.setflags(write=False)
    return plan


def contraction_plan(counts) -> np.ndarray:
    """The contractions that turn the payoff tensors into expected payoffs, in order.

    Parameters
    ----------
    counts : sequence of int
        Strategies per population.

    Returns
    -------
    numpy.ndarray
        ``(n * (n - 1), 5)`` int64 rows ``(p, q, outer, k, inner)``: for population ``p``,
        contract axis ``q`` (``k = counts[q]`` strategies) of the current tensor, viewed as
        ``(outer, k, inner)``, against ``x_q``. Population ``p``'s rows are consecutive; the
        tensor left after them has ``counts[p]`` entries, the expected payoffs.

    Examples
    --------
    Two populations of 2 and 3 strategies: population 0 sums axis 1 (3 strategies, nothing
    after it), population 1 sums axis 0 (2 strategies, 3 entries after it):

    >>> contraction_plan((2, 3)).tolist()
    [[0, 1, 2, 3, 1], [1, 0, 1, 2, 3]]
    """
    return _plan(tuple(int(c) for c in counts))


@functools.lru_cache(maxsize=128)
def _steps(counts: tuple[int, ...], relative: bool = False) -> tuple:
    """Per population: its contractions as Python numbers ``(first share, outer, k, inner)``."""
    offsets = np.concatenate([[0], np.cumsum(counts)])
    plan = _plan(counts, relative)
    return tuple(
        tuple((int(offsets[q]), int(outer), int(k), int(inner))
              for pp, q, outer, k, inner in plan if pp == p)
        for p in range(len(counts))
    )


def expected_payoffs_contracted(x: np.ndarray, pay: np.ndarray, counts, offsets) -> np.ndarray:
    """Expected payoff of every strategy, for many states at once, by contraction.

    Parameters
    ----------
    x : numpy.ndarray
        ``(m, N)`` states.
    pay : numpy.ndarray
        ``(1 or m, n, K)`` payoff tensors, flattened over profiles in C order.
    counts : tuple of int
        Strategies per population.
    offsets : sequence of int
        ``offsets[p]`` is population ``p``'s first state index; the last entry is ``N``.

    Returns
    -------
    numpy.ndarray
        ``(m, N)``: ``u[:, offsets[p] + i]`` is :math:`u_{pi}(x)`.

    Examples
    --------
    Matching pennies at ``x = (1, 0)``, ``y = (1/2, 1/2)``: the row player earns 0 with
    either strategy; the column player earns -1 with its first and +1 with its second (as
    :func:`~gametheory_regen.dynamics.field.expected_payoffs_np` gives):

    >>> A = np.array([[1., -1.], [-1., 1.]])
    >>> expected_payoffs_contracted(np.array([[1., 0., .5, .5]]),
    ...                             np.stack([A, -A]).reshape(1, 2, 4), (2, 2), [0, 2, 4]).tolist()
    [[0.0, 0.0, -1.0, 1.0]]
    """
    return _contracted(x, pay, counts, offsets, relative=False)


def _contracted(x: np.ndarray, pay: np.ndarray, counts, offsets, relative: bool) -> np.ndarray:
    """:func:`expected_payoffs_contracted`, or :func:`relative_payoffs_contracted` when
    ``relative``: the tensors contracted one axis at a time along :func:`_steps`."""
    counts = tuple(int(c) for c in counts)
    m = x.shape[0]
    out = np.zeros_like(x)
    for p, steps in enumerate(_steps(counts, relative)):
        width = counts[p] - 1 if relative else counts[p]  # entries the contraction leaves
        T = pay[:, p, :own_entries(counts, p)] if relative else pay[:, p, :]
        for a, outer, k, inner in steps:
            T4 = T.reshape(T.shape[0], outer, k, inner)
            terms = k - 1 if relative else k  # relative: the last entry is the constant
            acc = T4[:, :, 0, :] * x[:, a, None, None] if terms else T4[:, :, 0, :]
            for j in range(1, terms):
                acc = acc + T4[:, :, j, :] * x[:, a + j, None, None]
            if relative and terms:
                acc = acc + T4[:, :, k - 1, :]
            T = acc.reshape(acc.shape[0], outer * inner)
        a = int(offsets[p])
        out[:, a:a + width] = np.broadcast_to(T, (m, width))
    return out


# --------------------------------------------------------------------------------------------
# Payoffs relative to each population's last strategy: what the integrator contracts
# --------------------------------------------------------------------------------------------


def relative_plan(counts) -> np.ndarray:
    r"""The contractions that turn :func:`relative_tensors` into relative payoffs, in order.

    Rows ``(p, q, outer, k, inner)`` as in :func:`contraction_plan`, for tensors whose own axis
    has ``counts[p] - 1`` entries: population ``p`` contracts axis ``q`` (``k = counts[q]``
    entries, the last one the constant term) of the current tensor viewed as
    ``(outer, k, inner)``. The tensor left after population ``p``'s rows has
    ``counts[p] - 1`` entries.

    >>> relative_plan((2, 3)).tolist()
    [[0, 1, 1, 3, 1], [1, 0, 1, 2, 2]]
    """
    return _plan(tuple(int(c) for c in counts), True)


def relative_tensors(pay: np.ndarray, counts) -> np.ndarray:
    r"""Payoff tensors rewritten for contraction against all shares but each population's last.

    Mathematics
    -----------
    Every dynamics of :mod:`.field` depends on a population's payoffs only through their
    differences (adding a number to all of a population's payoffs changes no velocity), so the
    integrator uses :math:`g_{pi} = u_{pi} - u_{p,k_p-1}` (:math:`g_{p,k_p-1} = 0`). On the
    simplex the last share is :math:`1 - \sum_{j<k-1} x_{qj}`, so summing an axis against
    :math:`x_q` is

    .. math:: \sum_{j=0}^{k-1} T_j x_{qj} = \sum_{j=0}^{k-2} (T_j - T_{k-1})\, x_{qj}
              + T_{k-1} ,

    :math:`k - 1` products instead of :math:`k`. The tensor of population :math:`p` keeps
    :math:`d_p(i, s_{-p}) = a_p(i, s_{-p}) - a_p(k_p - 1, s_{-p})` for :math:`i < k_p - 1`,
    and along every other axis :math:`q` entries :math:`j < k_q - 1` become differences to the
    last, which stays as the constant term. For :math:`n` populations of two strategies this is
    a quarter of the products of :func:`expected_payoffs_contracted` (half the entries, half
    the products per entry).

    Parameters
    ----------
    pay : numpy.ndarray
        ``(P, n, K)`` payoff tensors, flattened over profiles in C order.
    counts : sequence of int
        Strategies per population.

    Returns
    -------
    numpy.ndarray
        ``(P, n, K)``: population ``p``'s rewritten tensor, of shape ``counts`` with its own axis
        shortened by one, flattened in C order into the first ``K (k_p - 1) / k_p`` entries;
        the rest are zero.

    Examples
    --------
    Matching pennies: the row player's advantage of heads is ``4 y - 2`` (``y`` the column
    player's heads share): coefficient 4, constant -2:

    >>> A = np.array([[1., -1.], [-1., 1.]])
    >>> relative_tensors(np.stack([A, -A]).reshape(1, 2, 4), (2, 2))[0, 0, :2].tolist()
    [4.0, -2.0]
    """
    counts = tuple(int(c) for c in counts)
    pay = np.asarray(pay, dtype=float)
    P, n, K = pay.shape
    out = np.zeros_like(pay)
    for p in range(n):
        T = pay[:, p, :].reshape(P, *counts)
        T = np.moveaxis(T, p + 1, 1)
        T = T[:, :-1] - T[:, -1:]
        T = np.moveaxis(T, 1, p + 1)
        for q in range(n):
            if q == p:
                continue
            T = np.moveaxis(T, q + 1, 1)
            T = np.concatenate([T[:, :-1] - T[:, -1:], T[:, -1:]], axis=1)
            T = np.moveaxis(T, 1, q + 1)
        size = K // counts[p] * (counts[p] - 1)
        out[:, p, :size] = T.reshape(P, size)
    return out


def relative_payoffs_contracted(x: np.ndarray, rel: np.ndarray, counts, offsets) -> np.ndarray:
    r"""Payoffs relative to each population's last strategy, by contraction: the integrator's.

    Parameters
    ----------
    x : numpy.ndarray
        ``(m, N)`` states (each population's shares summing to 1).
    rel : numpy.ndarray
        ``(1 or m, n, K)`` tensors from :func:`relative_tensors`.
    counts : tuple of int
        Strategies per population.
    offsets : sequence of int
        ``offsets[p]`` is population ``p``'s first state index; the last entry is ``N``.

    Returns
    -------
    numpy.ndarray
        ``(m, N)``: ``g[:, offsets[p] + i]`` is :math:`u_{pi}(x) - u_{p, k_p - 1}(x)`, the
        last of each population 0. Each axis is summed as ``T[0] x_0 + ... + T[k-2] x_{k-2}``
        and then ``+ T[k-1]``, in that order (the compiled kernel's order).

    Examples
    --------
    Matching pennies at ``x = (1, 0)``, ``y = (1/2, 1/2)``: the row player's strategies earn
    the same; the column player's first earns 2 less than its second:

    >>> A = np.array([[1., -1.], [-1., 1.]])
    >>> rel = relative_tensors(np.stack([A, -A]).reshape(1, 2, 4), (2, 2))
    >>> relative_payoffs_contracted(np.array([[1., 0., .5, .5]]), rel, (2, 2),
    ...                             [0, 2, 4]).tolist()
    [[0.0, 0.0, -2.0, 0.0]]
    """
    return _contracted(x, rel, counts, offsets, relative=True)


def own_entries(counts, p: int) -> int:
    """Entries of population ``p``'s tensor in :func:`relative_tensors` (the rest are zero).

    >>> own_entries((2, 3), 1)
    4
    """
    return math.prod(counts) // counts[p] * (counts[p] - 1)
