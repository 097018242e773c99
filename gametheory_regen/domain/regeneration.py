"""The community-regeneration game, written in Python with the ledger builder.

This module tells the same game as the model file ``gametheory_regen/models/regeneration.toml``
(documented in ``docs/regeneration_model.md``), term by term, in the same order: first who plays,
then the figures of the paper and the assumptions it leaves open, then the ledger (the operator's
terms, the residents', the government's), then the policies compared.  Every ledger term carries,
as its ``note``, the passage of the paper it encodes (section, the paper's words, an English
paraphrase), the same text as the ``note`` of the model file's term.
``tests/test_regeneration_builder.py`` checks that :func:`build_regeneration` and the model file
give the same game (populations, parameters, derived names, terms, scenarios, payoff tensors and
JSON reports), so either may be edited only together with the other.

Source
------
Jiang Ling and Li Lei, "Spatial Interest Mechanisms for Collaborative Governance in Community
Regeneration" (社区更新中合作治理的空间利益机制), DOI 10.16775/j.cnki.10-1285/d.2022.09.005.
Calibration of the default values: :func:`gametheory_regen.domain.calibration.calibrate_jinsong`.

Conventions
-----------
* Money in million yuan (M yuan).  The rent ``r`` is in yuan per m² per year, hence
  ``/ 1_000_000``.
* Every payoff is a present value at time 0 (the start of the contract) at the discount rate
  ``rho``.  Flows of a year are paid at its end; a level flow of 1 per year for n years is worth
  ``(1 - (1 + rho)**(-n)) / rho``: the annuity factors ``aT, ak, am, aL``.
* "Stay out" pays the operator 0: every operator term is relative to not entering.
* Switch parameters (0 or 1) turn policy instruments on and off per scenario.
* Default values are the Jinsong calibration (``calibrate_jinsong()`` with its default
  assumptions); parameters the paper says nothing about are marked "assumption" in their
  description.
"""

from __future__ import annotations

import sympy as sp

from ..model.builder import GameBuilder
from ..model.game import Game

__all__ = ["build_regeneration"]

TITLE = "Community regeneration: government, operator and residents (Jinsong calibration)"

DESCRIPTION = """\
Government enables (grants operating rights over idle community space, pays a transitional
subsidy, runs the deliberation platform) or withholds; the operator operates (invests, runs
property services and the granted spaces for T years, offers concessions) or stays out; residents
participate (deliberate, pay fees, co-fund, volunteer) or stay passive. Ledger form: every payoff
term is a labelled flow between the parties or to/from outside, with the paper passage it encodes.
"""


def build_regeneration() -> Game:
    """The tripartite community-regeneration game (government, operator, residents).

    Builds, with :class:`~gametheory_regen.model.builder.GameBuilder`, the same game as the
    built-in model file ``regeneration.toml``: three populations with two strategies each, the
    parameters at their Jinsong-calibrated defaults, the annuity factors as derived names, 30
    labelled ledger terms and the 11 policy scenarios.

    Returns
    -------
    Game
        The symbolic game, equal to ``Game.builtin("regeneration")`` in every attribute except
        ``path`` (the game was not read from a file).

    See Also
    --------
    gametheory_regen.model.library.load_builtin : the same game read from the model file.
    gametheory_regen.domain.policies.compare_policies : compare the scenarios.

    Examples
    --------
    >>> game = build_regeneration()
    >>> [(p.name, p.strategies) for p in game.populations]  # doctest: +NORMALIZE_WHITESPACE
    [('government', ('enable', 'withhold')), ('operator', ('operate', 'stay_out')),
     ('residents', ('participate', 'stay_passive'))]
    >>> len(game.terms), list(game.scenarios)[:3]
    (30, ['baseline', 'subsidy_only', 'rights_only'])

    Every cell of the payoff table says which labelled terms it is made of.  At the status quo
    nobody renovates: the compound decays, and in the ``baseline`` scenario (no fiscal
    renovation either) government and residents each lose ``D_g = D_r = 10`` M yuan:

    >>> status_quo = ("withhold", "stay_out", "stay_passive")
    >>> [term.label for term, _ in game.cell_terms(status_quo)]  # doctest: +NORMALIZE_WHITESPACE
    ['decay when no operator maintains the compound, residents',
     "residents' gain from a fiscal renovation while it lasts",
     'fiscal burden when the market stays out',
     "government's gain from a fiscal renovation while it lasts",
     'decay when no operator maintains the compound, government']
    >>> baseline = game.with_scenario("baseline")
    >>> [baseline.substitute_values(v) for v in baseline.payoff_at(status_quo)]
    [-10, 0, -10]
    """
    b = GameBuilder("regeneration", title=TITLE, description=DESCRIPTION)
    _players(b)
    _parameters(b)
    _present_values(b)
    _operator_terms(b)
    _residents_terms(b)
    _government_terms(b)
    _scenarios(b)
    return b.build()


