"""Words of the reports and figures in English and Chinese, and column alignment by display width.

One table, :data:`TERMS`, holds every fixed phrase the presentation layer prints, in English
(``en``) and in the Chinese of the field's journals (``zh``): 演化稳定策略 (evolutionarily
stable strategy), 鞍点 (saddle), 不稳定点 (unstable point), 稳定点 (stable point), 非双曲
(non-hyperbolic), 雅可比矩阵 (Jacobian matrix), 复制动态方程 (replicator dynamic equation).
The stability words of the JSON report never change with the language: only human text does.

Alignment: a CJK character occupies two columns of a terminal (Unicode East Asian Width ``W``
or ``F``), so text tables are padded by :func:`display_width`, not by ``len``.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import GameInputError

__all__ = ["LANGS", "TERMS", "VERB_PHRASES_ZH", "align_columns", "check_lang", "display_width",
           "ljust", "stability_word", "tr", "translate_verb_text"]

LANGS = ("en", "zh")

TERMS: dict[str, tuple[str, str]] = {
    # stability words (human text; JSON keeps the English words of the contract)
    "stable": ("stable", "稳定点"),
    "unstable": ("unstable", "不稳定点"),
    "saddle": ("saddle", "鞍点"),
    "non-hyperbolic": ("non-hyperbolic", "非双曲"),
    "nh-unstable": ("non-hyperbolic (certainly unstable: a positive eigenvalue)",
                    "非双曲（存在正特征值，必不稳定）"),
    "nh-undecided": ("non-hyperbolic (linearisation cannot decide)",
                     "非双曲（线性化无法判定）"),
    "depends": ("depends on parameters", "取决于参数"),
    "ess": ("evolutionarily stable strategy", "演化稳定策略"),
    "ess_short": ("ESS", "ESS"),
    # report headings
    "model": ("Model", "模型"),
    "scenario": ("Scenario", "情景"),
    "parameters": ("Parameters", "参数"),
    "populations": ("Populations", "群体"),
    "free": ("free", "自由"),
    "replicator": ("Replicator equations", "复制动态方程"),
    "rest_points": ("Rest points", "均衡点"),
    "jacobian": ("Jacobian matrix", "雅可比矩阵"),
    "conditions_title": ("Stability conditions of the vertices (all must hold; parameters as "
                         "declared)", "纯策略均衡点的稳定条件（须同时成立）"),
    "eig_by_dev": ("Eigenvalues by deviation (λi is the payoff gain of the party that "
                   "switches alone; numbered party by party)",
                   "特征值与偏离策略（λi 为该方单独改变策略的收益增量，按参与方编号）"),
    "derived_title": ("Derived quantities used above", "上文所用的派生量"),
    "continua": ("Continua of rest points (not isolated)", "非孤立均衡点集"),
    "offvertex": ("Rest points off the vertices (with free parameters)", "非顶点均衡点（含自由参数）"),
    "ess_line": ("Evolutionarily stable (strict Nash = asymptotically stable vertex, Selten 1980)",
                 "演化稳定策略（严格纳什均衡 = 渐近稳定顶点，Selten 1980）"),
    "check": ("Check strict Nash <=> stable vertex", "检验：严格纳什均衡 <=> 稳定顶点"),
    "consistent": ("consistent", "一致"),
    "inconsistent": ("INCONSISTENT", "不一致"),
    "none": ("none", "无"),
    "note": ("Note", "注"),
    "never": ("never stable", "不可能稳定"),
    "not_differentiable": ("not differentiable here", "此处不可微"),
    "stable_focus": ("stable focus", "稳定焦点"),
    "unstable_focus": ("unstable focus", "不稳定焦点"),
    "never_short": ("never", "不可能"),
    "always": ("stable for every parameter value", "对任意参数值均稳定"),
    "always_short": ("always", "恒成立"),
    "exists_when": ("exists when", "存在条件"),
    "every_point": ("every point of the face", "该面上每一点"),
    "dimension": ("dimension", "维数"),
    "on_face": ("on face", "所在面"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "and": (" and ", " 且 "),
    # table columns
    "col_point": ("#", "#"),
    "col_kind": ("kind", "类型"),
    "col_state": ("point", "均衡点"),
    "col_eig": ("eigenvalues (λ1, λ2, ...)", "特征值 (λ1, λ2, ...)"),
    "col_signs": ("signs", "符号"),
    "col_verdict": ("verdict", "稳定性"),
    "col_nash": ("Nash", "纳什"),
    "col_strict": ("strict/ESS", "严格/ESS"),
    "col_dev": ("deviation", "偏离"),
    "col_cond": ("condition for stability", "稳定条件"),
    "vertex": ("vertex", "顶点"),
    "boundary": ("boundary", "边界"),
    "interior": ("interior", "内部"),
    # the paper (``paper`` verb)
    "p_title": ("Evolutionary game analysis", "演化博弈分析"),
    "p_params": ("Parameters", "参数设置"),
    "p_params_intro": ("Table {t} lists the model's parameters and the values used.",
                       "模型参数及其取值见表 {t}。"),
    "p_symbol": ("Symbol", "符号"),
    "p_meaning": ("Meaning", "含义"),
    "p_unit": ("Unit", "单位"),
    "p_value": ("Value", "取值"),
    "p_payoff": ("Payoff matrix", "支付矩阵"),
    "p_payoff_intro": ("Table {t} gives the payoffs of {pops} at every pure-strategy profile.",
                       "表 {t} 给出各纯策略组合下{pops}的收益。"),
    "p_profile": ("Strategy profile", "策略组合"),
    "p_expected": ("Expected payoffs and replicator dynamic equations", "期望收益与复制动态方程"),
    "p_expected_intro": ("Let {shares}. The expected payoff of each strategy is",
                         "设{shares}。各策略的期望收益为"),
    "p_share_def": ("{sym} be the share of {pop} choosing {strat}",
                    "{sym} 为{pop}选择“{strat}”的比例"),
    "p_replicator_intro": ("and the replicator dynamic equations are",
                           "由此得到复制动态方程"),
    "p_single": ("Stability analysis of each party's strategy", "各主体策略的稳定性分析"),
    "p_single_intro": ("For {pop}, $F({x}) = {x}(1-{x})\\,g$ with $g = {g}$. "
                       "By the stability theorem of differential equations, ${x} = 1$ is stable "
                       "where $g > 0$ and ${x} = 0$ where $g < 0$; on $g = 0$ every ${x}$ is at rest.",
                       "对{pop}，$F({x}) = {x}(1-{x})\\,g$，其中 $g = {g}$。由微分方程稳定性定理，"
                       "当 $g > 0$ 时 ${x} = 1$ 为演化稳定策略，当 $g < 0$ 时 ${x} = 0$ 为演化稳定策略；"
                       "当 $g = 0$ 时任意 ${x}$ 均处于稳定状态。"),
    "p_threshold": ("The threshold surface is ${t}^* = {expr}$ (here ${t}^* = {value}$).",
                    "阈值面为 ${t}^* = {expr}$（当前参数下 ${t}^* = {value}$）。"),
    "p_threshold_sym": ("The threshold surface is ${t}^* = {expr}$.", "阈值面为 ${t}^* = {expr}$。"),
    "p_side_up": ("When ${t} > {t}^*$, ${x} = 1$ is stable; when ${t} < {t}^*$, ${x} = 0$ is stable.",
                  "当 ${t} > {t}^*$ 时 ${x} = 1$ 稳定；当 ${t} < {t}^*$ 时 ${x} = 0$ 稳定。"),
    "p_side_down": ("When ${t} < {t}^*$, ${x} = 1$ is stable; when ${t} > {t}^*$, ${x} = 0$ is stable.",
                    "当 ${t} < {t}^*$ 时 ${x} = 1$ 稳定；当 ${t} > {t}^*$ 时 ${x} = 0$ 稳定。"),
    "p_no_threshold": ("$g$ is not affine in any other party's share: its sign regions are read "
                       "from the figure.", "$g$ 不是其他主体比例的线性函数，其符号区域见图。"),
    "p_jacobian_intro": ("The Jacobian matrix of the system is", "系统的雅可比矩阵为"),
    "p_jacobian_where": ("where $g_i$ is the advantage function of party $i$ above and "
                         "subscripts denote partial derivatives.",
                         "其中 $g_i$ 为上文第 $i$ 方的收益差函数，下标表示偏导数。"),
    "p_single_k": ("{pop} has {k} strategies ({strats}). The single-party analysis of one "
                   "share (the sign of one advantage function, a threshold surface) exists for "
                   "two strategies only; for {pop} this section prints instead its replicator "
                   "equations $\\dot x_i = x_i\\,(U_i - \\bar U)$, by which the share of "
                   "strategy $i$ grows exactly where $U_i$ exceeds the average payoff "
                   "$\\bar U$, and the stability of its pure strategies in the table of "
                   "equilibrium points: at a vertex playing $i$, the eigenvalue of the deviation "
                   "to $j$ is $U_j - U_i$.",
                   "{pop}有 {k} 个策略（{strats}）。单一主体的稳定性分析（一个比例、一个收益差函数的"
                   "符号与阈值面）只适用于两策略主体；对{pop}，本节给出其复制动态方程 "
                   "$\\dot x_i = x_i\\,(U_i - \\bar U)$（策略 $i$ 的比例恰在 $U_i$ 高于平均收益 "
                   "$\\bar U$ 时增长），其纯策略的稳定性见均衡点稳定性表：在选择 $i$ 的顶点，"
                   "偏离至 $j$ 的特征值为 $U_j - U_i$。"),
    "p_no_surface": ("The 3-D threshold figure is drawn for three two-strategy parties (the unit "
                     "cube of their shares); for this game (strategies per party: {shape}) the "
                     "threshold is the equation above.",
                     "三维阈值面图只对三个两策略主体（其比例构成单位立方体）绘制；本博弈各主体的策略数"
                     "为 {shape}，阈值由上式给出。"),
    "p_jacobian_general": ("In the reduced coordinates $v$ (the first $k_p - 1$ shares of every "
                           "population $p$; its last share is one minus the others) the system "
                           "$\\dot v_i = F_i(v) = v_i\\,(U_i - \\bar U_{{p(i)}})$ has the "
                           "${d} \\times {d}$ Jacobian matrix",
                           "在约化坐标 $v$ 下（每个群体 $p$ 的前 $k_p - 1$ 个比例，最后一个比例等于 1 "
                           "减去其余比例），系统 $\\dot v_i = F_i(v) = v_i\\,(U_i - \\bar U_{{p(i)}})$ "
                           "的 ${d} \\times {d}$ 雅可比矩阵为"),
    "p_jacobian_general_where": ("where $\\delta_{{ij}}$ is 1 when $i = j$ and 0 otherwise; at a "
                                 "vertex its eigenvalues are the payoff gains of the unilateral "
                                 "deviations listed in the table below.",
                                 "其中 $i = j$ 时 $\\delta_{{ij}} = 1$，否则为 0；在顶点处其特征值即下表"
                                 "所列各方单独偏离的收益增量。"),
    "p_equilibria": ("Stability of the equilibrium points", "均衡点稳定性分析"),
    "p_equilibria_intro": ("By Lyapunov's first method, a rest point is asymptotically stable when "
                           "every eigenvalue of the Jacobian has a negative real part. At a "
                           "pure-strategy point the eigenvalues are the payoff gains of the "
                           "unilateral deviations (Table {t}); by Selten (1980) only strict Nash "
                           "equilibria, that is the stable pure points, are evolutionarily stable.",
                           "根据李雅普诺夫第一法，雅可比矩阵的全部特征值实部均为负时，均衡点渐近稳定。"
                           "纯策略均衡点的特征值即各方单独偏离的收益增量（表 {t}）；由 Selten (1980)，"
                           "只有严格纳什均衡（即稳定的纯策略点）才是演化稳定策略。"),
    "p_table_note": ("$\\lambda_i$ is the payoff gain of the party that deviates alone to the "
                     "strategy shown; values with a decimal point are approximations to 6 "
                     "significant digits of the exact values (in the JSON report).",
                     "$\\lambda_i$ 为该方单独偏离至所示策略的收益增量；带小数点的数值为精确值保留 6 位"
                     "有效数字的近似（精确值见 JSON 报告）。"),
    "p_ess_found": ("Evolutionarily stable strategies at these parameter values: {list}.",
                    "当前参数下的演化稳定策略：{list}。"),
    "p_figures": ("Simulation", "数值仿真"),
    "p_fig_paths": ("Evolution paths from several initial states", "不同初始状态下的演化路径"),
    "p_fig_surface": ("Threshold surface of {pop}", "{pop}策略的阈值面"),
    "p_fig_sens": ("Effect of each parameter on the evolution paths", "各参数对演化路径的影响"),
    "p_fig_bif": ("Stable outcomes along {p}; dashed: the exact thresholds",
                  "稳定结果随 {p} 的变化（虚线为精确阈值）"),
    "p_derived": ("Derived quantities", "派生量"),
    "p_regenerate": ("Regenerate with", "重新生成命令"),
    # figures
    "time": ("time", "时间"),
    "share_of": ("share choosing", "选择比例"),
    "probability": ("probability", "概率"),
    "basin_share": ("share of starts", "初始点比例"),
    "unsettled": ("not settled", "未收敛"),
    "stable_points": ("stable rest points", "稳定均衡点"),
    "threshold": ("threshold", "阈值"),
}


def check_lang(lang: str) -> str:
    """The language code, checked.

    Parameters
    ----------
    lang : str
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str

    Raises
    ------
    GameInputError
        For another code.

    Examples
    --------
    >>> check_lang("zh")
    'zh'
    """
    if lang not in LANGS:
        raise GameInputError(f"--lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def tr(key: str, lang: str = "en") -> str:
    """The phrase ``key`` of :data:`TERMS` in ``lang``.

    Parameters
    ----------
    key : str
    lang : str
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str

    Examples
    --------
    >>> tr("saddle", "zh"), tr("jacobian", "zh"), tr("replicator", "zh")
    ('鞍点', '雅可比矩阵', '复制动态方程')
    >>> tr("saddle")
    'saddle'
    """
    return TERMS[key][LANGS.index(check_lang(lang))]


def stability_word(word: str | None, certainly_unstable: bool = False, lang: str = "en",
                   short: bool = False) -> str:
    """Human words for a stability word of the contract.

    Parameters
    ----------
    word : str or None
        ``stable``, ``unstable``, ``saddle``, ``non-hyperbolic``; None: depends on parameters.
    certainly_unstable : bool
        For ``non-hyperbolic``: another eigenvalue is positive.
    lang : str
    short : bool
        Only the word (tables), without the explanation of a non-hyperbolic point.

    Returns
    -------
    str

    Examples
    --------
    >>> stability_word("non-hyperbolic", True, "zh")
    '非双曲（存在正特征值，必不稳定）'
    >>> stability_word("stable", lang="zh"), stability_word(None)
    ('稳定点', 'depends on parameters')
    """
    if word is None:
        return tr("depends", lang)
    if word == "non-hyperbolic" and not short:
        return tr("nh-unstable" if certainly_unstable else "nh-undecided", lang)
    return tr(str(word), lang)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: 2 for wide (CJK) characters, 0 for combining ones.

    Parameters
    ----------
    text : str

    Returns
    -------
    int

    Examples
    --------
    >>> display_width("stable"), display_width("稳定点"), display_width("λ1")
    (6, 6, 2)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def ljust(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` display columns (:func:`display_width`).

    Parameters
    ----------
    text : str
    width : int

    Returns
    -------
    str

    Examples
    --------
    >>> ljust("鞍点", 6) + "|", ljust("saddle", 6) + "|"
    ('鞍点  |', 'saddle|')
    """
    return text + " " * max(0, width - display_width(text))


