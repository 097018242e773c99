r"""States of a game as the figures hold them (private helpers of the ``fig_*`` modules).

The state of an :math:`n`-population game is a point of :math:`\prod_p \Delta_{k_p}`, stored as
*full shares* :math:`(x_{1,1}, \dots, x_{1,k_1}, \dots, x_{n,k_n})` of length
:math:`N = \sum_p k_p`; the *reduced coordinates* drop each population's last share
(:math:`d = N - n` numbers, the last share being one minus the others).  These helpers convert
between the two, pick the first share of each population, lay out grids of starting states, and
ask :mod:`gametheory_regen.analysis.portraits` for trajectories (figures never integrate).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import sympy as sp

from ..errors import GameInputError


def _counts(game) -> tuple[int, ...]:
    return tuple(game.shape)


def _offsets(game) -> list[int]:
    out = [0]
    for k in game.shape:
        out.append(out[-1] + k)
    return out


def _flat(state) -> np.ndarray:
    return np.concatenate([np.asarray(s, dtype=float) for s in state])


def _as_full(game, states) -> np.ndarray:
    """States as full shares ``(..., N)`` from full ``(..., N)``, reduced ``(..., d)`` or a mapping
    population -> ``(..., k)``."""
    counts = _counts(game)
    N, d = sum(counts), sum(k - 1 for k in counts)
    if isinstance(states, Mapping):
        blocks = [np.asarray(states[pop.name], dtype=float) for pop in game.populations]
        return np.concatenate(blocks, axis=-1)
    arr = np.asarray(states, dtype=float)
    if arr.shape[-1] == N:
        return arr
    if arr.shape[-1] == d:
        blocks, j = [], 0
        for k in counts:
            red = arr[..., j:j + k - 1]
            blocks += [red, 1.0 - red.sum(axis=-1, keepdims=True)]
            j += k - 1
        return np.concatenate(blocks, axis=-1)
    raise GameInputError(
        f"states: the last axis must have {N} entries (every share) or {d} (reduced "
        f"coordinates) for model {game.name!r}; got shape {arr.shape}")


def _first_shares(game, full: np.ndarray) -> np.ndarray:
    """Share of the first strategy of each population, ``(..., n)``."""
    off = _offsets(game)
    return np.stack([full[..., off[p]] for p in range(game.n_populations)], axis=-1)


def _log_times(t_end: float, n: int = 400) -> np.ndarray:
    from ..analysis.portraits import log_times

    return log_times(t_end, n)


def _integrate(game, starts: np.ndarray, t_end: float, t_out: np.ndarray | None = None,
               payoffs: np.ndarray | None = None) -> np.ndarray:
    """Trajectories ``(m, T, N)``, computed by the analysis layer (figures never integrate)."""
    from ..analysis.portraits import trajectories

    return trajectories(game, starts, t_end, t_out=t_out, payoffs=payoffs)


def _grid_starts(game, per_axis: int, lo: float = 0.1, hi: float = 0.9) -> np.ndarray:
    """A regular grid of interior starting states of a game of two-strategy populations."""
    axes = [np.linspace(lo, hi, per_axis)] * game.n_populations
    mesh = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, game.n_populations)
    full = np.empty((len(mesh), 2 * game.n_populations))
    full[:, 0::2] = mesh
    full[:, 1::2] = 1.0 - mesh
    return full


def _attractor_index(analysis, finals: np.ndarray, tol: float) -> np.ndarray:
    """Index into ``analysis.stable`` of the stable rest point each final state is near, or -1."""
    stable = [_flat(r.state) for r in analysis.stable]
    out = np.full(len(finals), -1)
    for j, s in enumerate(stable):
        out[np.max(np.abs(finals - s[None, :]), axis=1) < tol] = j
    return out


def _require_numeric(game, what: str) -> None:
    if not game.is_numeric:
        raise GameInputError(
            f"{what}: model {game.name!r} has parameters without a value "
            f"({', '.join(game.free_parameters)}); set them with Game.with_values or a scenario")


def _continuum_points(game, continuum, samples: int = 201) -> np.ndarray | None:
    """Full states along a one-dimensional continuum, ``(m, N)`` (None for other dimensions)."""
    if len(continuum.free) != 1:
        return None
    free = sp.Symbol(continuum.free[0], real=True)
    param = {k: sp.sympify(v) for k, v in continuum.parametrization.items()}
    ts = np.linspace(0.0, 1.0, samples)
    rows = []
    for t in ts:
        state = []
        ok = True
        for pop, support in zip(game.populations, continuum.support, strict=True):
            shares = [0.0] * pop.k
            used = list(support)
            for i in used[:-1]:
                name = f"{pop.name}.{pop.strategies[i]}"
                if name == continuum.free[0]:
                    shares[i] = float(t)
                elif name in param:
                    value = param[name].xreplace({free: t})
                    shares[i] = float(value) if value.is_number else math.nan
                else:
                    ok = False
            shares[used[-1]] = 1.0 - sum(shares[i] for i in used[:-1])
            state += shares
        arr = np.array(state)
        if ok and np.all(np.isfinite(arr)) and np.all(arr >= -1e-9) and np.all(arr <= 1 + 1e-9):
            rows.append(arr)
        else:
            rows.append(np.full(len(state), np.nan))
    return np.array(rows)


def _initial_state(game, initial) -> np.ndarray:
    if initial is None:
        return np.concatenate([np.full(p.k, 1.0 / p.k) for p in game.populations])
    if isinstance(initial, Mapping):
        blocks = []
        for pop in game.populations:
            if pop.name not in initial:
                blocks.append(np.full(pop.k, 1.0 / pop.k))
                continue
            s = np.atleast_1d(np.asarray(initial[pop.name], dtype=float))
            if pop.k == 2 and s.size == 1:
                s = np.array([s[0], 1 - s[0]])
            if s.size != pop.k or np.any(s < 0) or abs(s.sum() - 1) > 1e-9:
                raise GameInputError(f"initial: population {pop.name!r} needs the share of its "
                                     f"first strategy or {pop.k} shares summing to 1; got "
                                     f"{initial[pop.name]!r}")
            blocks.append(s)
        return np.concatenate(blocks)
    return _as_full(game, np.asarray(initial, dtype=float))
