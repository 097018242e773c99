r"""Counter-based standard normals: one number per (seed, path, step, population), any order.

Mathematics
-----------
A counter-based generator (Salmon et al. 2011) computes the :math:`j`-th random word of a
stream directly as a bijective mix of the counter, so any block of paths and steps can be drawn
by any thread, in any order and any chunking, with the same result. Here the mix is SplitMix64's
finaliser :math:`\mu` (Steele, Lea & Flood 2014), the output function of the SplitMix64
generator, which passes BigCrush on the sequence :math:`\mu(k + j\gamma)`:

.. math::
    \kappa = \mu(\text{seed} \oplus c_0), \qquad
    k_i = \mu(\kappa + (i + 1)\,\gamma'), \qquad
    w_{i,j} = \mu(k_i + j\,\gamma)

for path key :math:`i` (``gamma`` the golden-ratio increment ``0x9e3779b97f4a7c15``,
``gamma'`` another odd constant; arithmetic modulo :math:`2^{64}`). Step :math:`s`, pair
:math:`q` uses the words :math:`j = 2(s P + q)` and :math:`j + 1`, :math:`P = \lceil n/2
\rceil` pairs per step for :math:`n` populations; populations :math:`2q` and :math:`2q + 1`
take the pair's cosine and sine. For odd :math:`n` the last population takes the cosine of the
last pair of the even step :math:`s - (s \bmod 2)` at even steps and its sine at odd steps
(one pair per two steps; the odd steps' own last words are not used). The top 52 bits of a
word give the uniform :math:`u = (2b + 1)\, 2^{-53} \in (0, 1)` (never 0 nor 1), and
Box-Muller (Box & Muller 1958) turns two uniforms into two independent standard normals,
exactly in law:

.. math:: \xi_{2q} = \sqrt{-2 \ln u_1}\, \cos 2\pi u_2, \qquad
          \xi_{2q+1} = \sqrt{-2 \ln u_1}\, \sin 2\pi u_2 .

The largest normal is :math:`\sqrt{2 \cdot 53 \ln 2} \approx 8.6`: a standard normal exceeds it with
probability :math:`10^{-17}`.

The logarithm, sine and cosine are computed with IEEE operations only (no ``libm``), so that the
numpy reference here and the compiled kernel (:mod:`.kernel_sde2`) give the same bits and the
compiled loop vectorises: :func:`log_unit` is fdlibm's ``__ieee754_log`` (reduction to
:math:`m \in [\sqrt2/2, \sqrt2)`, :math:`\ln(1+f) = 2s + s R(s^2)`, :math:`s = f/(2+f)`; error
below 1 ulp), :func:`sincos_2pi` reduces :math:`2\pi u` to a quadrant exactly (:math:`4u` minus
an integer) and uses fdlibm's ``__kernel_sin``/``__kernel_cos`` polynomials on
:math:`[-\pi/4, \pi/4]`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["seed_key", "path_keys", "mix64", "uniforms", "log_unit", "sincos_2pi",
           "counter_normals", "GAMMA", "GAMMA_PATH"]

#: increments of the counter (golden ratio) and of the path keys (odd constants)
GAMMA = 0x9E3779B97F4A7C15
GAMMA_PATH = 0xD1B54A32D192ED03
SEED_SALT = 0x5851F42D4C957F2D
M1 = 0xBF58476D1CE4E5B9
M2 = 0x94D049BB133111EB
#: bit patterns: exponent of 1.0, mantissa mask
ONE_BITS = 0x3FF0000000000000
MANT_MASK = 0x000FFFFFFFFFFFFF
#: u = d - U_SHIFT for d in [1, 2) with 52 random mantissa bits: (2b + 1) 2^-53, exact
U_SHIFT = 1.0 - 2.0 ** -53
SQRT2 = 1.4142135623730951
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
LG = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
      2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
      1.479819860511658591e-01)
PIO2 = 1.5707963267948966
S_COEF = (-1.66666666666666324348e-01, 8.33333333332248946124e-03,
          -1.98412698298579493134e-04, 2.75573137070700676789e-06,
          -2.50507602534068634195e-08, 1.58969099521155010221e-10)
C_COEF = (4.16666666666666019037e-02, -1.38888888888741095749e-03,
          2.48015872894767294178e-05, -2.75573143513906633035e-07,
          2.08757232129817482790e-09, -1.13596475577881948265e-11)

_U = np.uint64


def mix64(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, a bijection of 64-bit words (uint64 arrays, wrapping).

    Parameters
    ----------
    z : numpy.ndarray
        uint64 words.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    The first output of SplitMix64 seeded with 0 (its state after one increment is gamma):

    >>> hex(int(mix64(np.array([GAMMA], dtype=np.uint64))[0]))
    '0xe220a8397b1dcdaf'
    """
    z = np.asarray(z, dtype=np.uint64)
    z = (z ^ (z >> _U(30))) * _U(M1)
    z = (z ^ (z >> _U(27))) * _U(M2)
    return z ^ (z >> _U(31))


def seed_key(seed: int) -> int:
    """The 64-bit key :math:`\\kappa` of a seed in ``[0, 2**63)``.

    Parameters
    ----------
    seed : int

    Returns
    -------
    int

    Examples
    --------
    >>> seed_key(0) != seed_key(1)
    True
    """
    return int(mix64(np.array([(int(seed) ^ SEED_SALT) & (2**64 - 1)], dtype=np.uint64))[0])