def _symbols(b: GameBuilder, names: str) -> tuple[sp.Symbol, ...]:
    """The sympy symbols of declared parameters and derived names, e.g. ``"I A r aT"``."""
    declared = b.names()
    return tuple(declared[n] for n in names.split())


# ==============================================================================================
# Who plays
# ==============================================================================================
def _players(b: GameBuilder) -> None:
    # Government (district, street office): grants operating rights over idle community space,
    # pays a transitional subsidy and runs the deliberation platform -- or withholds.
    b.population("government", ["enable", "withhold"], symbol="x")
    # Operator (the market, Y Group): invests, runs property services and the granted spaces for
    # T years, offers concessions -- or stays out.
    b.population("operator", ["operate", "stay_out"], symbol="y")
    # Residents: deliberate, pay fees (user pays), co-fund, volunteer -- or stay passive.
    b.population("residents", ["participate", "stay_passive"], symbol="z")


# ==============================================================================================
# Parameters (defaults: the Jinsong calibration)
# ==============================================================================================
def _parameters(b: GameBuilder) -> None:
    P = b.parameter
    # -- the paper's figures (Jinsong) and the model's discount rate ---------------------------
    P("T", 20.0, unit="years", min=1, max=70,
      description="operating-right term = contract term (paper: 20年的战略合约, 20年经营权)")
    P("s", 1.43, unit="million yuan per year", min=0,
      description="transitional subsidy per year (paper: 前三年每年…143万元)")
    P("k", 3.0, unit="years", min=0, max=70,
      description="number of subsidy years (paper: 3年物业扶持期)")
    P("A", 1698.0, unit="m²", min=0,
      description="granted idle / low-efficiency area (paper: 1698平方米)")
    P("I", 30.0, unit="million yuan", min=0,
      description="operator's investment in the renovation (paper: 3000万元)")
    P("rho", 0.05, unit="per year", min=0.001, max=1,
      description="discount rate of all present values (assumption: cost of capital below the "
                  "8% target)")
    # -- calibrated from the figures (calibrate_jinsong) ---------------------------------------
    P("r", 784.1778484277636, unit="yuan per m² per year", min=0,
      description="net rent of granted space (calibrated: IRR 8% and space share 46%)")
    P("F", 1.6163035964207215, unit="million yuan per year", min=0,
      description="property-fee and service income paid by participating residents (calibrated)")
    P("trial", 1.0, unit="years", min=0,
      description="free-trial period of property service, no fees (assumption; paper: 先尝后买)")
    P("A_t", 60.0, unit="m²", min=0,
      description="area let to local tradespeople (barber, tailor) at unchanged rent (assumption)")
    P("d_t", 0.5, unit="1", min=0, max=1,
      description="share of net rent forgone on the tradespeople's area (assumption)")
    P("Ct", 4.0, unit="million yuan", min=0,
      description="transaction cost of negotiation without platform, participation or "
                  "concessions (assumption)")
    P("eta_g", 0.5, unit="1", min=0, max=1,
      description="share of transaction cost cut by the government's deliberation platform "
                  "(assumption)")
    P("eta_r", 0.4, unit="1", min=0, max=1,
      description="share of transaction cost cut by residents' participation (assumption)")
    P("eta_c", 0.25, unit="1", min=0, max=1,
      description="share of transaction cost cut by the trust concessions buy (assumption)")
    # -- policy switches -------------------------------------------------------------------------
    P("rights", 1, unit="0/1", min=0, max=1,
      description="switch: operating rights of the idle space granted to the operator")
    P("platform", 1, unit="0/1", min=0, max=1,
      description="switch: government runs the deliberation platform (five-party linkage)")
    P("concess", 1, unit="0/1", min=0, max=1,
      description="switch: operator's concessions (free trial, unchanged rents)")
    P("lease", 0, unit="0/1", min=0, max=1,
      description="switch: lease-through (street office leases private land and sub-contracts it)")
    P("fiscal", 0, unit="0/1", min=0, max=1,
      description="switch: government renovates with fiscal money when the operator stays out")
    P("trust", 0, unit="0/1", min=0, max=1,
      description="switch (beyond the paper): trust built over the deliberation meetings")
    P("pledge", 0, unit="0/1", min=0, max=1,
      description="switch (beyond the paper): operating rights pledged as loan collateral")
    # -- government (assumptions: the paper gives no figures) ----------------------------------
    P("wg", 1.5, unit="million yuan per year", min=0,
      description="government's gain per year from a renovation that lasts: targets met, public "
                  "value, no rebound (assumption)")
    P("wp", 0.3, unit="million yuan per year", min=0,
      description="extra public value per year of co-governance: trust, self-governance capacity "
                  "(assumption)")
    P("Ca", 0.5, unit="million yuan", min=0,
      description="administrative cost of enabling: titles, change of use, simplified approval "
                  "(assumption)")
    P("Cp", 0.5, unit="million yuan", min=0,
      description="cost of running the deliberation platform (assumption)")
    P("c_l", 0.6, unit="million yuan per year", min=0,
      description="lease paid by the street office for private under-used land (lease-through; "
                  "assumption)")
    P("Gf", 30.0, unit="million yuan", min=0,
      description="fiscal cost of renovating without the operator (assumption: the same works "
                  "as I)")
    P("L", 5.0, unit="years", min=0,
      description="years a fiscal renovation lasts without upkeep (paper: 改造三五年后…反弹)")
    P("D_g", 10.0, unit="million yuan", min=0,
      description="government's loss when the compound decays: renewed fiscal pressure, "
                  "complaints (assumption)")
    # -- residents (assumptions) -----------------------------------------------------------------
    P("u_s", 1.0, unit="1", min=0,
      description="residents' value of property and new services per yuan paid (assumption: 1 "
                  "= worth their price)")
    P("ur", 1.0, unit="million yuan per year", min=0,
      description="residents' gain per year from renovated space (gate, green, safety), "
                  "non-excludable (assumption)")
    P("e_r", 0.5, unit="million yuan", min=0,
      description="residents' effort: meetings, voting, supervision, volunteering (assumption)")
    P("Q", 1.0, unit="million yuan", min=0,
      description="residents' co-funding of improvement items (assumption)")
    P("Uv", 1.2, unit="million yuan", min=0,
      description="residents' gain from voice: a renovation fitted to their needs (assumption)")
    P("D_r", 10.0, unit="million yuan", min=0,
      description="residents' loss when the compound decays (assumption)")
    # -- optional mechanisms (beyond the paper; off by default through the switches) ------------
    P("n_meet", 100.0, unit="meetings", min=0,
      description="number of deliberation meetings (paper: 100多次各类议事会)")
    P("m0", 30.0, unit="meetings", min=1,
      description="meetings for trust to reach 63% of its full level (assumption)")
    P("tau_o", 1.0, unit="million yuan", min=0,
      description="operator's value of full trust: lower hidden costs and risk (assumption)")
    P("tau_r", 1.0, unit="million yuan", min=0,
      description="residents' value of full trust in the operator (assumption)")
    P("lev", 0.5, unit="1", min=0, max=1,
      description="share of the investment financed by a loan secured on the operating rights "
                  "(assumption)")
    P("dspread", 0.02, unit="per year", min=0,
      description="interest saved per year thanks to the collateral (assumption)")


