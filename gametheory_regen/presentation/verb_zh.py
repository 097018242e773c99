"""Chinese text of the ``threshold``, ``compare`` and ``calibrate`` verbs, sentence by sentence.

The verbs write English text from structured results; with ``--lang zh`` every sentence they
write is translated line by line (:func:`translate_line`), the Markdown of ``compare`` by its
own rules (:func:`translate_markdown`).  What a model or a source declares stays as declared:
names of models, populations, strategies, parameters and scenarios, the model's title, scenario
descriptions, payoff-term labels and quoted passages.  An English paraphrase in parentheses after
a Chinese passage (``…143万元的财政补贴 (1.43 million yuan per year …)``) is left out: the
Chinese reader has the original.  The terms are the field's: 演化稳定策略 (ESS), 严格纳什均衡,
鞍点, 特征值, 雅可比矩阵, 复制动态方程, 非双曲.

The mathematics is untouched: an interval ``[0, inf)`` becomes ``[0, ∞)``, an expression keeps
its names and operators.
"""

from __future__ import annotations

import re

__all__ = ["CALIBRATION_ZH", "translate_line", "translate_markdown"]

_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# an English paraphrase in parentheses after Chinese text (no Chinese inside the parentheses)
_PARAPHRASE = re.compile(rf"(?<=[{_CJK}…”」）%\d])\s*\((?=[^()]*[A-Za-z])[^(){_CJK}]*\)")

