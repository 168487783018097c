"""Limits the three direct methods of derive.verify.claims.prove_limit do not reach: an
indeterminate form rewritten, by an exact identity valid on a half-line, into one they do.

Every limit here is taken at +∞ of a variable t > 0: a limit at −∞ is one at +∞ of
f(−t), a limit at 0⁺ one at +∞ of f(1/t) (claims.prove_limit substitutes). The caller has
proved f continuous on a half-line out to the end; each rewriting below is an identity on
such a half-line, so the rewritten expression has the same limit. The methods, by name:

* "the limit of each part, combined": the limit laws, with each part's limit proved by any
  method here (log((t² + 1)/t²) → log 1 once the quotient's limit is proved);
* "powers as exponentials": b^e = e^{e·log b}, for a base b > 0 (a real power with a
  variable exponent is defined only there), so 4^t and t^{1/t} meet the limit laws;
* "over one denominator": a sum written as one fraction;
* "the logarithms combined": log a + c·log b = log(a·b^c) for a, b > 0 (every logarithm of
  a continuous real f has a positive argument on the half-line);
* "multiplied by the conjugate": A + B = (A² − B²)/(A − B) for a square root B, where
  A − B has one sign on a half-line (t − √(t² + 1) = −1/(t + √(t² + 1)));
* "the dominant term factored out": a sum Σ sᵢ = D·(1 + Σ sᵢ/D) where every sᵢ/D has a
  proved limit and 1 + Σ lim sᵢ/D = c ≠ 0: the sum tends to c·lim D;
* "the logarithm of |f|": a product of factors each of one sign on a half-line is
  ±exp(Σ log|fᵢ|); the sum's limit −∞, L or +∞ gives 0, ±e^L or ±∞ (t⁵e^{−t}: 5 log t − t
  → −∞, by the dominant term −t, since log t / t → 0 by L'Hôpital's rule).

Bounded by sizes: a rewriting depth (REWRITE_DEPTH) and a count of direct attempts per claim
(SEARCH_BUDGET), so the same claim is always decided the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

REWRITE_DEPTH = 3
SEARCH_BUDGET = 60  # direct attempts (claims' three methods) per claim, over every branch
FORM_OPS = 80  # an expression past this size is not rewritten
_INFINITE = (sympy.oo, -sympy.oo)


@dataclass(frozen=True)
class Found:
    value: sympy.Expr
    methods: tuple[str, ...]  # the methods used, outermost first
    times: int = 0  # L'Hôpital's rule, most times in one branch


class _Budget:
    """The direct attempts left, and those already made (a repeated sub-question is answered
    from memory, free)."""

    def __init__(self) -> None:
        self.left = SEARCH_BUDGET
        self.seen: dict[sympy.Expr, Found | None] = {}

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


def limit_at_infinity(expr: sympy.Expr, t: sympy.Symbol, seconds: float) -> Found | None:
    """lim expr as t → +∞ (t > 0), by the methods above; None if none applies. Shallow
    rewritings first (iterative deepening): the shortest chain of methods is found, and a
    deep branch cannot spend the budget a shallow proof needed."""
    budget = _Budget()
    for depth in range(REWRITE_DEPTH + 1):
        found = _solve(expr, t, depth, budget, seconds)
        if found is not None or budget.left <= 0:
            return found
    return None


def _direct(expr: sympy.Expr, t: sympy.Symbol, budget: _Budget,
            seconds: float) -> Found | None:
    """claims' three direct methods: the limit laws, leading terms, L'Hôpital's rule."""
    from derive.verify import claims

    if expr in budget.seen:
        return budget.seen[expr]
    if not budget.take():
        return None
    proof = claims.direct_limit(expr, t, sympy.oo, seconds=seconds)
    found = None if proof is None else Found(proof.value, (proof.rule,), proof.times)
    budget.seen[expr] = found
    return found


def _solve(expr: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
           seconds: float) -> Found | None:
    found = _direct(expr, t, budget, seconds)
    if found is not None or depth <= 0 or sympy.count_ops(expr) > FORM_OPS:
        return found
    for method, rewrite in _REWRITINGS:
        result = rewrite(expr, t, depth, budget, seconds)
        if result is not None:
            return Found(result.value, (method, *result.methods), result.times)
    return None