def _present_values(b: GameBuilder) -> None:
    rho, T, k, trial, L, n_meet, m0 = _symbols(b, "rho T k trial L n_meet m0")

    def annuity(n: sp.Expr) -> sp.Expr:
        """Present value of 1 per year, paid at the end of each of n years, discounted at rho."""
        return (1 - (1 + rho) ** (-n)) / rho

    b.derived("aT", annuity(T))          # over the operating-right term
    b.derived("ak", annuity(k))          # over the subsidy years
    b.derived("am", annuity(trial))      # over the free trial
    b.derived("aL", annuity(L))          # over the life of a fiscal renovation
    b.derived("vL", (1 + rho) ** (-L))   # discount factor of a decay delayed by L years
    b.derived("trust_level", 1 - sp.exp(-n_meet / m0))  # share of full trust after n_meet meetings


# ==============================================================================================
# The ledger.  Every term's ``note`` is the passage of the paper it encodes: the section (§5(2)
# is 五(二)), the paper's words and an English paraphrase; the model file has the same notes.
# Passages shared by several terms:
# ==============================================================================================
_NEGOTIATION = (
    "§3(4) 界定不明、关系复杂的产权结构导致多元更新主体的协商难度大，进一步推升了…交易成本 — "
    "unclear, complex property rights make negotiation hard and push up transaction costs; "
    "§5(2) 依托“五方联动”平台…客观上节约了交易成本 — the five-party platform saved transaction "
    "costs; §4(2) 通过协商平台、公益支出等，能够获得居民的信任 — platform and concessions win "
    "residents' trust and cut hidden costs.")