#: Exact strings of the ``calibrate jinsong`` output (steps, units, sources, checks,
#: assumptions) and their Chinese.
CALIBRATION_ZH: dict[str, str] = {
    # step names
    "IRR of the cash flows": "现金流的内部收益率",
    "NPV check": "净现值核对",
    "PV of operating income needed at q*": "q* 下所需运营收入现值",
    "PV of subsidy at q*": "q* 下补贴现值",
    "fee and service income F": "物业费与服务收入 F",
    "granted area A": "授权面积 A",
    "investment I": "投资 I",
    "negotiation cost borne C": "实际承担的协商成本 C",
    "net rent r": "净租金 r",
    "operator NPV at rho": "rho 下运营商净现值",
    "rent-bearing area A - d_t A_t": "计租面积 A - d_t A_t",
    "space income collected X": "空间收入 X",
    "space share obtained": "所得空间收入占比",
    "space share phi": "空间收入占比 phi",
    "subsidy s": "补贴 s",
    "subsidy years k": "补贴年数 k",
    "target IRR q*": "目标内部收益率 q*",
    "term T": "经营期 T",
    # units
    "million yuan": "百万元",
    "million yuan at time 0": "百万元（第 0 年）",
    "million yuan per year": "百万元/年",
    "per year": "/年",
    "share": "比例",
    "share of revenue": "占收益比例",
    "years": "年",
    "yuan per m² per year": "元/(m²·年)",
    # formulas and sources
    "paper": "原文",
    "npv(cash flows, rho)": "npv(现金流, rho)",
    "root of sum_t c_t (1+q)^-t": "sum_t c_t (1+q)^-t 的根",
    "= operator's payoff at (enable, operate, participate) in scenario jinsong":
        "= 情景 jinsong 中 (enable, operate, participate) 下运营商的收益",
    "IRR and share conditions together": "内部收益率条件与占比条件联立",
    "IRR condition: NPV(q*) = 0": "内部收益率条件：净现值(q*) = 0",
    "annuity factor, end-of-year flows": "年金系数，年末现金流",
    "free-trial annuity factor (fees not collected in the first m years)":
        "免费试用期年金系数（前 m 年不收费）",
    "model discount rate rho (assumption)": "模型贴现率 rho（假设）",
    "net of operating costs": "扣除运营成本后",
    "same, from the cash flows": "同上，由现金流计算",
    "share condition solved for X = kappa F + mu": "由占比条件解得 X = kappa F + mu",
    "share condition; sigma = 1 if the subsidy counts as revenue":
        "占比条件；补贴计入收益时 sigma = 1",
    "Jiang Ling and Li Lei (2022), section 5: the Jinsong North pilot, Beijing; parameters of "
    "the built-in model `regeneration`":
        "Jiang Ling、Li Lei（2022）第 5 节：北京劲松北社区试点；内置模型 `regeneration` 的参数",
    # checks
    "IRR equals the 8% target": "内部收益率等于 8% 的目标",
    "space share equals 46%": "空间收入占比等于 46%",
    "NPV at the target IRR is zero": "目标内部收益率下净现值为零",
    "closed-form NPV at rho equals cash-flow NPV": "rho 下闭式净现值等于现金流净现值",
    # assumptions: names, values, notes
    "timing": "计息时点",
    "level streams": "均匀现金流",
    "end of year": "年末",
    "constant per year": "每年相同",
    "net": "净额",
    "False": "否",
    "True": "是",
    "discount rate of the model's present values; the paper gives none; must lie below 8% for "
    "the 8% package to be strictly worth more than staying out":
        "模型现值的贴现率；原文未给出；须低于 8%，8% 回报的方案才严格优于不进入",
    "all flows at the end of each year; investment and negotiation at time 0 (fixed "
    "convention, shared with the model's annuity factors)":
        "所有现金流均在年末；投资与协商在第 0 年（固定约定，与模型的年金系数一致）",
    "space income and fee income are level over the term; the paper gives totals and a share "
    "only": "空间收入与物业费收入在经营期内每年相同；原文只给出总额与占比",
    "paper's 收益 read as net of operating costs unless 'gross'":
        "原文的“收益”按扣除运营成本后的净额理解（除非取 'gross'）",
    "operating cost / gross space revenue (gross basis)": "运营成本 / 空间总收入（按总额计）",
    "operating cost / gross fee and service revenue (gross basis)":
        "运营成本 / 物业费与服务总收入（按总额计）",
    "whether the subsidy is part of the total revenue of which space is 46%; it is a cash "
    "inflow in the IRR either way":
        "补贴是否计入空间占 46% 的总收益；无论如何它都是内部收益率中的现金流入",
    "free trial of property service (先尝后买): no fees collected":
        "物业服务免费试用（先尝后买）：不收费",
    "m² let to the barber and tailor at unchanged rent": "以原租金出租给理发、裁缝师傅的面积（m²）",
    "share of net rent forgone on that area": "该面积上让渡的净租金比例",
    "transaction cost without platform, participation or concessions, M yuan; the 8% return "
    "is read as net of the cost actually borne":
        "无平台、无参与、无让利时的交易成本（百万元）；8% 回报按扣除实际承担成本后的净额理解",
    "share of negotiation cost saved by the five-party platform": "五方联动平台节约的协商成本比例",
    "share saved when residents deliberate": "居民参与议事时节约的比例",
    "share saved through the trust that concessions buy": "让利换来的信任所节约的比例",
}

_SOURCE_PREFIX = (("assumption; paper: ", "假设；原文："), ("check against ", "核对："),
                  ("paper: ", "原文："))
_METHOD = (
    (r"exact polynomial roots", "精确多项式求根"),
    (r"sampling and Brent's method", "采样与 Brent 法求根"),
    (r" with sympy solve for the expressions", "，表达式由 sympy 的 solve 求得"),
    (r"; signs tested at the midpoint of each piece in (\d+)-digit arithmetic",
     r"；在各区间中点以 \1 位精度检验符号"),
)
_NOTES = (
    (r"^(\S+) is unbounded; the numeric root search covered (.*) only$",
     r"\1 无界；数值求根只覆盖 \2"),
    (r"^no eigenvalue of this vertex depends on (\S+)$", r"该顶点的特征值都不依赖于 \1"),
    (r"^sympy found no closed form for some eigenvalue's root \(beyond the symbolic work "
     r"budget: degree > 4, more than (\d+) operations, or the parameter in several "
     r"transcendental forms\); those critical values have no expression$",
     r"sympy 未求得某些特征值之根的闭式解（超出符号计算预算：次数 > 4、运算数超过 \1，"
     r"或参数以多种超越形式出现）；这些临界值没有表达式"),
    (r"^scenario (\S+): strict Nash vertices and stable vertices differ$",
     r"情景 \1：严格纳什均衡顶点与稳定顶点不一致"),
)
_CRITICAL_METHOD = {"symbolic": "符号解", "exact": "精确解", "numeric": "数值解"}
_KIND = {"interior": "内部", "boundary": "边界", "vertex": "顶点", "face": "面上"}