def _by_parts(expr: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
              seconds: float) -> Found | None:
    """The limit laws, each part's limit proved by any method."""
    from derive.verify.claims import combined_limit

    if not expr.has(t) or expr == t:
        return None
    if not (expr.is_Add or expr.is_Mul or (expr.is_Pow and not expr.exp.has(t))
            or isinstance(expr, _CONTINUOUS)):
        return None
    parts = []
    for arg in expr.args:
        if not arg.has(t):
            parts.append(Found(arg, ()))
            continue
        found = _solve(arg, t, depth - 1, budget, seconds)
        if found is None:
            return None
        parts.append(found)
    value = combined_limit(expr.func, [p.value for p in parts])
    if value is None:
        return None
    methods = tuple(dict.fromkeys(m for p in parts for m in p.methods))
    return Found(value, methods, max((p.times for p in parts), default=0))


def _powers(expr: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
            seconds: float) -> Found | None:
    """b^e = exp(e·log b) wherever the exponent has t (b > 0 there: the only real powers
    with a variable exponent)."""
    found = {p: sympy.exp(p.exp * sympy.log(p.base)) for p in expr.atoms(sympy.Pow)
             if p.exp.has(t)}
    if not found:
        return None
    return _solve(expr.xreplace(found), t, depth - 1, budget, seconds)


def _one_denominator(expr: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
                     seconds: float) -> Found | None:
    if not expr.is_Add:
        return None
    together = sympy.cancel(sympy.together(expr))
    if together == expr or together.is_Add:
        return None
    return _solve(together, t, depth - 1, budget, seconds)


def _logarithms(expr: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
                seconds: float) -> Found | None:
    """log a + c log b = log(a b^c): SymPy combines only arguments it knows are positive,
    and every logarithm of f has a positive argument where f is real."""
    if not expr.is_Add or len([a for a in expr.args if a.has(sympy.log)]) < 2:
        return None
    combined = sympy.logcombine(expr)
    if combined == expr:
        return None
    inner = {node: sympy.log(sympy.cancel(node.args[0])) for node in combined.atoms(sympy.log)}
    return _solve(combined.xreplace(inner), t, depth - 1, budget, seconds)


def _conjugate(expr: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
               seconds: float) -> Found | None:
    """A + B = (A² − B²)/(A − B), B the terms with a square root of t in them. A − B ≠ 0 on
    a half-line because A² − B² = (A − B)(A + B) is a nonzero rational function there
    (finitely many roots), or A − B has a proved sign."""
    from derive.verify.claims import sign_beyond

    if not expr.is_Add:
        return None
    rooted = [a for a in expr.args if any(
        p.exp == sympy.S.Half or p.exp == -sympy.S.Half
        for p in a.atoms(sympy.Pow) if p.base.has(t))]
    if not rooted or len(rooted) == len(expr.args):
        return None
    b = sympy.Add(*rooted)
    a = expr - b
    above = sympy.cancel(sympy.expand(a**2 - b**2))
    below = a - b
    nonzero = (above.is_rational_function(t) and above != 0) or sign_beyond(
        below, t, sympy.oo, seconds)
    if not nonzero:
        return None  # A − B may vanish: the identity needs it nonzero
    return _solve(above / below, t, depth - 1, budget, seconds)


def _roots(expr: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
           seconds: float) -> Found | None:
    """P^q = t^{nq}·(P/tⁿ)^q for a polynomial P of degree n with a positive leading
    coefficient (P > 0 on a half-line, t > 0): √(t² + bt + c) = t·√(1 + b/t + c/t²)."""
    found = {}
    for power in expr.atoms(sympy.Pow):
        base, q = power.base, power.exp
        if not (q.is_Rational and not q.is_Integer and base.has(t) and base.is_polynomial(t)):
            continue
        poly = sympy.Poly(base, t)
        n = poly.degree()
        if n < 1 or not poly.LC().is_positive or (base - poly.LC() * t**n) == 0:
            continue
        found[power] = t**(n * q) * sympy.expand(base / t**n)**q
    if not found:
        return None
    return _solve(expr.xreplace(found), t, depth - 1, budget, seconds)


def _leading(total: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
             seconds: float) -> tuple[sympy.Expr, sympy.Expr, list[Found]] | None:
    """(D, c, proofs): a term D of the sum with total = D·(c + o(1)), c ≠ 0, each other
    term's ratio to D proved to have a finite limit."""
    terms = list(sympy.Add.make_args(total))
    if len(terms) == 1:
        return total, sympy.S.One, []
    limits = [_solve(term, t, depth - 1, budget, seconds) for term in terms]
    for dominant, big in zip(terms, limits, strict=True):
        if big is None or big.value not in _INFINITE:
            continue
        ratios = []
        for term in terms:
            if term == dominant:
                continue
            ratio = sympy.powsimp(sympy.cancel(term / dominant), combine="exp")
            found = _solve(ratio, t, depth - 1, budget, seconds)
            if found is None or found.value in _INFINITE:
                break
            ratios.append(found)
        else:
            c = sympy.nsimplify(1 + sympy.Add(*(r.value for r in ratios)))
            if c.is_extended_real and c.is_finite and (c.is_positive or c.is_negative):
                return dominant, c, [big, *ratios]
    return None


