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

import unicodedata

from ..errors import GameInputError

__all__ = ["LANGS", "TERMS", "check_lang", "display_width", "ljust", "stability_word", "tr"]

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
