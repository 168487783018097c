"""f' beside its zeros where it is a ratio N/D with N an exponential polynomial.

(2**t + 3)/(3**t + 2) has f' = N(t)/(3**t + 2)**2 with N = (log 2 - log 3) 6**t + 2 log 2
2**t - 3 log 3 3**t, zero at t = -2.201: written out, N's terms are 4900 times N at t = -2.2,
and each term's last bit is 5e-13 of f' there (all of it nearer). An exponential polynomial
N = sum of c_i e^{a_i x} (numbers c_i, distinct real a_i) has at most as many real zeros as
its coefficients, ordered by a_i, change sign (Laguerre's rule of signs), all in the interval
where no term outweighs all the others together: they are found by bisecting the sign changes
of a scan of it there, in mpmath, and each is checked to be simple. Beside a zero r, N is
computed from its Taylor polynomial in h = x - r (r to twice float precision, so h is exact
to 2**-106 of r): N^(m)(r) = sum of c_i a_i^m e^{a_i r}, exactly at codegen time; D is
computed as written, and N/D is right to a few ulps. The radius is where the written-out
form, off by about 4 eps S (S = the sum of |terms|), is within 1/40 of 1e-12 of |N|.
"""

from __future__ import annotations

import itertools

import mpmath
import sympy

_DIGITS = 60
_SCAN = 4000  # points of the scan between the bounds (a zero pair closer than its step is
#               not found: Laguerre's count then disagrees, and nothing is rewritten)
_TARGET = 1e-12 / 40
_EPS = 2.0 ** -52
_MAX_TERMS = 8
_MAX_ORDER = 40
_MAX_OPS = 80  # larger derivatives are not tried (together and expand grow fast)


HELPER = '''def _near_roots(x, zeros, denominator, direct):
    """direct(x) but within each zero's radius of it, where N is its Taylor polynomial in
    h = x - r (r = hi + lo: (x - hi) - lo is exact there) over denominator(x). Each is
    computed only where it is used."""
    out = np.asarray(direct(x), dtype=float)
    for hi, lo, radius, coefficients in zeros:
        near = np.abs(x - hi) < radius
        if not np.any(near):
            continue
        h = (np.where(near, x, hi) - hi) - lo
        total = 0.0
        for c in reversed(coefficients):
            total = (total + c) * h
        out = np.where(near, total / denominator(np.where(near, x, hi)), out)
    return out[()]'''


def exponential_terms(expr: sympy.Expr, x: sympy.Symbol) -> list[tuple[mpmath.mpf, mpmath.mpf]] | None:
    """expr as a sum of c e^{a x} (c, a real numbers), terms with one a merged and ordered by
    a, or None (also for fewer than two terms or more than _MAX_TERMS)."""
    expanded = sympy.expand(sympy.powsimp(sympy.expand(expr.rewrite(sympy.exp))))
    found: dict[sympy.Expr, sympy.Expr] = {}
    for term in sympy.Add.make_args(expanded):
        c, a = sympy.S.One, sympy.S.Zero
        for factor in sympy.Mul.make_args(term):
            if not factor.has(x):
                c *= factor
                continue
            base, power = factor.as_base_exp()
            if base == sympy.E:
                slope = sympy.cancel(power / x)
                if slope.has(x) or not slope.is_number:
                    return None
                a += slope
            else:
                return None
        found[a] = found.get(a, sympy.S.Zero) + c
    if not 2 <= len(found) <= _MAX_TERMS or not all(  # a parameter's c or a is no number
            a.is_number and a.is_real and c.is_number and c.is_real for a, c in found.items()):
        return None
    with mpmath.workdps(_DIGITS):
        terms = [(mpmath.mpf(sympy.N(c, _DIGITS)), mpmath.mpf(sympy.N(a, _DIGITS)))
                 for a, c in found.items()]
        merged: list[tuple[mpmath.mpf, mpmath.mpf]] = []
        for c, a in sorted(terms, key=lambda t: t[1]):  # log(2) + log(3) is log(6)
            if merged and abs(a - merged[-1][1]) <= mpmath.mpf(10) ** (10 - _DIGITS):
                merged[-1] = (merged[-1][0] + c, merged[-1][1])
            else:
                merged.append((c, a))
    terms = [(c, a) for c, a in merged if abs(c) > mpmath.mpf(10) ** (10 - _DIGITS)]
    return terms if len(terms) >= 2 else None


def _value(terms: list[tuple[mpmath.mpf, mpmath.mpf]], x: mpmath.mpf, order: int = 0
           ) -> mpmath.mpf:
    return mpmath.fsum(c * a ** order * mpmath.exp(a * x) for c, a in terms)


