r"""Rest points, eigenvalues and stability words under the dynamics other than the replicator.

Notation of :mod:`gametheory_regen.dynamics.symbolic_field`: population :math:`p` has shares
:math:`x`, payoffs :math:`u_i(x)`, mean :math:`\bar u`.  Eigenvalues are those of the reduced
Jacobian (on the tangent space of the product of simplices), and the four stability words are
decided as for the replicator (:mod:`.eigen`): exactly where the Jacobian is exact, otherwise
with the stated tolerance :data:`NUMERIC_EIG_TOL`; a zero real part gives ``non-hyperbolic``,
never ``stable``.

**Imitation (Fermi):** :math:`f_i = x_i \sum_j x_j \tanh(\beta(u_i - u_j)/2)`.  *Same rest
points as the replicator.*  On the support :math:`S` of :math:`x` write
:math:`u^- = \min_{S} u_i`, :math:`u^+ = \max_S u_i`.  For :math:`i \in S` with
:math:`u_i = u^+`, every term :math:`x_j \tanh(\beta(u_i - u_j)/2)` is :math:`\ge 0` because
tanh is odd and increasing, and it is :math:`> 0` for some :math:`j \in S` unless all payoffs on
:math:`S` are equal; so :math:`f_i = 0` forces :math:`u^+ = u^-`.  Conversely, equal payoffs on
:math:`S` make every term with :math:`j \in S` vanish, and terms with :math:`j \notin S` have
:math:`x_j = 0`.  So :math:`x` is a rest point iff the payoffs on its support are equal: the
replicator's condition.  *Same stability words.*  At such a point the Jacobian is block
triangular in the same way as the replicator's: a transverse deviation to unused :math:`j` has
eigenvalue :math:`\tanh(\beta g_j / 2)` where the replicator has :math:`g_j = u_j - u^*`, and
on the face :math:`\partial \tanh(\beta(u_i - u_j)/2) = \tfrac{\beta}{2}(\partial u_i - \partial
u_j)` at a tie, so the in-face block is :math:`\beta/2` times the replicator's.  Every
eigenvalue keeps the sign of its replicator counterpart; Nash flags and the vertex conditions
are the replicator's (Contract 4 reports them under imitation).  The analysis computes the
imitation Jacobian itself and checks that every word agrees.

**Replicator-mutator** (:math:`\mu > 0`) **and logit:** no rest point on the boundary
(:math:`f_i = \mu / k > 0` where :math:`x_i = 0`; a softmax is positive), so every rest point is
interior.  Replicator-mutator: a polynomial system with rational coefficients, solved exactly
(:func:`.polysolve.solve_exact`, proven complete) when its multihomogeneous Bezout number is within
:data:`.polysolve.EXACT_MAX_SOLUTIONS`, else by certified Newton.  Logit: the rest points are
the logit quantal response equilibria :math:`x_p = \operatorname{softmax}(u_p(x)/\eta)`
(McKelvey & Palfrey 1995); the system is not polynomial, so it is solved by seeded multi-start
Newton with Krawczyk certification (an uncertified root within :data:`CLUSTER_TOL` of another
is dropped as its copy: at a singular root, a bifurcation point, Newton converges slowly and
leaves a cluster) (:func:`.polysolve.solve_numeric`; starts include one logit
response to every replicator rest point), reported "k rest points found, not proven complete",
unless the logit response map is a contraction: for constant payoffs its 1-norm Lipschitz
constant is at most :math:`L = \frac{1}{2\eta} \max_{q,j} \sum_{p} \max_{s:\, s_q = j}
\operatorname{spread}_l A_p(l, s_{-p})` (the derivative of a softmax times a payoff vector is a
mean absolute deviation, at most half the spread), and :math:`L < 1` proves the QRE unique
(Banach).  No Nash flags and no conditions are reported (Contract 4).

**BNN and Smith:** rest points are exactly the Nash equilibria (*Nash stationarity*: Sandholm
2010, *Population Games and Evolutionary Dynamics*, sec. 5.5 for excess payoff dynamics such as
BNN, sec. 5.6 for pairwise comparison dynamics such as Smith's).  Proof sketch: at a Nash
equilibrium every excess payoff :math:`u_j - \bar u` and every :math:`u_j - u_i` with :math:`i`
used is :math:`\le 0`, so all inflows vanish; conversely, at a rest point of BNN some used
strategy earns at most :math:`\bar u`, and its component
:math:`-x_i \sum_j [u_j - \bar u]_+` must vanish; for Smith take a used strategy with the lowest
payoff among the used: it has no inflow, so its outflow :math:`x_i \sum_j [u_j - u_i]_+` must
vanish.  Every Nash equilibrium is a rest point of the replicator, so the replicator analysis'
Nash points are all of them (as complete as that analysis).  At a *tied* Nash equilibrium a
term :math:`[\cdot]_+` has a kink that the field feels (:mod:`.dynamics_local`): eigenvalues and
stability are None, with a note, the one-sided slopes and nearby runs.  Under BNN the Jacobian at
a strict pure equilibrium is 0 (the field is :math:`(u_i - \bar u)(e_i - x)`, a product of two
factors vanishing there): non-hyperbolic, with nearby runs as evidence; under Smith it has the
deviation gains as eigenvalues.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from ..dynamics.field import Dynamics
from ..dynamics.replicator import full_shares
from ..dynamics.symbolic_field import dynamics_system, exact_parameter
from ..errors import ParameterError
from ..model.dynamics_spec import FORMULAS
from ..model.game import Game
from .dynamics_local import local_field, nearby_runs
from .eigen import Spectrum, Stability, numeric_spectrum
from .logit_equations import _logit_log_ratios, logit_contraction_bound
from .polysolve import (
    EXACT_MAX_SOLUTIONS,
    EXACT_MAX_UNKNOWNS,
    NUMERIC_STARTS,
    bezout_bound,
    dirichlet_starts,
    solve_exact,
    solve_numeric,
)

__all__ = ["analyze_dynamics", "formula", "logit_contraction_bound", "NUMERIC_EIG_TOL", "RELATIONS"]

#: Real parts within this of 0 count as 0 at numerically found points.
NUMERIC_EIG_TOL = 1e-7
#: Uncertified numeric rest points this close (sup norm) to another one are the same point.
CLUSTER_TOL = 1e-4

RELATIONS = {
    "imitation": (
        "the Fermi imitation dynamics has exactly the replicator's rest points, and at each the "
        "eigenvalues are tanh(beta*g/2) for the transverse deviation gains g and beta/2 times the "
        "replicator's in-face eigenvalues: every stability word is the replicator's",),
    "replicator_mutator": (
        "with mutation mu > 0 every rest point is interior (x_i = 0 gives x_i' = mu/k > 0)",),
    "logit": (
        "the rest points of the logit dynamics are the logit quantal response equilibria "
        "(McKelvey & Palfrey 1995); as eta -> 0 they approach Nash equilibria",),
    "bnn": (
        "the rest points of the BNN dynamics are exactly the Nash equilibria (Nash stationarity "
        "of excess payoff dynamics; Sandholm 2010, sec. 5.5)",
        "at a strict pure equilibrium the BNN Jacobian is 0 (non-hyperbolic); attraction is shown "
        "by the nearby runs, not by linearisation",),
    "smith": (
        "the rest points of the Smith dynamics are exactly the Nash equilibria (Nash stationarity "
        "of pairwise comparison dynamics; Sandholm 2010, sec. 5.6)",),
}



def formula(dynamics: Dynamics) -> str:
    """The dynamics' formula in plain text, with its parameter.

    Parameters
    ----------
    dynamics : Dynamics

    Returns
    -------
    str

    Examples
    --------
    >>> formula(Dynamics("logit", temperature=0.1))
    "x' = softmax(u / eta) - x, eta = 0.1"
    """
    text = FORMULAS[dynamics.kind]
    params = {k: v for k, v in dynamics.as_dict().items() if k != "kind"}
    names = {"mutation": "mu", "temperature": "eta", "intensity": "beta"}
    tail = ", ".join(f"{names[k]} = {v:g}" for k, v in params.items())
    return text + (f", {tail}" if tail else "")


def _require_numeric(game: Game, dynamics: Dynamics) -> None:
    if not game.is_numeric:
        free = ", ".join(str(p) for p in game.free_parameters)
        raise ParameterError(
            f"the analysis under dynamics {dynamics.kind!r} needs a value for every parameter "
            f"(free: {free}); give them with --set NAME=VALUE or a scenario")


def _spectrum_at(system, state, exact_state) -> Spectrum:
    """Spectrum of ``system``'s Jacobian at a point: exact where the point is."""
    from .equilibria import _spectrum  # the replicator analysis' exact/numeric policy

    jac = system.jacobian()
    if exact_state is not None:
        subs = {}
        for vars_p, shares in zip(system.variables, exact_state, strict=True):
            for v, s in zip(vars_p, shares, strict=False):
                subs[v] = s
        if not all(sp.sympify(v).is_Rational for v in subs.values()):
            subs = {k: sp.Float(sp.N(v, 40), 40) for k, v in subs.items()}
        return _clean(_spectrum(jac.xreplace(subs)))
    flat = [v for row, vars_p in zip(state, system.variables, strict=True)
            for v in row[: len(vars_p)]]
    fn = system.__dict__.setdefault("_jac_fn", [])
    if not fn:
        fn.append(sp.lambdify(system.flat_variables, jac, "numpy"))
    with np.errstate(all="ignore"):
        values = np.array(fn[0](*flat), dtype=complex)
    return numeric_spectrum(np.real(values), tolerance=NUMERIC_EIG_TOL)


