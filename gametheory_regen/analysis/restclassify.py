r"""One rest point classified: eigenvalues, stability, Nash, strict Nash and ESS.

At a rest point :math:`x` the eigenvalues of the Jacobian of the reduced replicator dynamics
(one share per population dropped) decide stability when none has real part 0
(:mod:`.eigen`).  They are computed exactly for rational entries, for exact irrational entries
where the matrix is triangular (else a stated 50-digit spectrum), and otherwise from double
precision when every real part is farther than :data:`FLOAT_SIGN_MARGIN` from 0 (else 50
digits) (:func:`_spectrum`).  At a vertex the Jacobian is triangular and its eigenvalues are
the deviation gains :math:`u_{pj}(x) - u_{pi}(x)` of the unused strategies :math:`j` against
the used one :math:`i` (Hofbauer & Sigmund 1998, sec. 10.3), exactly (:func:`_gain_spectrum`).
Where the point lies on a kink of the vector field (``Abs``, ``Min``/``Max``, ``Piecewise``)
there is no Jacobian: eigenvalues and stability are None, with a note.  Nash and strict Nash
come from payoff comparisons (:mod:`.pointwise`), the ESS of a single population from Maynard
Smith's definition (:mod:`.ess`); in games of two or more populations an ESS is a strict Nash
equilibrium (Selten 1980), which assumes constant payoffs (:func:`_classify_point`).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .eigen import Spectrum, Stability, exact_spectrum, numeric_spectrum
from .ess import symmetric_ess
from .jacobian_eval import jacobian_at
from .pointwise import (
    _kind,
    _nash,
    _on_kink,
    _reduced_subs,
    _sign_of,
    _to_floats,
    _vertex_diagonal,
)
from .restpoints import _STRICT, RestPoint

__all__: list = []


def _gain_spectrum(game, payoffs, profile, system, exact_state) -> Spectrum:
    """A vertex's exact spectrum from its deviation gains (the diagonal of its triangular
    Jacobian), sorted as :func:`~.eigen.exact_spectrum` sorts; the full Jacobian when a sign
    cannot be decided exactly."""
    diag = [sp.expand(d) for d in _vertex_diagonal(game, payoffs, profile)]
    signs = [_sign_of(d) for d in diag]
    if any(s is None for s in signs) or any(not d.is_number or d.has(sp.Float) for d in diag):
        return _spectrum(system.jacobian().xreplace(_reduced_subs(system, exact_state)))
    order = sorted(range(len(diag)), key=lambda i: float(sp.N(diag[i], 30)))
    return Spectrum(tuple(complex(sp.N(diag[i], 30)) for i in order),
                    tuple(diag[i] for i in order), tuple(signs[i] for i in order), "exact")


#: Real parts farther than this from 0 are signed from double-precision eigenvalues of an
#: exactly known (algebraic) Jacobian; closer ones are decided with 50-digit arithmetic.
FLOAT_SIGN_MARGIN = 1e-6


def _spectrum(jv: sp.Matrix) -> Spectrum:
    if all(e.is_Rational for e in jv):
        return exact_spectrum(jv)
    if all(e.is_number and not e.has(sp.Float) for e in jv):
        # exact irrational entries (sqrt(2), E): exact where the matrix is triangular, else a
        # stated 50-digit spectrum (eigen._irrational_spectrum)
        return exact_spectrum(jv)
    if all(e.is_number for e in jv):
        quick = numeric_spectrum(np.array(jv.tolist(), dtype=float),
                                 tolerance=FLOAT_SIGN_MARGIN)
        if 0 not in quick.signs:
            return quick
        return numeric_spectrum(jv, tolerance=1e-20)
    raise ValueError("the Jacobian still has symbols")  # pragma: no cover


def _classify_point(game, system, payoffs, state, face, method, switches,
                    constant) -> RestPoint:
    kind = _kind(face, game.shape)
    exact = method == "exact"
    if exact:
        subs = _reduced_subs(system, state)
        floats = _to_floats(state)
        exact_state = state if all(not isinstance(v, sp.Float) for row in state for v in row) \
            else None
    else:
        floats = state
        subs = _reduced_subs(system, tuple(tuple(sp.Float(v, 30) for v in row)
                                           for row in state))
        exact_state = None
    note = ""
    kink = _on_kink(switches, subs)
    if kink is not None:
        spectrum, stability = None, None
        note = f"not differentiable here ({sp.sstr(kink)} = 0 is a kink of the vector field)"
    elif exact:
        if not all(v.is_Rational for v in subs.values()):  # radicals: 40-digit floats suffice
            subs = {k: sp.Float(sp.N(v, 40), 40) for k, v in subs.items()}
        spectrum = _spectrum(jacobian_at(system, subs))
        stability = spectrum.stability
    else:
        fn = _jacobian_function(system)
        flat = [v for row, pop in zip(state, game.populations, strict=True)
                for v in row[: pop.k - 1]]
        with np.errstate(all="ignore"):  # numpy evaluates every Piecewise branch
            values = np.array(fn(*flat), dtype=complex)
        spectrum = numeric_spectrum(np.real(values), tolerance=1e-7)
        stability = spectrum.stability
    nash, strict = _nash(game, payoffs, system, state, face, exact)
    ess_value: object = _STRICT
    if game.symmetric:
        ess_value, why = symmetric_ess(game, payoffs, state if exact else floats, face, nash,
                                       exact and exact_state is not None and all(
                                           v.is_Rational for row in state for v in row))
    elif not constant:
        ess_value = False
        if stability is Stability.STABLE:
            note = ("asymptotically stable but not an ESS: in games of two or more populations "
                    "an ESS is a strict Nash equilibrium, and Selten's theorem (only those are "
                    "stable) assumes constant payoffs")
    return RestPoint(floats, exact_state, kind, face, spectrum, stability, nash, strict,
                     None, None, method, ess_value, note)


def _vertex_jacobian(system, subs) -> sp.Matrix:
    """The Jacobian at a vertex: from the rhs' polynomials over QQ (:func:`.jacobian_at`, the
    same rationals) when the rhs has no floats, else by substitution."""
    cache = system.__dict__.setdefault("_rhs_has_float", [])
    if not cache:
        cache.append(any(f.has(sp.Float) for f in system.rhs))
    if not cache[0] and all(v.is_Rational for v in subs.values()):
        return jacobian_at(system, subs)
    return system.jacobian().xreplace(subs)


def _jacobian_function(system):
    cache = system.__dict__.setdefault("_jac_fn", [])
    if not cache:
        cache.append(sp.lambdify(system.flat_variables, system.jacobian(), "numpy"))
    return cache[0]
