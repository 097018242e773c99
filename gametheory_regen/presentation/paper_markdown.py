"""The paper section as Markdown (``paper --format markdown``).

Math is written in TeX between ``$`` (``$$`` for displayed equations), which GitHub, Typora,
Jupyter and pandoc render; tables are pipe tables; figures are linked PNG files.
"""

from __future__ import annotations

__all__ = ["render_markdown"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(paper, figure_ext: str = "png") -> str:
    """The blocks of a :class:`~gametheory_regen.presentation.paper.Paper` as Markdown.

    Parameters
    ----------
    paper : Paper
    figure_ext : str
        Extension of the figure files linked.

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.presentation.paper import build_paper
    >>> md = render_markdown(build_paper(gr.analyze(gr.Game.builtin("hawk_dove"))))
    >>> md.splitlines()[0]
    '# Evolutionary game analysis: Role-asymmetric hawk-dove (owner and intruder)'
    """
    lines: list[str] = []
    tables = figures = 0
    for b in paper.blocks:
        if b.kind == "heading":
            lines += ["#" * b.level + " " + b.tex.replace("\\_", "_").replace("\\&", "&"), ""]
        elif b.kind == "para":
            lines += [b.tex.replace("{\\footnotesize ", "").rstrip("}") if b.tex.startswith(
                "{\\footnotesize ") else b.tex.replace("\\ref{tab:parameters}", "1").replace(
                "\\ref{tab:payoffs}", "2").replace("\\ref{tab:stability}", "3")
                .replace("\\_", "_"), ""]
        elif b.kind == "equations":
            for tex, _ in b.rows:
                lines += ["$$", tex, "$$", ""]
        elif b.kind == "table":
            tables += 1
            lines += [f"**{'表' if paper.lang == 'zh' else 'Table'} {tables}.** {b.tex}", ""]
            head, *rows = b.rows
            lines.append("| " + " | ".join(_cell(c[0]).replace("\\_", "_") for c in head) + " |")
            lines.append("|" + "---|" * len(head))
            for r in rows:
                lines.append("| " + " | ".join(_cell(c[0]).replace("\\_", "_") for c in r) + " |")
            lines.append("")
        elif b.kind == "figure":
            figures += 1
            word = "图" if paper.lang == "zh" else "Figure"
            lines += [f"![{b.plain}]({b.label}.{figure_ext})", "",
                      f"*{word} {figures}. {b.plain}*", ""]
    return "\n".join(lines).rstrip() + "\n"