def _clean(spectrum: Spectrum) -> Spectrum:
    """Drop the 1e-50 noise that 50-digit eigenvalues leave in parts that are exactly 0."""
    if spectrum.method != "numeric" or spectrum.tolerance is None or spectrum.tolerance > 1e-8:
        return spectrum
    values = tuple(complex(v.real if abs(v.real) > 1e-40 else 0.0,
                           v.imag if abs(v.imag) > 1e-40 else 0.0) for v in spectrum.values)
    return replace(spectrum, values=values)


def _local_spectrum(matrix: sp.Matrix, exact: bool) -> Spectrum:
    from .equilibria import _spectrum

    if exact:
        return _clean(_spectrum(matrix))
    return numeric_spectrum(np.array(matrix.tolist(), dtype=float), tolerance=NUMERIC_EIG_TOL)


# ------------------------------------------------------------------------------ imitation
def _imitation(game: Game, dynamics: Dynamics, rep) -> tuple:
    system = dynamics_system(game, dynamics, numeric=rep.numeric)
    beta = exact_parameter(dynamics)
    points = []
    notes = list(rep.notes)
    for rp in rep.rest_points:
        sym = None
        if rp.symbolic_eigenvalues is not None:
            sym = tuple(sp.tanh(beta * e / 2) for e in rp.symbolic_eigenvalues)
        if rp.spectrum is None or not rp.differentiable:
            points.append(replace(rp, symbolic_eigenvalues=sym))
            continue
        if rp.spectrum.method == "exact-symbolic":
            exact = tuple(sp.tanh(beta * e / 2) for e in rp.spectrum.exact)
            values = tuple(complex(sp.N(e)) for e in exact) if rp.spectrum.values else ()
            spectrum = Spectrum(values, exact, rp.spectrum.signs, "exact-symbolic")
        else:
            spectrum = _spectrum_at(system, rp.state, rp.exact_state)
        points.append(replace(rp, spectrum=spectrum, stability=spectrum.stability
                              if spectrum.signs else None, symbolic_eigenvalues=sym))
    agree = all(a.stability == b.stability for a, b in zip(points, rep.rest_points, strict=True))
    if not agree:  # pragma: no cover - would contradict the theorem in the module docstring
        notes.append("INCONSISTENT: a stability word under imitation differs from the "
                     "replicator's")
    return tuple(points), rep.continua, notes, rep.consistent and agree, rep.incomplete_faces