#: The fixed phrases of the ``threshold``, ``compare`` and ``calibrate`` text outputs in Chinese:
#: (regular expression on one line, replacement), applied in order.  Names of models,
#: populations, strategies and parameters are kept as the model writes them.
VERB_PHRASES_ZH: tuple = (
    # threshold
    (r"^threshold of (\S+) for ", r"参数 \1 的阈值分析，结果 "),
    (r"^model (\S+), scenario (\S+); (\S+) declared in ", r"模型 \1，情景 \2；\3 的声明范围 "),
    (r"^model (\S+); (\S+) declared in ", r"模型 \1；\2 的声明范围 "),
    (r"^now (.*): stable$", r"当前 \1：稳定"),
    (r"^now (.*): not stable$", r"当前 \1：不稳定"),
    (r"^(\s*)critical (\S+) = (\S+)\s+\(eigenvalue (.*) is 0 there; (.*)\)$",
     r"\1临界值 \2 = \3（特征值 \4 在此为 0；\5）"),
    (r"^eigenvalues \(gain of each deviation; stable when all < 0\):$",
     "特征值（各偏离的收益增量；全部 < 0 时稳定）："),
    (r"   = (\S+) now$", r"   = \1（当前）"),
    (r"never stable for (\S+) in ([\[(][^\])]*[\])]): the deviations? (.*) never loses?",
     r"当 \1 ∈ \2 时不可能稳定：偏离 \3 的收益增量恒非负"),
    (r"never stable for (\S+) in ([\[(][^\])]*[\])])", r"当 \1 ∈ \2 时不可能稳定"),
    (r"stable for every (\S+) in ([\[(][^\])]*[\])])", r"对 \2 内任意 \1 均稳定"),
    (r"stable when (.*)", lambda m: "稳定条件：" + m.group(1).replace(" or ", " 或 ")),
    (r" \(searched (\S+) in ", r"（搜索 \1 ∈ "),
    (r"^method: ", "方法："),
    (r"^note: ", "注："),
    # compare
    (r"^compare: ", "政策比较："),
    (r"^cooperative outcome (.*); thresholds on ", r"合作结果 \1；阈值参数 "),
    (r"^cooperative outcome ", "合作结果 "),
    (r"^scenario(\s+)cooperation(\s+)stable outcomes \(ESS\)$", r"情景\1合作\2稳定结果（演化稳定策略）"),
    (r"^== ", "== 情景 "),
    (r"^(\s+)source: ", r"\1来源："),
    (r"^(\s+)stable outcomes \(strict Nash = asymptotically stable = ESS\):$",
     r"\1稳定结果（严格纳什均衡 = 渐近稳定 = 演化稳定策略）："),
    (r"^(\s+)no stable vertex$", r"\1无稳定顶点"),
    (r"^(\s+)cooperation (.*) is not stable:$", r"\1合作结果 \2 不稳定："),
    (r"^(\s+)cooperation (.*) along each parameter \(others at their values\):$",
     r"\1合作结果 \2 随各参数的稳定区间（其余参数取当前值）："),
    (r"^(\s+)also stable: (\S+) point ", r"\1亦稳定：\2 点 "),
    (r"^(\s+)(\S+): (\S+) beats (\S+) by ([^:]+): payoff (.*) at (\S+) against (.*) at (\S+)$",
     r"\1\2：\3 比 \4 多得 \5：\7 的收益 \6，\9 的收益 \8"),
    (r"^(\s+)(\S+): (\S+) beats (\S+) by ([^:]+): (.*)$", r"\1\2：\3 比 \4 多得 \5：\6"),
    # calibrate
    (r"^calibration: ", "参数校准："),
    (r"^source: ", "来源："),
    (r"^steps:$", "步骤："),
    (r"^(\s+)formula: ", r"\1公式："),
    (r"^parameters \(as in (.*)\):$", r"参数（同 \1）："),
    (r"^checks:$", "检验："),
    (r"^(\s+)\[ok\] (.*): expected (.*), obtained (.*)$", r"\1[通过] \2：期望 \3，得到 \4"),
    (r"^(\s+)\[FAILED\] (.*): expected (.*), obtained (.*)$", r"\1[失败] \2：期望 \3，得到 \4"),
    (r"^assumptions \(the paper leaves these open\):$", "假设（原文未给出）："),
    (r"^operator's cash flows c_0\.\.c_T \(million yuan, end of year\): ",
     "运营商现金流 c_0..c_T（百万元，年末）："),
    (r"^all checks passed$", "全部检验通过"),
    (r"^SOME CHECKS FAILED$", "部分检验未通过"),
)

