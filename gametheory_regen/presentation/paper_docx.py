"""The paper section as a Word document (``paper --format docx``), with python-docx.

Headings, paragraphs and tables are Word objects (tables in the "Table Grid" style, a header
row, one row per eigenvalue in the stability table), figures are embedded PNG images.  Equations
are Word equations (OMML ``m:oMath``, written by :mod:`.omml` from the sympy expressions of the
blocks): expected payoffs, replicator equations, the Jacobian, derived names and every
eigenvalue of the stability table, with fractions, powers, subscripts and parentheses as Word's
equation editor makes them; an equation without an expression stays plain text.  Word is the
format most Chinese journals take; the East Asian font of the document is set so that Chinese
text uses a CJK typeface.
"""

from __future__ import annotations

import io

__all__ = ["render_docx"]


def render_docx(paper, figures: dict[str, bytes] | None = None) -> bytes:
    """The blocks of a :class:`~gametheory_regen.presentation.paper.Paper` as ``.docx`` bytes.

    Parameters
    ----------
    paper : Paper
    figures : dict of str to bytes, optional
        Figure stem -> PNG bytes; a figure block without one is left out.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import io, docx
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.presentation.paper import build_paper
    >>> data = render_docx(build_paper(gr.analyze(gr.Game.builtin("hawk_dove"))))
    >>> document = docx.Document(io.BytesIO(data))
    >>> len(document.tables)
    3
    >>> from gametheory_regen.presentation.omml import M_NS, omml_text
    >>> equations = document.element.body.iter(f"{{{M_NS}}}oMath")
    >>> [omml_text(e) for e in equations][:2]
    ['U_11=V+y*(-(C)/(2)-(V)/(2))', 'U_12=-(V*y)/(2)+(V)/(2)']
    """
    import docx
    import sympy as sp
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt

    from .omml import M_NS, omml
    from .texnames import latex_names

    names = latex_names(paper.game)
    names.update({sp.Symbol(f"{s.name}*"): f"{{{tex_}}}^{{*}}" for s, tex_ in list(names.items())})

    def equation(paragraph, math, display: bool = False) -> None:
        expr, tail = math
        xml = omml(expr, names, tail=tail)
        if display:  # a display equation: centred, and Word breaks it at operators
            xml = f'<m:oMathPara xmlns:m="{M_NS}">{xml}</m:oMathPara>'
        paragraph._p.append(parse_xml(xml))

    figures = figures or {}
    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), "SimSun" if paper.lang == "zh" else "Times New Roman")
    tables = figs = 0
    for b in paper.blocks:
        if b.kind == "heading":
            doc.add_heading(b.plain if b.level > 1 else b.plain + (
                f": {paper.game.title}" if paper.game.title and paper.lang == "en" else ""),
                level=b.level - 1 if b.level > 1 else 0)
        elif b.kind == "para":
            par, rest = doc.add_paragraph(), b.plain
            for fragment, expr, tail in b.math:  # inline Word equations in the sentence
                at = rest.find(fragment)
                if at >= 0:
                    par.add_run(rest[:at])
                    equation(par, (expr, tail))
                    rest = rest[at + len(fragment):]
            par.add_run(rest)
        elif b.kind == "equations":
            for k, (_, plain) in enumerate(b.rows):
                par = doc.add_paragraph()
                if k < len(b.math) and b.math[k] is not None:
                    equation(par, b.math[k], display=True)
                else:
                    par.add_run(plain).font.name = "Cambria Math"
        elif b.kind == "table":
            tables += 1
            word = "表" if paper.lang == "zh" else "Table"
            doc.add_paragraph(f"{word} {tables}. {b.plain}")
            head, *rows = b.rows
            table = doc.add_table(rows=1 + len(rows), cols=len(head))
            table.style = "Table Grid"
            cell_math = {at: (expr, tail) for at, expr, tail in b.math}
            for i, row in enumerate([head, *rows]):
                for j, cell in enumerate(row):
                    if (i, j) in cell_math:
                        equation(table.cell(i, j).paragraphs[0], cell_math[i, j])
                    else:
                        table.cell(i, j).text = cell[1]
        elif b.kind == "figure" and b.label in figures:
            figs += 1
            doc.add_picture(io.BytesIO(figures[b.label]), width=Inches(6.0))
            word = "图" if paper.lang == "zh" else "Figure"
            doc.add_paragraph(f"{word} {figs}. {b.plain}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