# ------------------------------------------------------------------------------ interior
def _seeds(game: Game, dynamics: Dynamics, rep, system) -> list[list[float]]:
    """Starts in reduced coordinates: each replicator rest point moved into the interior by one
    step of the dynamics' own response (logit: its logit response; mutator: mixed with
    uniform)."""
    out = []
    for rp in rep.rest_points:
        row = []
        for pop, shares in zip(game.populations, rp.state, strict=True):
            s = np.array(shares, dtype=float)
            s = 0.9 * s + 0.1 / pop.k
            row.append(s)
        if dynamics.kind == "logit":
            subs = {v: float(x) for vars_p, s in zip(system.variables, row, strict=True)
                    for v, x in zip(vars_p, s, strict=False)}
            resp = []
            for p in range(len(row)):
                u = np.array([float(sp.N(e.xreplace(subs))) for e in system.payoffs[p]])
                z = (u - u.max()) / float(dynamics.param)
                w = np.exp(z)
                resp.append(w / w.sum())
            row = resp
        out.append([v for s in row for v in s[:-1]])
    k = [pop.k for pop in game.populations]
    out.append([1.0 / kk for kk in k for _ in range(kk - 1)])
    return out


def _interior(game: Game, dynamics: Dynamics, rep, starts: int) -> tuple:
    _require_numeric(game, dynamics)
    system = dynamics_system(game, dynamics, numeric=True)
    unknowns = list(system.flat_variables)
    eqs = [e for e in system.rhs]
    shares = [s for row in full_shares(game, system.variables) for s in row]
    face = tuple(tuple(range(pop.k)) for pop in game.populations)
    full_face = tuple(tuple(range(pop.k)) for pop in game.populations)
    notes: list[str] = []
    points_exact = None
    reason = ""
    complete = False
    if dynamics.kind == "replicator_mutator":
        polys = all(e.is_polynomial(*unknowns) for e in eqs) and all(
            c.is_Rational for e in eqs for c in sp.Poly(e, *unknowns).coeffs())
        if polys:
            bound = bezout_bound(eqs, system.variables)
            if bound is not None and bound <= EXACT_MAX_SOLUTIONS and \
                    len(unknowns) <= EXACT_MAX_UNKNOWNS:
                sol = solve_exact(eqs, unknowns, shares)
                if sol is not None and sol.complete:
                    points_exact = sol.points
                    complete = True
                else:
                    reason = "the exact route did not finish (positive-dimensional or not in " \
                             "shape position)"
            else:
                reason = (f"beyond the exact work budget (Bezout number {bound} > "
                          f"{EXACT_MAX_SOLUTIONS} or {len(unknowns)} > {EXACT_MAX_UNKNOWNS} "
                          f"unknowns)")
        else:
            reason = "the equations are not polynomial with rational coefficients"
    else:
        reason = "the logit equations are not polynomial (exp)"
    states: list = []
    methods: list[str] = []
    if points_exact is not None:
        for pt in points_exact:
            st = tuple(tuple(sp.sympify(s).xreplace(pt) for s in row)
                       for row in full_shares(game, system.variables))
            states.append(st)
            methods.append("exact")
    else:
        seeds = np.array(_seeds(game, dynamics, rep, system), dtype=float)
        gen_random = dirichlet_starts([pop.k for pop in game.populations])
        to_state = None
        if dynamics.kind == "logit":
            eqs, unknowns, to_state, to_w = _logit_log_ratios(game, system, dynamics)
            shares = []
            seeds = np.array([to_w(row) for row in seeds])

            def gen(rng, m):
                return np.vstack([seeds, [to_w(r) for r in gen_random(rng, m)]])
        else:
            def gen(rng, m):
                return np.vstack([seeds, gen_random(rng, m)])

        sol = solve_numeric(eqs, unknowns, shares, gen, starts=starts, reason=reason)
        kept: list = []
        for pt, cert in sorted(zip(sol.points, sol.certified, strict=True),
                               key=lambda pc: not pc[1]):
            v = np.array([float(pt[u]) for u in unknowns])
            if not cert and any(np.max(np.abs(v - w)) <= CLUSTER_TOL for w, _ in kept):
                continue  # Newton's slow convergence at a singular root leaves a cluster
            kept.append((v, (pt, cert)))
        for v, (pt, cert) in kept:
            if to_state is not None:
                st = to_state(v)
            else:
                st = tuple(tuple(float(sp.sympify(s).xreplace(pt)) if not isinstance(s, float)
                                 else s for s in row)
                           for row in full_shares(game, system.variables))
            states.append(st)
            methods.append("numeric" if cert else "numeric-uncertified")
        if dynamics.kind == "logit":
            bound = logit_contraction_bound(game, float(dynamics.param))
            if bound is not None and bound < 1 and len(states) == 1 and methods[0] == "numeric":
                complete = True
                notes.append(f"the logit response map is a contraction (Lipschitz bound "
                             f"{bound:.3g} < 1): this QRE is the only one")
        if not complete:
            unc = methods.count("numeric-uncertified")
            extra = f"; {unc} of them not certified by the interval test" if unc else ""
            notes.append(f"{len(states)} rest point{'s' if len(states) != 1 else ''} found, "
                         f"not proven complete ({sol.reason}{extra})")
    from .equilibria import RestPoint
    from .pointwise import _kind, _to_floats

    points = []
    for st, method in zip(states, methods, strict=True):
        exact = method == "exact"
        floats = _to_floats(st) if exact else st
        exact_state = st if exact and all(not isinstance(v, sp.Float) for row in st
                                          for v in row) else None
        spectrum = _spectrum_at(system, floats, st if exact else None)
        points.append(RestPoint(floats, exact_state, _kind(face, game.shape), face, spectrum,
                                spectrum.stability, None, None, None, None, method, None, ""))
    points.sort(key=lambda r: tuple(v for row in r.state for v in row))
    incomplete = () if complete else ((full_face, len(points), reason),)
    return tuple(points), (), notes, True, incomplete


