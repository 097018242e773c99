r"""Which faces one analysis searches for rest points, in which order, and the work that bounds it.

A game of shape :math:`(k_1, \dots, k_n)` has :math:`\prod_p (2^{k_p} - 1)` faces (a non-empty
support per population), :math:`\prod_p k_p` of them vertices; a 6x6 game has 3,969 faces and a
16x16 game :math:`4.3 \cdot 10^9`.  Every face is a system of rest-point equations to solve
(:mod:`.faces`), so the search is bounded by a *work count*, never a clock: each face searched
costs

.. math:: 1 + \#\text{unknowns} = 1 + \sum_p (|S_p| - 1)

work units (one when :mod:`.dominance` decides it without solving), each continuum found on it
:data:`CONTINUUM_COST` more (describing a continuum costs several solves), and each rest point
classified :math:`\max(1, \lfloor d^2 / 8 \rfloor)` more for a state space of dimension
:math:`d` (its Jacobian has :math:`d^2` entries).  Faces are visited smallest first (total
support size, then lexicographically), generated lazily so that listing them costs nothing
beyond the faces visited; when the next face does not fit in the limit ``face_work``
(:mod:`gametheory_regen.limits`, ``docs/limits.md``), it and every later face are left
unsearched and counted, and the analysis says so ("k rest points found, not proven complete").
The count depends on the input alone, so one input gives one report on any machine and thread.

Examples
--------
>>> list(faces_in_order((2, 2)))
[((0,), (0, 1)), ((0, 1), (0,)), ((0, 1), (1,)), ((1,), (0, 1)), ((0, 1), (0, 1))]
>>> face_count((16, 16))
4294835969
"""

from __future__ import annotations

import math
from collections.abc import Iterator

__all__ = ["FaceWork", "faces_in_order", "face_count", "face_cost", "point_cost",
           "CONTINUUM_COST"]

#: Extra work units charged for each continuum found (its description: Fourier-Motzkin, factors).
CONTINUUM_COST = 8


def face_count(shape) -> int:
    """Number of faces of a product of simplices that are not vertices.

    Parameters
    ----------
    shape : sequence of int
        Strategies per population.

    Returns
    -------
    int

    Examples
    --------
    >>> face_count((6, 6))
    3933
    """
    return math.prod(2**k - 1 for k in shape) - math.prod(shape)


def point_cost(dim: int) -> int:
    """Work units of classifying one rest point in a state space of dimension ``dim``.

    Parameters
    ----------
    dim : int

    Returns
    -------
    int

    Examples
    --------
    >>> point_cost(2), point_cost(30)
    (1, 112)
    """
    return max(1, dim * dim // 8)


def face_cost(face) -> int:
    """Work units of searching one face: one plus its number of unknowns.

    Parameters
    ----------
    face : tuple of tuple of int
        The support per population.

    Returns
    -------
    int

    Examples
    --------
    >>> face_cost(((0, 1), (2,), (0, 1, 2)))
    4
    """
    return 1 + sum(len(s) - 1 for s in face)


def _subsets_lex(k: int, lo: int, hi: int) -> Iterator[tuple[int, ...]]:
    """Subsets of ``range(k)`` with ``lo <= size <= hi``, as sorted tuples in tuple order."""
    def walk(start: int, prefix: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
        for a in range(start, k):
            cur = prefix + (a,)
            if k - a - 1 < lo - len(cur):  # not enough elements left to reach the size
                return
            if len(cur) >= lo:
                yield cur
            if len(cur) < hi:
                yield from walk(a + 1, cur)
    return walk(0, ())


def _faces_of_size(shape, total: int) -> Iterator[tuple[tuple[int, ...], ...]]:
    n = len(shape)

    def rec(p: int, remaining: int) -> Iterator[tuple]:
        if p == n:
            if remaining == 0:
                yield ()
            return
        lo = max(1, remaining - sum(shape[p + 1:]))
        hi = min(shape[p], remaining - (n - p - 1))
        if lo > hi:
            return
        for s in _subsets_lex(shape[p], lo, hi):
            for tail in rec(p + 1, remaining - len(s)):
                yield (s, *tail)
    return rec(0, total)


def faces_in_order(shape) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Every face that is not a vertex, smallest first (total support size, then the faces in
    tuple order), generated lazily.

    Parameters
    ----------
    shape : sequence of int

    Yields
    ------
    tuple of tuple of int
        The support per population.

    Examples
    --------
    >>> import itertools
    >>> first = list(itertools.islice(faces_in_order((16, 16)), 3))
    >>> first
    [((0,), (0, 1)), ((0,), (0, 2)), ((0,), (0, 3))]
    """
    shape = tuple(shape)
    for total in range(len(shape) + 1, sum(shape) + 1):
        yield from _faces_of_size(shape, total)


class FaceWork:
    """The face-search work count of one analysis (see the module docstring).

    Parameters
    ----------
    total : int, optional
        Work units allowed; default the limit ``face_work``.

    Examples
    --------
    >>> w = FaceWork(5)
    >>> w.take(((0, 1), (0, 1))), w.take(((0, 1), (0, 1))), w.spent
    (True, False, 3)
    """

    def __init__(self, total: int | None = None) -> None:
        from .. import limits

        self.total = int(limits.get("face_work")) if total is None else int(total)
        self.spent = 0

    def take(self, face, units: int | None = None) -> bool:
        """Spend the cost of searching ``face`` if it fits; whether it did.

        Parameters
        ----------
        face : tuple of tuple of int
        units : int, optional
            The cost, when it is not :func:`face_cost` (a face decided by dominance costs 1).

        Returns
        -------
        bool

        Examples
        --------
        >>> FaceWork(1).take(((0, 1), (0,)))
        False
        """
        cost = face_cost(face) if units is None else int(units)
        if self.spent + cost > self.total:
            return False
        self.spent += cost
        return True

    def charge(self, units: int) -> None:
        """Add work already done (continua described on a face).

        Parameters
        ----------
        units : int

        Returns
        -------
        None

        Examples
        --------
        >>> w = FaceWork(10); w.charge(CONTINUUM_COST); w.spent
        8
        """
        self.spent += int(units)