_TRUST = (
    "§5(3) 改造过程中所形成的沟通平台…以及塑造的良好主体间信任关系 — the communication platform "
    "and the good trust between the parties built during the renovation; §5(2) "
    "共召开了100多次各类议事会 — over 100 deliberation meetings (the value of trust is beyond the "
    "paper).")
_CO_FUNDING = (
    "§4(3) 针对改善类、提升类的改造项目，鼓励居民和政府、市场共同出资、共担成本 — for improvement "
    "items, residents co-fund with the government and the market.")
_VOICE = (
    "§4(3) 居民对空间改造的意见得以充分表达…找到符合多方主体意愿的“最大公约数” — residents' views "
    "are fully expressed, finding the greatest common divisor of the parties' wishes.")
_DECAY = (
    "§1 如果配套服务跟不上…改造三五年后，基础设施的问题极易反弹 — without services and upkeep, the "
    "problems return three to five years after a renovation; §1 避免改造后无人维护社区再度衰败 — "
    "avoid decay when nobody maintains the compound.")


# ==============================================================================================
# Operator
# ==============================================================================================
def _operator_terms(b: GameBuilder) -> None:
    (I, A, r, aT, rights, s, ak, F, am, concess, A_t, d_t,  # noqa: E741
     Ct, platform, eta_g, eta_r, eta_c, pledge, lev, dspread, trust, tau_o, trust_level) = _symbols(
        b, "I A r aT rights s ak F am concess A_t d_t Ct platform eta_g eta_r eta_c pledge lev "
           "dspread trust tau_o trust_level")

    b.cost("operator investment", I, who="operator",
           when={"operator": "operate"},
           note="§5(1) 本次改造Y集团投入了3000万元 — Y Group invested 30 million yuan in this "
                "renovation.")

    # Only the government can grant the rights (enable); rights = 0 removes the stream.
    b.benefit("space income from the granted area over the term",
              rights * A * r * aT / 1_000_000, who="operator",
              when={"government": "enable", "operator": "operate"},
              note="§5(3) 街道授权将1698平方米的闲置低效利用空间运营权交给Y集团…"
                   "通过租金获得长期稳定的收益 — the street office granted Y Group the operating "
                   "rights of 1,698 m² of idle space, for long-term stable rent income.")

    b.transfer("transitional subsidy", s * ak, source="government", to="operator",
               when={"government": "enable", "operator": "operate"},
               note="§5(2) 政府在前三年每年给予Y集团143万元的财政补贴 — in the first three years "
                    "the government paid Y Group a fiscal subsidy of 1.43 million yuan a year.")

    b.transfer("property-fee and service income (user pays)", F * aT,
               source="residents", to="operator",
               when={"operator": "operate", "residents": "participate"},
               note="§4(2) 包括停车费、广告费、物业费等，还可从新的服务项目中受益 — income from "
                    "parking, advertising and property fees, and from new service items; §5(2) "
                    "“使用者付费” — user pays: only residents who take part pay.")

    b.transfer("concession: free trial of property service", concess * F * am,
               source="operator", to="residents",
               when={"operator": "operate", "residents": "participate"},
               note="§5(2) 实行了“先尝后买”的免费体验活动…再逐步培养居民的收费习惯 — a "
                    "try-before-you-buy free trial of property service, then residents gradually "
                    "learn to pay.")

    b.transfer("concession: unchanged rent for local tradespeople",
               concess * rights * A_t * d_t * r * aT / 1_000_000,
               source="operator", to="residents",
               when={"government": "enable", "operator": "operate"},
               note="§5(2) 原来的理发、裁缝师傅在空间改造装修后被邀请回来重新经营，且租金不变 — the "
                    "barber and tailor were invited back after the renovation, at unchanged rent.")

    # The base cost Ct is cut by the platform (enable), by participation and by the concessions;
    # one term per government x residents profile, all four with the same passages.
    b.cost("transaction cost of negotiation (platform, residents deliberate)",
           Ct * (1 - platform * eta_g) * (1 - eta_r) * (1 - concess * eta_c), who="operator",
           when={"government": "enable", "operator": "operate", "residents": "participate"},
           note=_NEGOTIATION)
    # Residents do not deliberate, so their participation does not cut the cost.
    b.cost("transaction cost of negotiation (platform, residents passive)",
           Ct * (1 - platform * eta_g) * (1 - concess * eta_c), who="operator",
           when={"government": "enable", "operator": "operate", "residents": "stay_passive"},
           note=_NEGOTIATION)
    # No government platform when the government withholds.
    b.cost("transaction cost of negotiation (no platform, residents deliberate)",
           Ct * (1 - eta_r) * (1 - concess * eta_c), who="operator",
           when={"government": "withhold", "operator": "operate", "residents": "participate"},
           note=_NEGOTIATION)
    # Neither platform nor participation.
    b.cost("transaction cost of negotiation (no platform, residents passive)",
           Ct * (1 - concess * eta_c), who="operator",
           when={"government": "withhold", "operator": "operate", "residents": "stay_passive"},
           note=_NEGOTIATION)

    # Off by default (pledge = 0).
    b.benefit("cheaper capital from pledged operating rights (optional)",
              pledge * rights * lev * I * dspread * aT, who="operator",
              when={"government": "enable", "operator": "operate"},
              note="§5(2) 允许民营企业以不超过20年的存量资产经营权作为抵押贷款 — private firms "
                   "may pledge operating rights of existing assets, up to 20 years, as loan "
                   "collateral (the interest saved is beyond the paper).")

    # Off by default (trust = 0).
    b.benefit("trust built over the deliberation meetings, operator (optional)",
              trust * tau_o * trust_level, who="operator",
              when={"operator": "operate", "residents": "participate"},
              note=_TRUST)