# ------------------------------------------------------------------------------ bnn / smith
def _nash_stationary(game: Game, dynamics: Dynamics, rep) -> tuple:
    _require_numeric(game, dynamics)
    system = dynamics_system(game, dynamics, numeric=True)
    points = []
    for rp in rep.rest_points:
        if not rp.nash:
            continue
        base = replace(rp, nash=None, strict_nash=None, ess_value=None, conditions=None,
                       symbolic_eigenvalues=None)
        if not rp.differentiable:  # a kink of the payoffs themselves (pt_value, Abs, ...)
            points.append(replace(base, spectrum=None, stability=None))
            continue
        exact = rp.exact_state is not None
        state = rp.exact_state if exact else rp.state
        loc = local_field(game, system, state, exact)
        if loc.differentiable:
            spectrum = _local_spectrum(loc.jacobian, exact)
            points.append(replace(base, spectrum=spectrum, stability=spectrum.stability,
                                  note="", kink=loc))
        else:
            n = len(loc.kinks)
            name = "BNN" if dynamics.kind == "bnn" else "Smith"
            note = (f"not differentiable here: a tied Nash equilibrium, where {n} [.]_+ "
                    f"term{'s' if n != 1 else ''} of the {name} field "
                    f"{'have' if n != 1 else 'has'} argument 0 and change{'' if n != 1 else 's'} "
                    f"sign nearby (a kink); the one-sided slopes differ")
            points.append(replace(base, spectrum=None, stability=None, note=note, kink=loc))
    notes = list(rep.notes)
    if rep.continua:
        notes.append("the continua listed are the replicator's; their Nash points are rest "
                     "points of this dynamics")
    return tuple(points), rep.continua, notes, True, rep.incomplete_faces