_TABLE_WORDS_ZH = {"not stable": "不稳定", "stable": "稳定", "none": "无"}


def align_columns(rows: list[list[str]], indent: str = "") -> list[str]:
    """Rows of cells as lines, each column padded to its widest cell by display width.

    Parameters
    ----------
    rows : list of list of str
    indent : str

    Returns
    -------
    list of str

    Examples
    --------
    >>> for line in align_columns([["情景", "合作"], ["jinsong", "稳定"]]):
    ...     print(line + "|")
    情景     合作|
    jinsong  稳定|
    """
    widths = [max(display_width(r[c]) for r in rows if c < len(r))
              for c in range(max(len(r) for r in rows))]
    return [indent + "  ".join(ljust(cell, widths[c]) for c, cell in enumerate(r)).rstrip()
            for r in rows]


def translate_verb_text(text: str, lang: str = "en") -> str:
    """The text output of ``threshold``, ``compare`` or ``calibrate`` in ``lang``.

    Every sentence is translated (:func:`~gametheory_regen.presentation.verb_zh.translate_line`,
    which applies :data:`VERB_PHRASES_ZH` and the rules of :mod:`.verb_zh`); the summary table
    of ``compare`` is re-aligned by display width; the Markdown of ``compare`` is translated by
    :func:`~gametheory_regen.presentation.verb_zh.translate_markdown`.  What the model declares
    (names, title, scenario descriptions, payoff-term labels, quoted passages) stays as
    declared.

    Parameters
    ----------
    text : str
    lang : str

    Returns
    -------
    str

    Examples
    --------
    >>> print(translate_verb_text("now C = 4: stable\\nstable when C > 2\\n", "zh"), end="")
    当前 C = 4：稳定
    稳定条件：C > 2
    """
    if check_lang(lang) == "en":
        return text
    from .verb_zh import translate_line, translate_markdown

    if text.startswith("# Policies compared"):  # compare --format markdown
        return translate_markdown(text)
    lines = text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if re.match(r"^scenario\s+cooperation\s+stable outcomes", line):  # compare summary
            rows = []
            while i < len(lines) and lines[i].strip():
                cells = re.split(r"\s{2,}", lines[i].strip())
                rows.append([_TABLE_WORDS_ZH.get(c, c) for c in cells])
                i += 1
            rows[0] = ["情景", "合作", "稳定结果（演化稳定策略）"]
            out += align_columns(rows)
            continue
        out.append(translate_line(line))
        i += 1
    return "\n".join(out)
