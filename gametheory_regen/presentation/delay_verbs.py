"""``--delay TAU`` on ``simulate`` and ``sweep`` (Contract 4): the delayed replicator.

:mod:`~gametheory_regen.presentation.engine_verbs` declares the option with
:func:`add_delay_argument`, reads it with :func:`delay_of` and hands the computation to
:func:`run_simulation` and :func:`run_sweep`, which call the analysis layer
(:mod:`gametheory_regen.analysis.delay`); ``--delay 0`` (or no ``--delay``) is the undelayed
engine itself.

>>> from gametheory_regen.presentation.cli import main
>>> import contextlib, sys
>>> with contextlib.redirect_stderr(sys.stdout):
...     main(["simulate", "hawk_dove", "--initial", "owner=0.3,intruder=0.6", "--delay", "-1"])
error: --delay must be a finite number >= 0; got -1.0
2
"""

from __future__ import annotations

from ..errors import GameInputError

__all__ = ["add_delay_argument", "delay_of", "run_simulation", "run_sweep", "delay_text",
           "delay_json"]


def add_delay_argument(p) -> None:
    """Declare ``--delay TAU`` on a sub-parser.

    Parameters
    ----------
    p : argparse.ArgumentParser

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser(); add_delay_argument(p)
    >>> p.parse_args(["--delay", "2.5"]).delay
    2.5
    """
    p.add_argument("--delay", type=float, default=None, metavar="TAU",
                   help="delayed replicator: payoffs of the state TAU time units ago "
                        "(docs/delay.md); 0 is the undelayed run")


def _kind(dynamics) -> str | None:
    if dynamics is None:
        return None
    if isinstance(dynamics, dict):
        return dynamics.get("kind")
    kind = getattr(dynamics, "kind", None)
    return kind if kind is not None else str(dynamics).split(",")[0].strip()


def delay_of(args, game=None) -> float | None:
    """The ``--delay`` of parsed arguments, checked; ``None`` when not given.

    Parameters
    ----------
    args : argparse.Namespace
    game : Game, optional
        Its declared ``[dynamics]`` (when the model has one) must be the replicator.

    Returns
    -------
    float or None

    Raises
    ------
    GameInputError
        A negative, infinite or NaN delay; a delay with ``--dynamics`` (or the model's
        dynamics) other than the replicator.

    Examples
    --------
    >>> import argparse
    >>> delay_of(argparse.Namespace(delay=1.5)), delay_of(argparse.Namespace())
    (1.5, None)
    >>> delay_of(argparse.Namespace(delay=1.0, dynamics="logit,temperature=0.1"))
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --delay is for the replicator dynamics; got 'logit' (drop --delay or use --dynamics replicator)
    """  # noqa: E501
    from ..analysis.delay import check_replicator
    from ..dynamics.delay import check_delay

    tau = getattr(args, "delay", None)
    if tau is None:
        return None
    tau = check_delay(tau, "--delay")
    flag = getattr(args, "dynamics", None)
    if flag is not None:
        check_replicator(_kind(flag), "--delay")
    elif game is not None and getattr(game, "dynamics", None) is not None:
        kind = _kind(game.dynamics)
        if kind is not None and kind != "replicator":
            raise GameInputError(f"--delay is for the replicator dynamics; the model's "
                                 f"[dynamics] is {kind!r} (give --dynamics replicator or drop "
                                 f"--delay)")
    return tau


def run_simulation(tau, game, x0, t_end, n_points, schedules, **kwargs):
    """One trajectory: delayed when ``tau`` is a positive number, else the undelayed engine.

    Parameters
    ----------
    tau : float or None
    game : Game
    x0 : numpy.ndarray
    t_end : float
    n_points : int
    schedules : tuple
    **kwargs
        Passed on to :func:`~gametheory_regen.analysis.batch.simulate` (e.g. ``dynamics=``;
        with a delay only the replicator is accepted).

    Returns
    -------
    gametheory_regen.analysis.batch.Simulation

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> a = run_simulation(None, hd, [0.3, 0.6], 5.0, 3, ())
    >>> b = run_simulation(0.0, hd, [0.3, 0.6], 5.0, 3, ())
    >>> bool((a.states == b.states).all())
    True
    """
    from ..analysis.batch import simulate
    from ..analysis.delay import simulate_delayed

    if not tau:
        return simulate(game, x0, t_end, n_points=n_points, schedules=schedules, **kwargs)
    return simulate_delayed(game, x0, t_end, tau, n_points=n_points, schedules=schedules,
                            **kwargs)


