r"""Inputs of the batch engine: payoff tensors and starting states on the simplices.

Mathematics
-----------
A game of :math:`n \ge 2` populations, population :math:`p` with :math:`k_p` strategies, has one
payoff tensor :math:`a_p(s)` per population over the pure profiles
:math:`s \in \prod_p \{1, \dots, k_p\}`; a batch stacks them for :math:`P` parameter sets as an
array ``(P, n, k_1, ..., k_n)`` (:func:`split_payoffs`). Every payoff is a finite number.

A state is a point of the product of simplices :math:`\prod_p \Delta_{k_p}`,
:math:`\Delta_k = \{x \in \mathbb R^k : x_i \ge 0,\ \sum_i x_i = 1\}`, stored as the
:math:`N = \sum_p k_p` shares of all populations in order. A two-strategy population may be given
by the share :math:`x` of its first strategy alone, the state :math:`(x, 1 - x)`; a mapping by
population name may give the first share alone, the rest split evenly,
:math:`(x, \tfrac{1 - x}{k - 1}, \dots)` (:func:`initial_states`). A starting state must lie on
the simplices within a tolerance; negative shares within it are set to zero and each
population's shares divided by their sum, so that the state integrated lies on the simplices
exactly (:func:`as_full_states`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from gametheory_regen.errors import GameInputError, ParameterError, StateError

__all__ = [
    "split_payoffs",
    "as_full_states",
    "initial_states",
]


def split_payoffs(payoffs, counts: Sequence[int] | None = None):
    """Normalise payoffs to ``(P, n, k_1, ..., k_n)`` and return them with the strategy counts.

    Parameters
    ----------
    payoffs : array_like
        ``(n, k_1, ..., k_n)`` (one game) or ``(P, n, k_1, ..., k_n)`` (one per parameter set).
    counts : sequence of int, optional
        Strategies per population; needed only when the shape is ambiguous (a single game is
        assumed when ``ndim - 1 == shape[0]``).

    Returns
    -------
    payoffs : numpy.ndarray
        ``(P, n, k_1, ..., k_n)``.
    counts : tuple of int
        Strategies per population, ``(k_1, ..., k_n)``.

    Raises
    ------
    GameInputError
        A shape that fits neither form (or not ``counts``), or fewer than two populations.
    ParameterError
        A payoff that is NaN or infinite.

    Examples
    --------
    One two-population game gains a leading parameter-set axis:

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> pay, counts = split_payoffs(np.stack([A, A]))
    >>> pay.shape, counts
    ((1, 2, 2, 2), (2, 2))

    Three such games stacked have shape ``(3, 2, 2, 2)``, which is also the shape of one game
    of three two-strategy populations; without ``counts`` the single game is assumed:

    >>> stacked = np.stack([np.stack([A, A])] * 3)
    >>> split_payoffs(stacked)[0].shape, split_payoffs(stacked)[1]
    ((1, 3, 2, 2, 2), (2, 2, 2))
    >>> split_payoffs(stacked, counts=(2, 2))[0].shape
    (3, 2, 2, 2)
    """
    arr = np.asarray(payoffs, dtype=float)
    if counts is not None:
        counts = tuple(int(c) for c in counts)
        n = len(counts)
        if arr.shape == (n, *counts):
            arr = arr[None]
        elif arr.ndim != n + 2 or arr.shape[1:] != (n, *counts):
            raise GameInputError(
                f"payoffs must have shape ({n}, {', '.join(map(str, counts))}) or "
                f"(m, {n}, {', '.join(map(str, counts))}); got {arr.shape}"
            )
    else:
        if arr.ndim >= 3 and arr.ndim - 1 == arr.shape[0]:
            arr = arr[None]
        if arr.ndim < 4 or arr.ndim - 2 != arr.shape[1]:
            raise GameInputError(
                "payoffs must have shape (n_pops, k_1, ..., k_n) or (m, n_pops, k_1, ..., k_n) "
                f"with at least two populations; got {arr.shape}"
            )
        counts = tuple(int(c) for c in arr.shape[2:])
    if not np.all(np.isfinite(arr)):
        raise ParameterError("payoffs must be finite numbers; got NaN or infinity")
    return arr, counts


def as_full_states(initial, counts: Sequence[int], *, tol: float = 1e-9) -> np.ndarray:
    """Starting states as full shares ``(m, N)``, checked to lie on the simplices.

    Parameters
    ----------
    initial : array_like
        ``(m, N)`` full shares, ``(N,)`` one state, or, when every population has two
        strategies, ``(m, n)`` / ``(n,)`` shares of each population's first strategy.
    counts : sequence of int
    tol : float
        Allowed deviation of a population's shares from summing to one.

    Raises
    ------
    StateError
        Wrong length, negative shares, or shares that do not sum to one.

    Examples
    --------
    >>> as_full_states([0.25, 0.5], (2, 2)).tolist()
    [[0.25, 0.75, 0.5, 0.5]]
    """
    counts = tuple(int(c) for c in counts)
    n, N = len(counts), sum(counts)
    x = np.atleast_2d(np.asarray(initial, dtype=float))
    if x.shape[1] == n and N == 2 * n and N != n:
        full = np.empty((x.shape[0], N))
        full[:, 0::2] = x
        full[:, 1::2] = 1.0 - x
        x = full
    if x.ndim != 2 or x.shape[1] != N:
        raise StateError(
            f"initial states must have {N} shares per state (populations with {counts} "
            f"strategies){' or one first-strategy share per population' if N == 2 * n else ''}; "
            f"got shape {np.shape(initial)}"
        )
    if not np.isfinite(x).all() or (x < -tol).any():
        raise StateError("initial shares must be finite and non-negative")
    off = np.concatenate([[0], np.cumsum(counts)])
    if x.shape[0] == 0:
        return x.copy()
    sums = np.add.reduceat(x, off[:-1], axis=1)  # (m, n): every population's sum in one pass
    bad = np.abs(sums - 1.0) > tol
    if bad.any():
        state, q = (int(v[0]) for v in np.nonzero(bad))
        raise StateError(
            f"the shares of population {q} must sum to 1; state {state} sums to "
            f"{float(sums[state, q])!r}"
        )
    x = np.clip(x, 0.0, None)
    x /= np.repeat(np.add.reduceat(x, off[:-1], axis=1), counts, axis=1)
    return x


def initial_states(initial, counts: Sequence[int], populations: Sequence[str] | None = None,
                   strategies: Sequence[Sequence[str]] | None = None) -> np.ndarray:
    """Starting states from arrays (:func:`as_full_states`) or a mapping by population name.

    A mapping gives, for every population, either the share of its first strategy (the rest
    split evenly among the others, as the command line's ``--initial POP=SHARE``) or all of its
    shares.

    Parameters
    ----------
    initial : array_like or mapping
        See :func:`as_full_states`, or ``{population: share or [shares]}``.
    counts : sequence of int
    populations, strategies : sequences of names, optional
        Needed for a mapping.

    Returns
    -------
    numpy.ndarray
        ``(m, N)`` full shares (``m = 1`` for a mapping).

    Raises
    ------
    GameInputError
        An unknown or missing population name.
    StateError
        A share that is not a number in [0, 1], or shares that do not sum to one.

    Examples
    --------
    >>> initial_states({"owner": 0.3, "intruder": 0.6}, (2, 2), ["owner", "intruder"],
    ...                [["hawk", "dove"], ["hawk", "dove"]]).tolist()
    [[0.3, 0.7, 0.6, 0.4]]
    """
    if not isinstance(initial, Mapping):
        return as_full_states(initial, counts)
    if populations is None:
        raise GameInputError("a mapping of starting shares needs a game with named populations")
    known = ", ".join(populations)
    unknown = [k for k in initial if k not in populations]
    if unknown:
        raise GameInputError(f"initial: unknown population {unknown[0]!r}; known: {known}")
    missing = [p for p in populations if p not in initial]
    if missing:
        raise GameInputError(f"initial: give a start for every population; missing "
                             f"{', '.join(missing)} (known: {known})")
    rows = []
    for name, k in zip(populations, counts, strict=True):
        value = initial[name]
        try:
            shares = ([float(value)] if np.ndim(value) == 0
                      else [float(v) for v in value])
        except (TypeError, ValueError):
            raise StateError(f"initial {name}: {value!r} is not a share or a list of shares"
                             ) from None
        if any(not (0.0 <= v <= 1.0) for v in shares):  # also refuses NaN
            raise StateError(f"initial {name}: shares must be numbers in [0, 1]; got {value!r}")
        if len(shares) == 1 and k > 1:
            shares = shares + [(1.0 - shares[0]) / (k - 1)] * (k - 1)
        if len(shares) != k:
            raise StateError(f"initial {name}: {k} strategies, so give the first strategy's "
                             f"share or all {k} shares; got {len(shares)}")
        rows.extend(shares)
    return as_full_states([rows], counts)