def _calibration(text: str) -> str:
    text = text.strip()
    if text in CALIBRATION_ZH:
        return CALIBRATION_ZH[text]
    for en, zh in _SOURCE_PREFIX:
        if text.startswith(en):
            return zh + _PARAPHRASE.sub("", text[len(en):])
    return _PARAPHRASE.sub("", text)


def _explanation(body: str) -> str:
    """``no X +1, Y +2 outweigh Z -3`` -> ``省去 X +1, Y +2，抵过 Z -3`` (labels as declared)."""
    def items(part: str) -> str:
        return ", ".join("省去 " + it[3:] if it.startswith("no ") else it
                         for it in part.split(", "))

    return "，抵过 ".join(items(p) for p in body.split(" outweigh "))


def _math(line: str) -> str:
    line = re.sub(r"\(-inf\b", "(-∞", line)
    line = re.sub(r"\binf\)", "∞)", line)
    return line.replace("(as given)", "（按给定）")


def translate_line(line: str) -> str:
    """One line of the text of ``threshold``, ``compare`` or ``calibrate`` in Chinese.

    Parameters
    ----------
    line : str

    Returns
    -------
    str

    Examples
    --------
    >>> translate_line("  critical C = 2  (eigenvalue intruder -> hawk is 0 there; symbolic)")
    '  临界值 C = 2（特征值 intruder -> hawk 在此为 0；符号解）'
    >>> translate_line("      operator: stay_out beats operate by +34: no operator investment "
    ...                "+30, no transaction cost of negotiation +4")
    '      operator：stay_out 比 operate 多得 +34：省去 operator investment +30, 省去 transaction \
cost of negotiation +4'
    >>> translate_line("      source:  本次改造Y集团投入了3000万元 (Y Group invested 30 M yuan)")
    '      来源：本次改造Y集团投入了3000万元'
    """
    from .i18n import VERB_PHRASES_ZH

    m = re.match(r"^(\s*\d+\. )(.+) = (\S+) (.*)$", line)  # a calibration step
    if m and not line.lstrip().startswith(("now", "critical")):
        return f"{m[1]}{_calibration(m[2])} = {m[3]} {_calibration(m[4])}".rstrip()
    m = re.match(r"^(\s+)(formula|source): +(.*)$", line)
    if m:
        word = "公式" if m[2] == "formula" else "来源"
        return f"{m[1]}{word}：{_calibration(m[3])}"
    m = re.match(r"^(\s+\[(?:ok|FAILED)\] )(.*): expected (.*), obtained (.*)$", line)
    if m:
        line = f"{m[1]}{_calibration(m[2])}: expected {m[3]}, obtained {m[4]}"
    m = re.match(r"^(  )(\S[^=]*?) = (.*?): (.*)$", line)  # an assumption
    if m and not re.match(r"^\s*(now|critical)", line):
        return f"{m[1]}{_calibration(m[2])} = {_calibration(m[3])}：{_calibration(m[4])}"
    m = re.match(r"^source: (.*)$", line)
    if m:
        return "来源：" + _calibration(m[1])
    line = re.sub(r"^(\s*)critical (\S+) = (\S+)\s+\(eigenvalue (.*) has a pole \(changes sign "
                  r"through infinity\) there; (.*)\)$",
                  r"\1临界值 \2 = \3（特征值 \4 在此有极点，经无穷处变号；\5）", line)
    for pattern, repl in VERB_PHRASES_ZH:
        line = re.sub(pattern, repl, line)
    line = re.sub(r"；(symbolic|exact|numeric)）$", lambda k: f"；{_CRITICAL_METHOD[k[1]]}）",
                  line)
    m = re.match(r"^(\s+\S+：\S+ 比 \S+ 多得 [^：]+：)(.*)$", line)
    if m and " 的收益 " not in m[2]:
        line = m[1] + _explanation(m[2])
    m = re.match(r"^(\s+)亦稳定：(\S+) 点 (.*)$", line)
    if m:
        line = f"{m[1]}亦稳定：{_KIND.get(m[2], m[2])}点 {m[3]}"
    if line.startswith("方法："):
        for pattern, repl in _METHOD:
            line = re.sub(pattern, repl, line)
    if line.startswith("注："):
        for pattern, repl in _NOTES:
            line = "注：" + re.sub(pattern, repl, line[2:])
    if "来源：" in line:
        line = _PARAPHRASE.sub("", line)
    return _math(line)