def _bounds(terms: list[tuple[mpmath.mpf, mpmath.mpf]]) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Beyond these the term with the largest (right) or smallest (left) a outweighs all
    the others together: for x > 0, |c_k| e^{a_k x} > sum |c_i| e^{a_i x} once
    e^{(a_k - a_{k-1}) x} > sum_{i<k} |c_i| / |c_k| (and 1 for x >= 0 at least)."""
    rest = mpmath.fsum(abs(c) for c, _ in terms)
    right = max(mpmath.mpf(0), mpmath.log(rest / abs(terms[-1][0])) / (terms[-1][1] - terms[-2][1]))
    left = min(mpmath.mpf(0), -mpmath.log(rest / abs(terms[0][0])) / (terms[1][1] - terms[0][1]))
    return left - 1, right + 1


def zeros(terms: list[tuple[mpmath.mpf, mpmath.mpf]]) -> list[mpmath.mpf] | None:
    """Every real zero of the exponential polynomial, each simple; None where the scan does
    not find as many as Laguerre's rule allows and the rule's parity needs (a zero pair closer
    than a step, or a double zero), so that nothing is rewritten on a guess."""
    changes = sum(1 for (c, _), (d, _) in itertools.pairwise(terms) if (c > 0) != (d > 0))
    if changes == 0:
        return []
    with mpmath.workdps(_DIGITS):
        left, right = _bounds(terms)
        step = (right - left) / _SCAN
        found = []
        previous = _value(terms, left)
        for i in range(1, _SCAN + 1):
            point = left + i * step
            current = _value(terms, point)
            if current == 0 or (previous > 0) != (current > 0):
                a, b = point - step, point
                for _ in range(400):  # bisection to 2**-400 of the step
                    middle = (a + b) / 2
                    if (_value(terms, middle) > 0) == (_value(terms, a) > 0):
                        a = middle
                    else:
                        b = middle
                found.append((a + b) / 2)
            previous = current
        if len(found) > changes or (changes - len(found)) % 2:
            return None
        if any(_value(terms, r, 1) == 0 for r in found):
            return None
        return found


_EXPONENTIAL = (sympy.exp, sympy.sinh, sympy.cosh, sympy.tanh, sympy.coth, sympy.sech, sympy.csch)


def _only_exponentials(expr: sympy.Expr, x: sympy.Symbol) -> bool:
    """Is x only inside e^{ax}-like nodes with arguments linear in x (and integer powers,
    sums and products of them)? Only then can together and expand end on a sum of c e^{ax}:
    a factor x, erf, a log or a trigonometric function anywhere leaves a term that is none.
    Asked first because the rewrite to exp and the expansion are the costly part (about
    0.1 s for gelu_tanh' and mish', whose tanh of a cubic or of softplus never qualifies)."""
    if not expr.has(x):
        return True
    if isinstance(expr, _EXPONENTIAL):
        return _linear(expr.args[0], x)
    if expr.is_Pow:
        base, power = expr.args
        if power.has(x):
            return bool(base.is_number and base.is_positive) and _linear(power, x)
        return bool(power.is_Integer) and _only_exponentials(base, x)
    if expr.is_Add or expr.is_Mul:
        return all(_only_exponentials(arg, x) for arg in expr.args)
    return False  # x itself (a polynomial factor) or any other function of x


def _linear(u: sympy.Expr, x: sympy.Symbol) -> bool:
    try:
        poly = sympy.Poly(u, x)
    except sympy.PolynomialError:
        return False
    return poly.degree() <= 1 and all(c.is_number for c in poly.all_coeffs())


def _numerator_terms(expr: sympy.Expr, x: sympy.Symbol
                     ) -> tuple[list[tuple[mpmath.mpf, mpmath.mpf]], sympy.Expr] | None:
    if expr.has(sympy.Piecewise) or sympy.count_ops(expr) > _MAX_OPS:
        return None
    if not _only_exponentials(expr, x):
        return None
    numerator, denominator = sympy.together(expr).as_numer_denom()
    terms = exponential_terms(numerator, x)
    return None if terms is None else (terms, denominator)


def exponential_zeros(expr: sympy.Expr, x: sympy.Symbol) -> list[float]:
    """The real zeros of expr's numerator where it is an exponential polynomial (the points
    beside which near_roots rewrites it, for the accuracy measurement to look at)."""
    split = _numerator_terms(expr, x)
    found = zeros(split[0]) if split is not None else None
    return [float(r) for r in found] if found else []


Zero = tuple[float, float, float, list[float]]  # r_hi, r_lo, radius, Taylor coefficients


def near_roots(derivative: sympy.Expr, x: sympy.Symbol
               ) -> tuple[sympy.Expr, list[Zero]] | None:
    """The denominator D of derivative = N/D and, for each zero of N (an exponential
    polynomial), what _near_roots computes N from beside it; None where the numerator is no
    exponential polynomial or has no real zero."""
    split = _numerator_terms(derivative, x)
    if split is None:
        return None
    terms, denominator = split
    found = zeros(terms)
    if not found:
        return None
    entries: list[Zero] = []
    with mpmath.workdps(_DIGITS):
        for r in found:
            size = mpmath.fsum(abs(c) * mpmath.exp(a * r) for c, a in terms)
            slope = abs(_value(terms, r, 1))
            radius = 4 * _EPS * size / (slope * _TARGET)
            coefficients = []
            for m in range(1, _MAX_ORDER + 1):
                coefficient = _value(terms, r, m) / mpmath.factorial(m)
                coefficients.append(coefficient)
                if abs(coefficient) * radius ** m < mpmath.mpf(2) ** -60 * slope * radius:
                    break
            else:
                return None  # the series does not settle within the radius
            # the polynomial must not cancel itself within the radius (then it would lose
            # what the terms lose)
            for h in (-radius, radius):
                spread = mpmath.fsum(abs(c) * radius ** (m + 1) for m, c in enumerate(coefficients))
                if spread > 4 * abs(_value(terms, r + h)):
                    return None
            r_hi = float(r)
            entries.append((r_hi, float(r - r_hi), float(radius), [float(c) for c in coefficients]))
    return denominator, entries