def _with_nearby(game: Game, dynamics: Dynamics, points) -> tuple:
    """Nearby runs at every point that linearisation cannot decide (kink or non-hyperbolic)."""
    out = []
    for rp in points:
        undecided = rp.stability is None or rp.stability is Stability.NON_HYPERBOLIC
        if undecided and game.is_numeric:
            rp = replace(rp, nearby=nearby_runs(game, dynamics, rp.state))
        out.append(rp)
    return tuple(out)


def analyze_dynamics(game: Game, dynamics: Dynamics, rep, *,
                     starts: int = NUMERIC_STARTS):
    """The rest points of ``game`` under ``dynamics`` (not the replicator).

    Called by :func:`gametheory_regen.analysis.equilibria.analyze` with ``dynamics=``.

    Parameters
    ----------
    game : Game
    dynamics : Dynamics
    rep : EquilibriumAnalysis
        The replicator analysis of the same game (its rest points, Nash flags and completeness
        are reused where the theory says so).
    starts : int
        Newton starts on the certified numeric route.

    Returns
    -------
    EquilibriumAnalysis
        With :attr:`~.equilibria.EquilibriumAnalysis.dynamics` set.

    Raises
    ------
    ParameterError
        A dynamics other than the replicator and imitation needs every parameter's value.

    Examples
    --------
    Replicator-mutator in matching pennies: the centre becomes a stable focus
    (:math:`\\lambda = -\\mu \\pm i`, here :math:`\\mu = 1/10`):

    >>> import gametheory_regen as gr
    >>> res = gr.analyze(gr.Game.builtin("matching_pennies"),
    ...                  dynamics=Dynamics("replicator_mutator", mutation=0.1))
    >>> [(r.kind, r.state, str(r.stability)) for r in res.rest_points]
    [('interior', ((0.5, 0.5), (0.5, 0.5)), 'stable')]
    >>> res.rest_points[0].spectrum.exact, res.complete
    ((-1/10 - I, -1/10 + I), True)
    """
    from .equilibria import EquilibriumAnalysis

    kind = dynamics.kind
    if kind == "imitation":
        points, continua, notes, consistent, incomplete = _imitation(game, dynamics, rep)
        relations = rep.relations + RELATIONS["imitation"]
    elif kind == "replicator_mutator" and dynamics.param == 0:
        points = tuple(replace(r, nash=None, strict_nash=None, ess_value=None, conditions=None)
                       for r in rep.rest_points)
        continua, notes, consistent = rep.continua, list(rep.notes), True
        incomplete = rep.incomplete_faces
        notes.append("mutation 0: the replicator-mutator dynamics is the replicator dynamics")
        relations = ()
    elif kind in ("replicator_mutator", "logit"):
        points, continua, notes, consistent, incomplete = _interior(game, dynamics, rep, starts)
        relations = RELATIONS[kind]
    else:
        points, continua, notes, consistent, incomplete = _nash_stationary(game, dynamics, rep)
        relations = RELATIONS[kind]
    if kind != "imitation":
        points = _with_nearby(game, dynamics, points)
    symbolic = rep.symbolic_points if kind == "imitation" else ()
    return EquilibriumAnalysis(game, rep.system, tuple(points), tuple(continua), symbolic,
                               rep.unsolved_faces if kind in ("imitation", "bnn", "smith")
                               else (), rep.numeric, None, tuple(notes), consistent,
                               tuple(incomplete), tuple(relations), dynamics=dynamics)