# ==============================================================================================
# Residents
# ==============================================================================================
def _residents_terms(b: GameBuilder) -> None:
    (u_s, F, aT, ur, e_r, Q, fiscal, Uv, trust, tau_r, trust_level, D_r, vL, aL) = _symbols(
        b, "u_s F aT ur e_r Q fiscal Uv trust tau_r trust_level D_r vL aL")

    # Excludable: only those who pay receive them.
    b.benefit("residents' value of property and new services", u_s * F * aT, who="residents",
              when={"operator": "operate", "residents": "participate"},
              note="§3(3) 以用户为中心提升服务质量和满意度 — user-centred service quality and "
                   "satisfaction; §5(3) 引入专业物业公司、安装人脸识别等智慧设施…美好理发店、"
                   "美好会客厅 — professional property management, face recognition and new "
                   "services such as the barber shop and the meeting room.")

    # Non-excludable: every resident enjoys it, whether or not they take part.
    b.benefit("residents' gain from renovated space (lasting)", ur * aT, who="residents",
              when={"operator": "operate"},
              note="§5(3) 入口大门得到了翻新，公共区域绿地丰富了植物品种 — the gate was renewed "
                   "and the public green space enriched: a public good every resident enjoys.")

    b.cost("residents' effort in deliberation and volunteering", e_r, who="residents",
           when={"residents": "participate"},
           note="§4(3) 居民广泛参与到改造方案的制定、实施与监督过程中…志愿服务活动 — residents "
                "take part in making, implementing and supervising the plan, and volunteer.")

    b.cost("residents' co-funding (operator-led renovation)", Q, who="residents",
           when={"operator": "operate", "residents": "participate"}, note=_CO_FUNDING)
    # Same passage, for a renovation the government funds alone.
    b.cost("residents' co-funding (fiscal renovation)", fiscal * Q, who="residents",
           when={"operator": "stay_out", "residents": "participate"}, note=_CO_FUNDING)

    b.benefit("residents' voice: renovation fitted to their needs (operator-led)", Uv,
              who="residents", when={"operator": "operate", "residents": "participate"},
              note=_VOICE)
    # Same passage, for a fiscal renovation.
    b.benefit("residents' voice: renovation fitted to their needs (fiscal)", fiscal * Uv,
              who="residents", when={"operator": "stay_out", "residents": "participate"},
              note=_VOICE)

    # Same passages as the operator's trust term.  Off by default (trust = 0).
    b.benefit("trust built over the deliberation meetings, residents (optional)",
              trust * tau_r * trust_level, who="residents",
              when={"operator": "operate", "residents": "participate"},
              note=_TRUST)

    # A fiscal renovation delays the decay by L years.
    b.cost("decay when no operator maintains the compound, residents",
           D_r * (1 - fiscal + fiscal * vL), who="residents",
           when={"operator": "stay_out"}, note=_DECAY)
    # Same passages: the fiscal renovation helps residents only until it decays.
    b.benefit("residents' gain from a fiscal renovation while it lasts", fiscal * ur * aL,
              who="residents", when={"operator": "stay_out"}, note=_DECAY)