def _dominant_quotient(expr: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
                       seconds: float) -> Found | None:
    """N/D = (D_N/D_D)·(c_N + o(1))/(c_D + o(1)): each side's dominant term (see _leading),
    so the limit is lim(D_N/D_D)·c_N/c_D."""
    from derive.verify.claims import combined_limit

    numerator, denominator = sympy.fraction(sympy.together(expr))
    if not denominator.has(t) or not (numerator.is_Add or denominator.is_Add):
        return None
    top = _leading(numerator, t, depth, budget, seconds)
    bottom = _leading(denominator, t, depth, budget, seconds) if top is not None else None
    if top is None or bottom is None:
        return None
    ratio = sympy.powsimp(sympy.cancel(top[0] / bottom[0]), combine="exp")
    found = _solve(ratio, t, depth - 1, budget, seconds)
    if found is None:
        return None
    value = combined_limit(sympy.Mul, [found.value, top[1] / bottom[1]])
    if value is None:
        return None
    proofs = [found, *top[2], *bottom[2]]
    return Found(value, tuple(dict.fromkeys(m for p in proofs for m in p.methods)),
                 max(p.times for p in proofs))


def _dominant(expr: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
              seconds: float) -> Found | None:
    """Σ sᵢ = D (1 + Σ sᵢ/D): the sum tends to c·lim D when c = Σ lim(sᵢ/D) ≠ 0."""
    if not expr.is_Add:
        return None
    found = _leading(expr, t, depth, budget, seconds)
    if found is None:
        return None
    _, c, (big, *ratios) = found
    value = big.value if c.is_positive else -big.value
    proofs = [big, *ratios]
    return Found(value, tuple(dict.fromkeys(m for p in proofs for m in p.methods)),
                 max(p.times for p in proofs))


def _log_of_magnitude(expr: sympy.Expr, t: sympy.Symbol, depth: int, budget: _Budget,
                      seconds: float) -> Found | None:
    """f = s·exp(Σ log|fᵢ|), each factor fᵢ of proved sign sᵢ on a half-line."""
    from derive.verify.claims import sign_of_beyond

    factors = sympy.Mul.make_args(expr)
    if not any(f.has(sympy.exp) or (f.is_Pow and f.exp.has(t)) for f in factors):
        return None  # without an exponential, the leading terms and L'Hôpital suffice
    sign = 1
    logs = []
    for factor in factors:
        if not factor.has(t):
            if factor.is_zero is not False or not (factor.is_positive or factor.is_negative):
                return None
            sign *= 1 if factor.is_positive else -1
            logs.append(sympy.log(abs(factor)))
            continue
        s = sign_of_beyond(factor, t, sympy.oo, seconds)
        if s is None:
            return None
        sign *= s
        logs.append(sympy.expand_log(sympy.log(s * factor)))
    exponent = sympy.Add(*logs)
    found = _solve(exponent, t, depth - 1, budget, seconds)
    if found is None:
        return None
    if found.value is -sympy.oo:
        value: sympy.Expr = sympy.S.Zero
    elif found.value is sympy.oo:
        value = sympy.oo if sign > 0 else -sympy.oo
    else:
        value = sign * sympy.exp(found.value)
    return Found(value, found.methods, found.times)


_CONTINUOUS = (sympy.exp, sympy.log, sympy.tanh, sympy.erf, sympy.erfc, sympy.atan,
               sympy.sinh, sympy.cosh, sympy.asinh, sympy.sin, sympy.cos)

_REWRITINGS = (
    ("each part", _by_parts),
    ("powers as exponentials", _powers),
    ("over one denominator", _one_denominator),
    ("the logarithms combined", _logarithms),
    ("the leading power taken out of each root", _roots),
    ("multiplied by the conjugate", _conjugate),
    ("the dominant term factored out", _dominant),
    ("the dominant terms' quotient", _dominant_quotient),
    ("the logarithm of |f|", _log_of_magnitude),
)