_MD_HEAD = {"scenario": "情景", "stable outcomes (ESS)": "稳定结果（演化稳定策略）",
            "cooperation stable": "合作是否稳定", "yes": "是", "no": "否", "none": "无"}


def _sentence(text: str) -> str:
    return translate_line("      " + text).strip()


#: Lines of the Markdown of ``compare`` other than its table: (pattern, Chinese from the match).
_MD_LINES = (
    (r"^# Policies compared: (.*)$", lambda m: f"# 政策比较：{m[1]}"),
    (r"^Cooperation is the outcome (.*?)\. ?(.*)$", lambda m: f"合作结果为 {m[1]}。" + (
        "最后几列给出其沿各参数的稳定区间（其余参数取该情景的值）。" if m[2] else "")),
    (r"^Source: (.*)$", lambda m: "来源：" + _PARAPHRASE.sub("", m[1])),
    (r"^Note: (.*)$", lambda m: translate_line("note: " + m[1])),
    (r"^\* \*\*(.*)\*\* is stable \(ESS\):$", lambda m: f"* **{m[1]}** 稳定（演化稳定策略）："),
    (r"^\* (.*) is not stable:$", lambda m: f"* {m[1]} 不稳定："),
    (r"^  \* (.*)$", lambda m: "  * " + _sentence(m[1])),
    (r"^\* (\(.*?\)): (.*)$", lambda m: f"* {m[1]}：{_sentence(m[2])}"),
    (r"^## `(.*)`$", lambda m: f"## `{_math(m[1])}`"),
)


def translate_markdown(text: str) -> str:
    """The Markdown of ``compare`` in Chinese (headings, table, lists; names as declared).

    Parameters
    ----------
    text : str
        ``compare --format markdown`` output.

    Returns
    -------
    str

    Examples
    --------
    >>> print(translate_markdown("# Policies compared: hawk_dove\\n\\n"
    ...                          "| scenario | stable outcomes (ESS) | cooperation stable | "
    ...                          "stable when (C) |\\n|---|---|---|---|\\n"
    ...                          "| `(as given)` | (hawk, dove) | yes | C: never |\\n"), end="")
    # 政策比较：hawk_dove
    <BLANKLINE>
    | 情景 | 稳定结果（演化稳定策略） | 合作是否稳定 | 稳定区间（C） |
    |---|---|---|---|
    | `（按给定）` | (hawk, dove) | 是 | C：不可能稳定 |
    """
    out = []
    for line in text.split("\n"):
        if line.startswith("|") and not line.startswith("|---"):
            cells = line.strip("|").split(" | ")
            new = []
            for c in (x.strip() for x in cells):
                c = _MD_HEAD.get(c, c)
                c = re.sub(r"^stable when \((\S+)\)$", r"稳定区间（\1）", c)
                c = re.sub(r"^(\S+): never$", r"\1：不可能稳定", c)
                c = re.sub(r"^(\S+): always$", r"\1：总是稳定", c)
                new.append(_math(c.replace(" or ", " 或 ")))
            out.append("| " + " | ".join(new) + " |")
            continue
        for pattern, make in _MD_LINES:
            m = re.match(pattern, line)
            if m:
                out.append(make(m))
                break
        else:
            out.append(line)
    return "\n".join(out)
