r"""Which dynamics a game is integrated under: the kind and its one parameter (Contract 4).

Mathematics
-----------
Each population's shares :math:`x` (:math:`k` strategies) move with a velocity made of its
expected payoffs :math:`u` (:math:`\bar u = x \cdot u`):

============================  ===============================================================
``replicator``                :math:`\dot x_i = x_i (u_i - \bar u)` (Taylor & Jonker 1978)
``replicator_mutator``        :math:`\dot x_i = x_i (u_i - \bar u) + \mu (1/k - x_i)`,
                              ``mutation`` :math:`\mu \ge 0`
``logit``                     :math:`\dot x = \mathrm{softmax}(u / \eta) - x`,
                              ``temperature`` :math:`\eta > 0`
``bnn``                       Brown-von Neumann-Nash (Sandholm 2010, sec. 5.5)
``smith``                     pairwise proportional imitation of Smith (Sandholm 2010, sec. 5.6)
``imitation``                 :math:`\dot x_i = x_i \sum_j x_j \tanh(\beta (u_i - u_j) / 2)`,
                              ``intensity`` :math:`\beta > 0` (Fermi rule)
============================  ===============================================================

This module is the model layer's description of the choice (a model file's ``[dynamics]``
table, the command line's ``--dynamics``); the vector fields themselves live in
:mod:`gametheory_regen.dynamics.field`, which re-exports :class:`Dynamics`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import GameInputError

__all__ = ["DYNAMICS_KINDS", "DYNAMICS_PARAMETERS", "FORMULAS", "Dynamics", "REPLICATOR"]

#: The dynamics the engine integrates, in the order of their codes.
DYNAMICS_KINDS = ("replicator", "replicator_mutator", "logit", "bnn", "smith", "imitation")

#: Each dynamics' velocity in plain text, per population (what reports and ``show`` print).
FORMULAS = {
    "replicator": "x_i' = x_i (u_i - ubar)",
    "replicator_mutator": "x_i' = x_i (u_i - ubar) + mu (1/k - x_i)",
    "logit": "x' = softmax(u / eta) - x",
    "bnn": "x_i' = [u_i - ubar]_+ - x_i sum_j [u_j - ubar]_+",
    "smith": "x_i' = sum_j x_j [u_i - u_j]_+ - x_i sum_j [u_j - u_i]_+",
    "imitation": "x_i' = x_i sum_j x_j tanh(beta (u_i - u_j) / 2)",
}

#: The parameter of each dynamics that has one: (name, default, lower bound, bound is strict).
DYNAMICS_PARAMETERS = {
    "replicator_mutator": ("mutation", 0.0, 0.0, False),
    "logit": ("temperature", None, 0.0, True),
    "imitation": ("intensity", 1.0, 0.0, True),
}


@dataclass(frozen=True)
class Dynamics:
    """Which dynamics, with its parameter.

    Parameters
    ----------
    kind : str
        One of :data:`DYNAMICS_KINDS`.
    mutation : float
        ``replicator_mutator``: the mutation rate :math:`\\mu \\ge 0`.
    temperature : float or None
        ``logit``: the noise level :math:`\\eta > 0` (required).
    intensity : float
        ``imitation``: the selection intensity :math:`\\beta > 0`.

    Raises
    ------
    GameInputError
        For an unknown kind, a parameter of another dynamics, or a value out of range.

    Examples
    --------
    >>> Dynamics("logit", temperature=0.1).param
    0.1
    >>> Dynamics.parse("replicator_mutator,mutation=0.01")
    Dynamics(kind='replicator_mutator', mutation=0.01, temperature=None, intensity=1.0)
    >>> Dynamics("logit")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: dynamics 'logit' needs temperature = eta > 0
    """

    kind: str = "replicator"
    mutation: float = 0.0
    temperature: float | None = None
    intensity: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in DYNAMICS_KINDS:
            raise GameInputError(
                f"unknown dynamics {self.kind!r}: use one of {', '.join(DYNAMICS_KINDS)}"
            )
        if self.kind == "logit" and self.temperature is None:
            raise GameInputError("dynamics 'logit' needs temperature = eta > 0")
        for kind, (name, default, low, strict) in DYNAMICS_PARAMETERS.items():
            value = getattr(self, name)
            if kind != self.kind:
                if value != default:
                    raise GameInputError(
                        f"{name} is a parameter of dynamics {kind!r}, not of {self.kind!r}"
                    )
                continue
            try:
                v = float(value)
            except (TypeError, ValueError):
                v = math.nan
            ok = math.isfinite(v) and (v > low if strict else v >= low)
            if not ok:
                rel = ">" if strict else ">="
                raise GameInputError(
                    f"dynamics {kind!r}: {name} must be a finite number {rel} {low:g}; "
                    f"got {value!r}"
                )
            object.__setattr__(self, name, v)

    @property
    def code(self) -> int:
        """Index of :attr:`kind` in :data:`DYNAMICS_KINDS` (what the compiled kernel reads).

        >>> Dynamics().code, Dynamics("imitation").code
        (0, 5)
        """
        return DYNAMICS_KINDS.index(self.kind)

    @property
    def param(self) -> float:
        """The dynamics' parameter (``mu``, ``eta`` or ``beta``; 0 for those without one).

        >>> Dynamics("imitation", intensity=2.0).param
        2.0
        """
        spec = DYNAMICS_PARAMETERS.get(self.kind)
        return 0.0 if spec is None else float(getattr(self, spec[0]))

    @property
    def vertices_are_rest_points(self) -> bool:
        """True for the replicator and imitation, whose velocity vanishes at every vertex.

        >>> Dynamics().vertices_are_rest_points, Dynamics("logit", temperature=1).vertices_are_rest_points
        (True, False)
        """  # noqa: E501
        return self.kind in ("replicator", "imitation")

    def as_dict(self) -> dict:
        """``{"kind": ..., parameter: value}`` as JSON documents carry it.

        >>> Dynamics("logit", temperature=0.5).as_dict()
        {'kind': 'logit', 'temperature': 0.5}
        """
        out: dict = {"kind": self.kind}
        spec = DYNAMICS_PARAMETERS.get(self.kind)
        if spec is not None:
            out[spec[0]] = self.param
        return out

    @classmethod
    def parse(cls, text: str) -> Dynamics:
        """Read ``KIND[,NAME=VALUE...]`` (the command line's ``--dynamics``).

        Parameters
        ----------
        text : str

        Returns
        -------
        Dynamics

        Examples
        --------
        >>> Dynamics.parse("logit,temperature=0.2").temperature
        0.2
        >>> Dynamics.parse("smith,mutation=1")
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: --dynamics 'smith,mutation=1': mutation is a parameter of dynamics 'replicator_mutator', not of 'smith'
        """  # noqa: E501
        parts = [p.strip() for p in str(text).split(",")]
        kind, params = parts[0], {}
        names = {spec[0] for spec in DYNAMICS_PARAMETERS.values()}
        for item in parts[1:]:
            name, eq, value = item.partition("=")
            name = name.strip()
            if not eq or name not in names:
                raise GameInputError(
                    f"--dynamics {text!r}: expected KIND[,NAME=VALUE...] with NAME one of "
                    f"{', '.join(sorted(names))}; got {item!r}"
                )
            if name in params:
                raise GameInputError(f"--dynamics {text!r}: {name} given twice")
            try:
                params[name] = float(value)
            except ValueError:
                raise GameInputError(
                    f"--dynamics {text!r}: {name} must be a number; got {value!r}"
                ) from None
        try:
            return cls(kind, **params)
        except GameInputError as exc:
            raise GameInputError(f"--dynamics {text!r}: {exc}") from exc

    def describe(self) -> str:
        """One line naming the dynamics and its parameter, as reports and ``show`` print it.

        Returns
        -------
        str

        Examples
        --------
        >>> Dynamics("logit", temperature=0.1).describe()
        'logit (temperature = 0.1)'
        >>> REPLICATOR.describe()
        'replicator'
        """
        spec = DYNAMICS_PARAMETERS.get(self.kind)
        if spec is None:
            return self.kind
        return f"{self.kind} ({spec[0]} = {self.param:g})"


#: The default dynamics.
REPLICATOR = Dynamics()