def path_keys(key: int, idx) -> np.ndarray:
    """Keys :math:`k_i = \\mu(\\kappa + (i + 1)\\gamma')` of path keys ``idx`` (uint64).

    Parameters
    ----------
    key : int
        The seed's key (:func:`seed_key`).
    idx : array_like
        Path keys :math:`i` (a path index, or ``index % streams``).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> path_keys(seed_key(0), [0, 1]).dtype
    dtype('uint64')
    """
    i = np.asarray(idx, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return mix64(_U(key) + (i + _U(1)) * _U(GAMMA_PATH))


def uniforms(words: np.ndarray) -> np.ndarray:
    """The uniforms :math:`(2b + 1) 2^{-53}` of 64-bit words (top 52 bits ``b``), in (0, 1).

    Parameters
    ----------
    words : numpy.ndarray
        uint64 words.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> uniforms(np.array([0, 2**64 - 1], dtype=np.uint64)).tolist() == [2.0**-53, 1 - 2.0**-53]
    True
    """
    bits = (np.asarray(words, dtype=np.uint64) >> _U(12)) | _U(ONE_BITS)
    return bits.view(np.float64) - U_SHIFT


def log_unit(u: np.ndarray) -> np.ndarray:
    """:math:`\\ln u` for normal positive ``u`` with IEEE operations only (fdlibm's method).

    Parameters
    ----------
    u : numpy.ndarray
        Positive normal numbers (here uniforms in (0, 1)).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> u = np.array([2.0**-53, 0.1, 0.5, 0.7071, 0.9999999])
    >>> bool(np.all(np.abs(log_unit(u) - np.log(u)) <= 2 * np.spacing(np.abs(np.log(u)))))
    True
    """
    bits = np.asarray(u, dtype=np.float64).view(np.int64)
    e = ((bits >> 52) - 1023).astype(np.float64)
    m = ((bits & MANT_MASK) | ONE_BITS).view(np.float64)
    big = m > SQRT2
    m = np.where(big, m * 0.5, m)
    e = np.where(big, e + 1.0, e)
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG[1] + w * (LG[3] + w * LG[5]))
    t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])))
    r = t2 + t1
    hfsq = 0.5 * f * f
    return e * LN2_HI - ((hfsq - (s * (hfsq + r) + e * LN2_LO)) - f)


def sincos_2pi(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:math:`(\\cos 2\\pi u, \\sin 2\\pi u)` for ``u`` in [0, 1], IEEE operations only.

    Parameters
    ----------
    u : numpy.ndarray
        Values in [0, 1].

    Returns
    -------
    tuple of numpy.ndarray

    Examples
    --------
    >>> u = np.linspace(0.0, 1.0, 9)
    >>> c, s = sincos_2pi(u)
    >>> bool(np.allclose(c, np.cos(2 * np.pi * u), atol=1e-15))
    True
    """
    w = 4.0 * np.asarray(u, dtype=np.float64)
    q = np.floor(w + 0.5)
    a = (w - q) * PIO2
    z = a * a
    rs = S_COEF[1] + z * (S_COEF[2] + z * (S_COEF[3] + z * (S_COEF[4] + z * S_COEF[5])))
    sn = a + (z * a) * (S_COEF[0] + z * rs)
    rc = z * (C_COEF[0] + z * (C_COEF[1] + z * (C_COEF[2] + z * (C_COEF[3] + z * (
        C_COEF[4] + z * C_COEF[5])))))
    hz = 0.5 * z
    wc = 1.0 - hz
    cs = wc + (((1.0 - wc) - hz) + z * rc)
    qi = q.astype(np.int64) & 3
    odd = (qi & 1) == 1
    c0 = np.where(odd, sn, cs)
    s0 = np.where(odd, cs, sn)
    cos = np.where((qi == 1) | (qi == 2), -c0, c0)
    sin = np.where(qi >= 2, -s0, s0)
    return cos, sin


def _pair(keys: np.ndarray, j: int) -> tuple[np.ndarray, np.ndarray]:
    """Box-Muller normals of the words ``j`` and ``j + 1`` of every key."""
    u1 = uniforms(mix64(keys + _U(j) * _U(GAMMA)))
    u2 = uniforms(mix64(keys + _U(j + 1) * _U(GAMMA)))
    r = np.sqrt(-2.0 * log_unit(u1))
    c, s = sincos_2pi(u2)
    return r * c, r * s


def counter_normals(keys: np.ndarray, step: int, n: int) -> np.ndarray:
    """Standard normals ``(n, len(keys))`` of one step for paths with keys ``keys``.

    Parameters
    ----------
    keys : numpy.ndarray
        uint64 path keys (:func:`path_keys`).
    step : int
        Global step index (0 for the first step of the run).
    n : int
        Populations (normals per path and step).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    The numbers depend only on the key, the step and the population:

    >>> k = path_keys(seed_key(1), np.arange(4))
    >>> a = counter_normals(k, 7, 3)
    >>> bool(np.array_equal(a[:, 2:], counter_normals(k[2:], 7, 3))), a.shape
    (True, (3, 4))
    """
    P = (n + 1) // 2
    out = np.empty((n, keys.size))
    with np.errstate(over="ignore"):
        for q in range(n // 2):
            out[2 * q], out[2 * q + 1] = _pair(keys, 2 * (step * P + q))
        if n % 2 == 1:
            c, s = _pair(keys, 2 * ((step - step % 2) * P + P - 1))
            out[n - 1] = s if step % 2 else c
    return out