# ==============================================================================================
# Government
# ==============================================================================================
def _government_terms(b: GameBuilder) -> None:
    (wg, wp, aT, Ca, platform, Cp, lease, c_l, fiscal, Gf, aL, D_g, vL) = _symbols(
        b, "wg wp aT Ca platform Cp lease c_l fiscal Gf aL D_g vL")

    # Only an enabled renovation carries the public-service orientation and caps that make it
    # count for the government.
    b.benefit("government's gain from a renovation that lasts", wg * aT, who="government",
              when={"government": "enable", "operator": "operate"},
              note="§5(3) 政府推动老旧小区改造的任务也得到了阶段性完成 — the government's "
                   "renovation task was accomplished; §4(1) 通过政府购买、强化公共服务导向、"
                   "容量控制等方式完善模式，引导共同利益的生成 — government purchase, "
                   "public-service orientation and caps steer the renovation toward the common "
                   "interest.")

    b.benefit("public value of co-governance", wp * aT, who="government",
              when={"government": "enable", "operator": "operate", "residents": "participate"},
              note="§4(4) 增进了相互信任，培育了社区居民参与社区维护和治理的主动意识与自治能力 — "
                   "co-governance builds mutual trust and residents' capacity to govern "
                   "themselves, and creates public value (abstract: 增进信任、培育自治能力、"
                   "创造公共价值).")

    b.cost("administrative cost of enabling", Ca, who="government",
           when={"government": "enable"},
           note="§4(1) 明确老旧小区存量土地权属、开发权利、适用流程…可以临时改变建筑使用功能…"
                "精简审批事项 — clarify titles, development rights and procedures, allow a "
                "temporary change of use, simplify approval.")

    b.cost("cost of the deliberation platform", platform * Cp, who="government",
           when={"government": "enable"},
           note="§5(2) 街道全程参与，依托“五方联动”平台…组建社区“三级议事会” — the street office "
                "took part throughout, with the five-party platform and a three-level "
                "deliberation council.")

    b.cost("lease of private under-used land (lease-through)", lease * c_l * aT, who="government",
           when={"government": "enable"},
           note="§4(1) 由街道通过上级财政拨款，以签订合同的方式租入土地，然后以签订协议的方式"
                "出让给企业 — the street office leases private land with fiscal money and hands "
                "it to the firm by agreement (Sanhe Nanli, 美邻坊).")

    b.cost("fiscal burden when the market stays out", fiscal * Gf, who="government",
           when={"operator": "stay_out"},
           note="§3(4) 改造的巨大成本又让政府难以独自承担 — the huge cost is hard for the "
                "government to bear alone; §5(1) 单独依赖国家和政府财政投入，负担太重 — relying "
                "on fiscal money alone is too heavy a burden.")
    # A fiscal renovation meets the targets only until it decays (L years).
    b.benefit("government's gain from a fiscal renovation while it lasts", fiscal * wg * aL,
              who="government", when={"operator": "stay_out"},
              note="§5(1) 单独依赖国家和政府财政投入，负担太重 — relying on fiscal money alone is "
                   "too heavy a burden; §1 改造三五年后，基础设施的问题极易反弹 — the problems "
                   "return three to five years after a renovation.")

    b.cost("decay when no operator maintains the compound, government",
           D_g * (1 - fiscal + fiscal * vL), who="government",
           when={"operator": "stay_out"},
           note="§1 基础设施的问题极易反弹…将为财政负担添加新的压力 — when the problems return, "
                "they add new pressure on public finances.")