def run_sweep(tau, game, vary, **kwargs):
    """A sweep: delayed when ``tau`` is a positive number, else the undelayed engine.

    Parameters
    ----------
    tau : float or None
    game : Game
    vary : list of (name, values)
    **kwargs
        As :func:`gametheory_regen.analysis.sweep.sweep` (``scheduler`` must be ``None``
        with a delay).

    Returns
    -------
    gametheory_regen.analysis.sweep.SweepResult

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> res = run_sweep(0.5, gr.Game.builtin("hawk_dove"), [("V", [2.0])], samples=4)
    >>> res.stable[0].tolist()
    [False, True, True, False]
    """
    from ..analysis.delay_sweep import sweep_delayed
    from ..analysis.sweep import sweep

    if not tau:
        return sweep(game, vary, **kwargs)
    if kwargs.pop("schedules", None):
        raise GameInputError("--delay with time schedules is not supported; add "
                             "--no-schedules or drop --delay")
    if kwargs.pop("scheduler", None) is not None:
        raise GameInputError("--delay runs in process; drop --scheduler")
    return sweep_delayed(game, vary, tau, **kwargs)


def delay_json(game, tau: float) -> dict:
    """The ``"delay"`` entry of ``simulate``'s JSON: the delay and the critical delay.

    Parameters
    ----------
    game : Game
    tau : float

    Returns
    -------
    dict

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> hd = gr.Game.symmetric("hd", ["hawk", "dove"], [[-1, 2], [0, 1]])
    >>> d = delay_json(hd, 2.0)
    >>> d["tau"], d["critical_delay"]["exact"], d["critical_delay"]["rest_point"]
    (2.0, 'pi', 0.5)
    """
    from ..analysis.delay import critical_delay

    cd = critical_delay(game)
    return {"tau": float(tau), "critical_delay": {
        "tau_c": cd.tau_c, "exact": cd.exact, "a": cd.a, "rest_point": cd.rest_point,
        "reason": cd.reason or None, "source": cd.source}}


def delay_text(game, tau: float) -> str:
    """The line ``simulate --delay`` adds to its text output: the critical delay, where known.

    Parameters
    ----------
    game : Game
    tau : float

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> hd = gr.Game.symmetric("hd", ["hawk", "dove"], [[-1, 2], [0, 1]])
    >>> print(delay_text(hd, 2.0))
    delay tau = 2; critical delay tau_c = pi = 3.142 (Hayes 1950; a = 0.5 at x* = 0.5): below it the interior rest point is asymptotically stable, above it unstable; here tau < tau_c
    >>> print(delay_text(gr.Game.builtin("hawk_dove"), 1.0))
    delay tau = 1; critical delay: no closed form (the closed form is for one population with two strategies; this game has 2 populations)
    """  # noqa: E501
    from ..analysis.delay import critical_delay

    cd = critical_delay(game)
    if not cd.applies:
        return f"delay tau = {tau:g}; critical delay: no closed form ({cd.reason})"
    where = ("tau < tau_c" if tau < cd.tau_c else "tau > tau_c" if tau > cd.tau_c
             else "tau = tau_c (the linearisation is non-hyperbolic)")
    return (f"delay tau = {tau:g}; critical delay tau_c = {cd.exact} = {cd.tau_c:.4g} "
            f"(Hayes 1950; a = {cd.a:.4g} at x* = {cd.rest_point:.4g}): below it the interior "
            f"rest point is asymptotically stable, above it unstable; here {where}")
