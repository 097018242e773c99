r"""The equations of the paper section: payoff matrix, expected payoffs, Jacobian.

For population :math:`p` with shares :math:`x_p` and payoff tensor :math:`A_p`, the expected
payoff of strategy :math:`i` is the multilinear form
:math:`U_{pi} = \sum_{s_{-p}} A_p(i, s_{-p}) \prod_{q \ne p} x_{q, s_q}` (one population:
:math:`U_i = (A x)_i`).  A two-strategy party's replicator equation is
:math:`F(x) = x(1 - x)\,g` with :math:`g = U_1 - U_2`, and the Jacobian of three such parties is
printed by its structure, :math:`J_{ii} = (1 - 2x_i)\,g_i`,
:math:`J_{ij} = x_i(1 - x_i)\,\partial g_i/\partial x_j`.  For populations of any size, in
reduced coordinates :math:`v` (the first :math:`k_p - 1` shares of each population), the
system :math:`\dot v_i = F_i(v) = v_i (U_i - \bar U_{p(i)})` has
:math:`\partial F_i/\partial v_j = \delta_{ij}(U_i - \bar U_{p(i)}) + v_i\,
\partial(U_i - \bar U_{p(i)})/\partial v_j`.  Each function returns text twice (LaTeX, plain)
and the sympy objects the Word equations are written from (:mod:`.omml`).
"""

from __future__ import annotations

import re

import sympy as sp

from .i18n import tr
from .texnames import tex

__all__: list[str] = []


def _pair(expr, names) -> tuple[str, str]:
    return tex(expr, names), sp.sstr(expr)


def _text(text: str) -> str:
    from .report_latex import tex_text

    return tex_text(text or "")


def _one_population_table(game, names, lang):
    """A one-population game: the payoff of the focal strategy (row) against the others' (a
    column per opponent cell), as papers print a symmetric game's matrix."""
    pop = game.populations[0]
    cells = list(game.table)
    opponents = sorted({cell[1:] for cell in cells})
    label = {o: ", ".join(pop.strategies[i] for i in o) for o in opponents}
    rows = [((tr("p_profile", lang),) * 2,) + tuple((_text(label[o]), label[o])
                                                    for o in opponents)]
    for i, strat in enumerate(pop.strategies):
        cells_i = []
        for o in opponents:
            value = game.table.get((i, *o))
            t, plain = _pair(sp.sympify(value[0]), names) if value is not None else ("", "")
            cells_i.append(("$" + t + "$" if t else "", plain))
        rows.append(((_text(strat), strat), *cells_i))
    return rows


def _expected_payoffs(game, names):
    from ..analysis.equilibria import expected_payoffs

    tensors = game.payoff_tensors(numeric=False, expand=False) if game.n_populations > 1 else ()
    shares = []
    for pop in game.populations:
        syms = [sp.Symbol(n) for n in pop.share_names()]
        shares.append(syms + [1 - sum(syms)])
    out, math = [], []
    for p, pop in enumerate(game.populations):
        if game.n_populations == 1:  # own shares: u_i = (A x)_i, from the game itself
            u = expected_payoffs(game, numeric=False, expand=False)[0]
        else:
            u = expected_payoffs(tensors[p], p, shares)
        for j, strat in enumerate(pop.strategies):
            lhs = f"U_{{{p + 1}{j + 1}}}"
            e = sp.collect(sp.expand(u[j]), [s for row in shares for s in row[:-1]])
            t, plain = _pair(e, names)
            out.append((f"{lhs} = {t}", f"U{p + 1}{j + 1} ({pop.name}, {strat}) = {plain}"))
            math.append((sp.Eq(sp.Symbol(f"U_{p + 1}{j + 1}"), e, evaluate=False), ""))
    return out, tuple(math)


def _jacobian(game, parties, names):
    """J_ij = dF_i/dv_j for F_i = v_i (1 - v_i) g_i (two-strategy populations)."""
    if not parties or len(parties) != game.n_populations:
        return None
    vs = [p.variable for p in parties]
    rows_tex, rows_plain = [], []
    matrix = sp.zeros(len(vs), len(vs))
    for i, v in enumerate(vs):
        r_tex, r_plain = [], []
        for j, w in enumerate(vs):
            if i == j:
                r_tex.append(f"(1 - 2{names.get(v, str(v))})\\,g_{{{i + 1}}}")
                r_plain.append(f"(1 - 2{v})*g{i + 1}")
                matrix[i, j] = (1 - 2 * v) * sp.Symbol(f"g_{i + 1}")
            elif w in parties[i].advantage.free_symbols:
                vt = names.get(v, str(v))
                wt = names.get(w, str(w))
                r_tex.append(f"{vt}(1 - {vt})\\,\\partial g_{{{i + 1}}}/\\partial {wt}")
                r_plain.append(f"{v}(1 - {v})*dg{i + 1}/d{w}")
                matrix[i, j] = v * (1 - v) * sp.Derivative(sp.Function(f"g_{i + 1}")(w), w)
            else:
                r_tex.append("0")
                r_plain.append("0")
        rows_tex.append(" & ".join(r_tex))
        rows_plain.append("[" + ", ".join(r_plain) + "]")
    return ("J = \\begin{pmatrix} " + " \\\\ ".join(rows_tex) + " \\end{pmatrix}",
            "J = [" + "; ".join(rows_plain) + "]"), ((sp.Symbol("J"), matrix), "")


#: The Jacobian of the replicator system in reduced coordinates, entry by entry (LaTeX, plain).
_GENERAL_JACOBIAN = (
    "J = \\Bigl(\\frac{\\partial F_i}{\\partial v_j}\\Bigr), \\quad "
    "\\frac{\\partial F_i}{\\partial v_j} = \\delta_{ij}\\,(U_i - \\bar U_{p(i)}) + v_i\\,"
    "\\frac{\\partial (U_i - \\bar U_{p(i)})}{\\partial v_j}",
    "J = (∂F_i/∂v_j), ∂F_i/∂v_j = δ_ij (U_i − Ū_p(i)) + v_i ∂(U_i − Ū_p(i))/∂v_j")


def _general_jacobian():
    """The general entry as sympy (for the Word equation)."""
    v_i, v_j, delta = sp.Symbol("v_i"), sp.Symbol("v_j"), sp.Symbol("delta_ij")
    gain = sp.Symbol("U_i") - sp.Symbol("Ū_p(i)")
    entry = sp.Derivative(sp.Function("F_i")(v_j), v_j)
    rhs = sp.Add(sp.Mul(delta, gain, evaluate=False),
                 sp.Mul(v_i, sp.Derivative(gain, v_j), evaluate=False), evaluate=False)
    return ((sp.Symbol("J_ij"), entry, rhs), "")


def _value_tex(val: str) -> str:
    """LaTeX of an eigenvalue's text: exact sympy syntax (``-sqrt(3)*I/3``) typeset, a decimal
    (``0.5+1.2i``) as it is."""
    if re.fullmatch(r"[-+0-9.e]+([-+][0-9.e]+i)?", val) or not val or val == "?":
        return val
    try:
        return tex(sp.sympify(val, locals={"I": sp.I}))
    except (sp.SympifyError, TypeError, SyntaxError):
        return val