# ==============================================================================================
# Scenarios (spatial-asset policies).  Each lists every switch it relies on.
# ==============================================================================================
def _scenarios(b: GameBuilder) -> None:
    b.scenario(
        "baseline",
        dict(rights=0, s=0, platform=0, concess=0, lease=0, fiscal=0, trust=0, pledge=0),
        description="Status quo: no operating rights, no subsidy, no platform, no concessions; "
                    "nobody renovates if the market stays out.",
        source="§3(4) 意合困境: 其公共产品属性和开发限制，制约着利润的规模扩张，导致市场缺乏动机进入 "
               "(the market lacks a motive to enter)")
    b.scenario(
        "subsidy_only",
        dict(rights=0, s=1.43, k=3, platform=0, concess=0, lease=0, fiscal=0, trust=0, pledge=0),
        description="Only the transitional subsidy (1.43 M yuan/yr for 3 years): no rights, no "
                    "platform, no concessions.",
        source="§5(2) 政府在前三年每年给予Y集团143万元的财政补贴 (the subsidy part of the package "
               "alone)")
    b.scenario(
        "rights_only",
        dict(rights=1, T=20, s=0, platform=0, concess=0, lease=0, fiscal=0, trust=0, pledge=0),
        description="Only the 20-year operating rights of the idle space: no subsidy, no "
                    "platform, no concessions.",
        source="§4(1) 在不改变土地权属的情况下，完成土地经营权的流转 (operating rights without "
               "title transfer), alone")
    b.scenario(
        "jinsong",
        dict(rights=1, T=20, s=1.43, k=3, platform=1, concess=1, lease=0, fiscal=0, trust=0,
             pledge=0),
        description="The Jinsong package: 3-year subsidy 1.43 M yuan/yr + 20-year operating "
                    "rights + user-pays + concessions + platform.",
        source="§5(2) 打出了3年物业扶持期+社区闲置低效空间改造后20年经营权+“使用者付费”项目+产业运营”"
               "组合拳")
    b.scenario(
        "jinsong_no_concessions",
        dict(rights=1, T=20, s=1.43, k=3, platform=1, concess=0, lease=0, fiscal=0, trust=0,
             pledge=0),
        description="The Jinsong package without the operator's concessions (no free trial, "
                    "market rents for tradespeople).",
        source="§5(2) 企业为维护与社区居民的关系，作出了利益让步 (the concessions), removed")
    b.scenario(
        "jinsong_short_rights",
        dict(rights=1, T=5, s=1.43, k=3, platform=1, concess=1, lease=0, fiscal=0, trust=0,
             pledge=0),
        description="The Jinsong package with a 5-year operating-right (and contract) term "
                    "instead of 20.",
        source="§5(2) 20年经营权; §5(1) 通过长期的经营，能够实现投资回报的平衡 (only long operation "
               "balances the investment)")
    b.scenario(
        "lease_through",
        dict(rights=1, T=20, s=0, platform=1, concess=1, lease=1, fiscal=0, trust=0, pledge=0),
        description="Lease-through: the street office leases private under-used land with fiscal "
                    "money and sub-contracts it to the operator; no subsidy.",
        source="§4(1) 北京大兴三合美邻坊: 社区从私企承租土地和厂房，将土地移交愿景集团进行开发建设 "
               "(Sanhe Nanli, Meilinfang)")
    b.scenario(
        "fiscal_only",
        dict(rights=0, s=0, platform=0, concess=0, lease=0, fiscal=1, trust=0, pledge=0),
        description="The government renovates alone with fiscal money; no rights, subsidy, "
                    "platform or concessions; the renovation decays after L years.",
        source="§1 行政主导机制下负担过重; 改造三五年后，基础设施的问题极易反弹; §5(1) "
               "单独依赖国家和政府财政投入，负担太重")
    b.scenario(
        "trust",
        dict(rights=1, T=20, s=1.43, k=3, platform=1, concess=1, lease=0, fiscal=0, trust=1,
             pledge=0),
        description="The Jinsong package plus trust built over the ~100 deliberation meetings "
                    "(beyond the paper).",
        source="§5(3) 塑造的良好主体间信任关系; §5(2) 共召开了100多次各类议事会")
    b.scenario(
        "trust_no_concessions",
        dict(rights=1, T=20, s=1.43, k=3, platform=1, concess=0, lease=0, fiscal=0, trust=1,
             pledge=0),
        description="Jinsong without concessions but with trust from the deliberation meetings: "
                    "can trust replace the concessions? (beyond the paper)",
        source="§4(2) 通过协商平台、公益支出等，能够获得居民的信任 (platform and concessions both "
               "build trust)")
    b.scenario(
        "collateral",
        dict(rights=1, T=20, s=1.43, k=3, platform=1, concess=1, lease=0, fiscal=0, trust=0,
             pledge=1),
        description="The Jinsong package plus pledging the operating rights as loan collateral "
                    "(cheaper capital; beyond the paper's figures).",
        source="§5(2) 允许民营企业以不超过20年的存量资产经营权作为抵押贷款")
