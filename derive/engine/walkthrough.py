"""From a function to its walkthrough: the differentiation steps, then the algebraic moves.

The set-up applies the rule for the whole function and leaves the derivatives it needs
pending; each later step works one pending derivative out (a sum or a constant factor is
carried into the rule beneath it, as a teacher does), showing the local equation as the
step's focus. Then the expression is reduced, and the strategies in `derive.engine.strategies`
may rewrite it in terms of the function itself.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import sympy
from sympy.core.function import AppliedUndef

from derive.engine import strategies
from derive.engine.dispatch import apply_rule, rule_key
from derive.engine.forms import (
    add,
    cancellations,
    clean,
    evaluate,
    frac,
    mul,
    multiply_through,
    neg,
    pending_nodes,
    power,
    substitute,
)
from derive.engine.named import (
    DENSITY,
    PHI,
    SIGMA,
    IdentityUse,
    as_cited,
    double_angle,
    in_normal,
    in_sigmoid,
    pythagorean,
    recognise,
)
from derive.engine.naming import assign_letters, name_inner_functions
from derive.engine.pieces import defined_step, where_defined
from derive.engine.rules import Application
from derive.engine.simplest import (
    answer,
    arguments_as_derived,
    complexity,
    conventional,
    textbook_order,
)
from derive.model import ASIDE, Definition, Derivation, Fact, Note, Step, as_function, iter_steps

LINEAR = ("sum", "constant multiple")


def build(definition: Definition, *, name: str, search: bool = True) -> Derivation:
    """The unverified walkthrough of d/dx definition.body. `search`: look for a form of f' in
    terms of f beyond the seed's moves (the slow part; a reader of the steps alone skips it)."""
    x = definition.variable
    unknown: set[sympy.Basic] = set()
    notes: list[Note] = []

    # The form as written: catalog functions by name (x σ(x)), or a defining identity.
    shown = definition.written if definition.written is not None else definition.body
    first = _cleared_function(shown, x)  # 1/(1 + 1/x) is x/(x + 1) before any rule
    if first is not None:
        shown = first.facts[0].part("form")
    top = _expand(shown, x, whole=True)
    gaps = _collect(top, x, unknown, notes)
    # The quotient rule's set-up with a constant numerator writes the law's f'g − fg' with its
    # parts as they are (0·g − 1·g', the sigmoid's seed); every other line is written clean.
    law_instance = _law_instance(top)
    cleared = _Cleared()
    template, said = (top.result, ()) if law_instance else cleared(clean(top.result))
    tops = [p for p in pending_nodes(template) if p not in unknown]
    # (a whole step says what it differentiates, as every later step does: its title names it)
    subject = () if tops else (Fact("differentiate", (("expression", shown),)),)
    steps = [Step(rule=top.rule, expr=template, facts=subject + top.facts + said,
                  role="setup" if tops else "whole", law=top.law)]
    if first is not None:
        steps.insert(0, first)
    if top.rule != "unknown":
        steps += _gap_steps(gaps, template, x)

    forms: dict[sympy.Basic, sympy.Basic] = {}
    raw: sympy.Basic = template  # the last line before its fractions were cleared
    deferred: tuple[Fact, ...] = ()
    inner: set[sympy.Basic] = {sympy.Derivative(top.inner, x)} if top.inner is not None else set()
    cited: tuple[sympy.Expr, ...] = ()  # lemmas' values, shown in the order they are cited
    for head in tops:
        current: sympy.Basic = head
        while nodes := [n for n in pending_nodes(current) if n not in unknown]:
            node = nodes[0]
            app = _expand(node.expr, x)
            gaps = _collect(app, x, unknown, notes)
            after = clean(substitute(current, {node: app.result}))
            facts = (Fact("differentiate", (("expression", node.expr),)), *app.facts)
            cited += tuple(f.part("cited") for f in app.facts if f.has("cited"))
            if not [n for n in pending_nodes(after) if n not in unknown]:
                tidy = evaluate(after, keep=unknown)
                # (a cited lemma keeps its citation: it says where the derivative is proved)
                if node in inner and not pending_nodes(app.result) and app.rule != "lemma":
                    worked = Fact("inner derivative", (("inner", node.expr),
                                                       ("derivative", clean(evaluate(app.result)))))
                    facts = (*facts[:1], worked)
                facts = (*facts, *_cancelled(after))  # x·(1/x) = 1 is said, not done silently
                after = as_cited(clean(tidy), cited)
            after, said = cleared(after)
            role = ""
            if node in inner:
                # An inner function that has an inside of its own is named, so that two
                # steps in a row do not carry the same title.
                role = "inner chain" if app.inner is not None else "inner"
            if app.inner is not None:
                inner.add(sympy.Derivative(app.inner, x))
            current = after
            forms[head] = current
            whole = substitute(template, forms)
            if not law_instance:
                # The whole line is shown later (a focus step shows its focus): the words
                # for clearing its fractions go with the step that shows it.
                raw = as_cited(clean(whole), cited)
                whole, more = cleared(raw)
                deferred += more
            if not pending_nodes(whole):
                facts = (*facts, *_number_cancelled(steps[-1].expr, whole, template, forms))
            steps.append(Step(rule=app.rule, expr=whole, facts=(*facts, *said), role=role,
                              law=app.law, focus=(head, current)))
            steps += _gap_steps(gaps, steps[-1].expr, x)

    # A gap stays a gap: rewriting in terms of f would let SymPy take the pending derivative.
    # The seed's moves (add and subtract, split, swap σ in) start from the reduced value as
    # the derivation left it; any other answer ends on its simplest form.
    # (from the line as derived: its cleared form is the same value, written for reading)
    reduced = _nicest(evaluate(raw if deferred else steps[-1].expr, keep=unknown))
    if not unknown:
        reduced = _identities(steps, reduced)
    rewrite = None if unknown else strategies.rewrite_in_terms_of_f(definition, reduced,
                                                                       search=search)
    teaching = rewrite is not None and rewrite.teaches
    if teaching or unknown:
        reduce_step = _reduce(steps[-1], reduced)
    else:
        key = answer(reduced, x, sympy.Tuple(definition.body, *cited), sympy.Tuple(*cited))
        reduce_step = _reduce(steps[-1], _terms_in_line_order(cleared(key)[0], steps[-1].expr, x),
                              as_printed=True)
    if reduce_step is not None:
        steps.append(replace(reduce_step, facts=(*deferred, *reduce_step.facts)))
    elif deferred:
        steps[-1] = replace(steps[-1], facts=(*steps[-1].facts, *deferred))
    if not unknown:  # one set of cases, with values only where the derivative exists
        defined = where_defined(evaluate(steps[-1].expr), definition.body, x)
        if defined is not None:
            steps.append(defined_step(defined, x))
    if not teaching and not unknown:
        named = (_recognise(steps[-1].expr) or _in_sigmoid(steps[-1].expr, x, definition.body)
                 or _in_normal(steps[-1].expr, x, definition.body))
        if named is not None:
            steps.append(named)
    if strategies.value_symbol_taken(definition):
        notes.append(Note("symbol f taken", (("name", sympy.Symbol(definition.name)),)))
    closing = None
    if teaching and rewrite is not None:
        steps.extend(rewrite.steps)  # the seed's moves: the answer is written in σ itself
        closing = rewrite.closing
    elif rewrite is not None and _worth_showing(rewrite, steps[-1].expr, name):
        steps.extend(replace(s, role=ASIDE) for s in rewrite.steps)
        closing = rewrite.closing
    if closing is not None:
        closing = _with_new_work(closing, definition)
    steps = [_without_self_citation(s, name) for s in steps]
    lemmas = _lemmas(steps, definition)
    names: tuple[Definition, ...] = ()
    if not teaching and not unknown:  # the seed's moves write σ in; nothing is named there
        steps, names = name_inner_functions(steps, definition)
        lemmas = (*lemmas, *names)
    steps = assign_letters(steps, definition, names)
    return Derivation(name=name, function=definition, variable=x, steps=_label(steps),
                      reference=as_function(sympy.diff(definition.body, x)), notes=tuple(notes),
                      closing=closing, in_terms_of_f=rewrite.in_terms_of_f if rewrite else None,
                      unknown=tuple(sorted(unknown, key=sympy.default_sort_key)), lemmas=lemmas)


def _terms_in_line_order(form: sympy.Basic, line: sympy.Basic, x: sympy.Symbol) -> sympy.Basic:
    """The answer's terms that stand unchanged in the line before it, first and in that
    line's order (mish': tanh(softplus x) + xσ(x)/cosh²(softplus x), as the product rule
    gave it; SymPy's order would put the fraction first), so the reader can compare the two
    lines term by term. A polynomial keeps its descending powers."""
    if not isinstance(form, sympy.Add) or form.is_polynomial(x):
        return form
    before = [evaluate(t) for t in sympy.Add.make_args(clean(line))]
    terms = list(form.args)
    values = [evaluate(t) for t in terms]
    placed = sorted((before.index(v), i) for i, v in enumerate(values) if v in before)
    if not placed or [i for _, i in placed] == list(range(len(placed))):
        return form
    first = [terms[i] for _, i in placed]
    if first[0].could_extract_minus_sign() and not terms[0].could_extract_minus_sign():
        return form  # a sum opens without a minus sign (x cos x − sin x), as textbook_order has it
    return add(*first, *(t for i, t in enumerate(terms) if i not in {j for _, j in placed}))


def _number_cancelled(before: sympy.Basic, after: sympy.Basic, template: sympy.Basic,
                      worked: dict[sympy.Basic, sympy.Basic]) -> tuple[Fact, ...]:
    """The number a line's tidying cancels between numerator and denominator (the chain
    rule's 2x over 2√(1 + x²) shown as x/√(1 + x²): the 2), said, not done silently, with
    the line as it stood before cancelling (the set-up's `template` with the derivatives
    `worked` out put in) where it is one fraction: the reader sees the 2 above and below."""
    was, now = _denominator_number(before), _denominator_number(after)
    if was is None or now is None or was == now:
        return ()
    ratio = was / now
    if not ratio.is_Integer or ratio <= 1:
        return ()
    parts: tuple[tuple[str, sympy.Basic], ...] = (("factor", ratio),)
    uncancelled = _as_one_fraction(template, worked)
    if uncancelled is not None:
        parts += (("before", uncancelled), ("after", after))
    return (Fact("cancels", parts),)


def _as_one_fraction(line: sympy.Basic, worked: dict[sympy.Basic, sympy.Basic]) -> sympy.Expr | None:
    """`line`, one fraction, with `worked` put in and nothing evaluated (2x over 2√(1 + x²));
    None where the line is not one fraction or still has a derivative pending."""
    from derive.engine.forms import Frac, split_quotient

    if isinstance(line, Frac):
        numerator, denominator = line.numerator, line.denominator
    elif isinstance(line, sympy.Mul):
        numerator, denominator = split_quotient(line)
    else:
        return None
    top = clean(substitute(numerator, worked))
    if denominator == 1 or pending_nodes(top) or pending_nodes(denominator):
        return None
    return frac(top, denominator)


def _denominator_number(expr: sympy.Basic) -> sympy.Expr | None:
    """The number in front of a line's denominator as written (2 in x/(2√u)); None when
    the line is not one fraction."""
    from derive.engine.forms import Frac, split_quotient

    if isinstance(expr, Frac):
        denominator = expr.denominator
    elif isinstance(expr, sympy.Mul):
        denominator = split_quotient(expr)[1]
    else:
        return None
    number = sympy.S.One
    for factor in sympy.Mul.make_args(denominator):
        if factor.is_Number:
            number *= factor
    return abs(number)


def _cleared_function(function: sympy.Expr, x: sympy.Symbol) -> Step | None:
    """A fraction with fractions inside its numerator or denominator, 1/(1 + 1/x), is cleared
    before it is differentiated, as a teacher does: numerator and denominator multiplied by
    the inner denominators' least common multiple (x), giving x/(x + 1). The step shows
    f'(x) = d/dx of the new form and is verified like any other. None for any other function."""
    from derive.engine.forms import split_quotient

    numerator, denominator = split_quotient(function)
    if not denominator.has(x):
        return None
    # (as written: e^{-x} is no fraction here, as SymPy's denom would make it)
    inner = [split_quotient(term)[1] for side in (numerator, denominator)
             for factor in sympy.Mul.make_args(side) if factor.is_Add
             for term in factor.args if split_quotient(term)[1].has(x)]
    if not inner:
        return None
    try:
        factor = sympy.lcm(inner) if len(inner) > 1 else inner[0]
        form = sympy.cancel(sympy.together(function))
    except (sympy.PolynomialError, ValueError, TypeError):  # generators SymPy cannot order
        return None
    if form == function or form.has(sympy.zoo, sympy.nan) or not (form.is_Mul or form.is_Pow):
        return None
    return Step(rule="clear fractions", expr=sympy.Derivative(form, x), facts=(Fact(
        "clear fractions", (("form", form), ("function", function), ("factor", factor))),))


def _identities(steps: list[Step], reduced: sympy.Expr) -> sympy.Expr:
    """Where the reduced derivative holds cosh²u − sinh²u or cos²u + sin²u, show the reduced
    form, then use the identity by name as a step of its own (tanh' = (cosh² − sinh²)/cosh²
    = 1/cosh²); the value from there on is the one the identity gave."""
    use = _identity_for(reduced)
    if use is None:
        return reduced
    from derive.words.printer import to_latex

    last = steps[-1]
    # Where we left off (the step before showed only its focus), unless the reduced form reads
    # differently: then the reduce step shows it.
    restate: tuple[Step, ...] = ()
    if to_latex(reduced) != to_latex(clean(last.expr)):
        shown = _reduce(last, reduced)
        if shown is not None:
            steps.append(shown)
    elif last.focus is not None:
        restate = (Step(rule="restate", expr=last.expr),)
    for _ in range(_MAX_IDENTITIES):
        if use is None:
            break
        steps.append(Step(rule=use.rule, expr=use.expr, substeps=restate, law=use.law, facts=(Fact(
            use.rule, (("identity", use.identity), ("instance", use.instance),
                       ("value", use.value), ("equals", use.equals))),)))
        restate = ()
        reduced = _nicest(use.expr)
        use = _identity_for(reduced)
    return reduced


def _identity_for(value: sympy.Expr) -> IdentityUse | None:
    """The identity a teacher would use next on the reduced derivative: a Pythagorean pair,
    or a double angle where it shortens what a reader sees (π sin 2πθ for
    2π sin πθ cos πθ; 2 sin x cos x stays, as long as sin 2x)."""
    from derive.words.printer import printed_symbols

    use = pythagorean(value)
    if use is not None:
        return use
    use = double_angle(value)
    if use is not None and printed_symbols(_nicest(use.expr)) < printed_symbols(value):
        return use
    return None


_MAX_IDENTITIES = 3  # a bound, not a clock: each use removes one pair


def _without_self_citation(step: Step, name: str) -> Step:
    """The tanh walkthrough does not cite "the tanh walkthrough" for tanh' (where it still
    differentiates tanh x by the table)."""
    if not any(str(f.part("walkthrough")) == name for f in step.facts):
        return step
    facts = tuple(Fact(f.rule, tuple(p for p in f.parts if not (
        p[0] == "walkthrough" and str(p[1]) == name))) for f in step.facts)
    return replace(step, facts=facts)


def _lemmas(steps: list[Step], definition: Definition) -> tuple[Definition, ...]:
    """The catalog functions the steps write by name (σ recognised in softplus', ReLU cited in
    relu(x - 1)', the standard normal's Φ and φ in GELU'), so that the verifier reads them
    as their bodies and the words name them."""
    from derive.parse.catalog import heads_in

    found: dict[str, Definition] = {}
    for step in iter_steps(tuple(steps)):
        shown: list[sympy.Basic] = [step.expr, *(step.focus or ())]
        shown += [value for fact in step.facts for _, value in fact.parts]
        for expr in shown:
            for lemma in heads_in(expr):
                if lemma.name != definition.name:  # f itself, written back in
                    found.setdefault(lemma.name, lemma)
            for named in (PHI, DENSITY):  # the standard normal's, named where recognised
                if expr.has(named.head):
                    found.setdefault(named.name, named)
    return tuple(found[name] for name in sorted(found))


class _Cleared:
    """Multiplies a line through where a fraction sits in a numerator (forms.multiply_through),
    saying so once per factor: a later line that shows the same cleared form needs no word."""

    def __init__(self) -> None:
        self.said: set[sympy.Expr] = set()

    def __call__(self, expr: sympy.Basic) -> tuple[sympy.Basic, tuple[Fact, ...]]:
        form, factors = multiply_through(expr)
        new = [f for f in factors if f not in self.said]
        self.said.update(new)
        return form, tuple(Fact("multiply through", (("factor", f),)) for f in new)


def _with_new_work(closing: Fact, definition: Definition) -> Fact:
    """The backpropagation moral with what the backward pass must compute anew: each
    function the form of f' applies that the forward pass never evaluated (cos x² in
    sin(x²)/x's f' = 2cos x² − f/x), so the document does not claim nothing is new."""
    computed = set(sympy.preorder_traversal(definition.body))
    new: list[sympy.Basic] = []
    for node in sympy.preorder_traversal(closing.part("form")):
        if (isinstance(node, sympy.Function)
                and not isinstance(node, AppliedUndef | sympy.Piecewise)
                and node not in computed and not any(node in n.args for n in new)
                and node not in new):
            new.append(node)
    if not new:
        return closing
    return Fact(closing.rule, (*closing.parts, ("anew", sympy.Tuple(*new)),
                               ("meaning", sympy.Tuple(*(_in_x(n, definition) for n in new)))))


def _in_x(node: sympy.Basic, definition: Definition) -> sympy.Basic:
    """What a function of f's value the backward pass computes anew is, in the reader's
    terms, where that is a named function: e^{logsigmoid(x)} = σ(x), e^{−softplus(x)} =
    σ(−x) (f replaced by its body, SymPy's own evaluation, then σ recognised); the node
    itself otherwise (cos x² is what it is)."""
    value = node.xreplace({definition.applied(): definition.body})
    named, piece = recognise(value)
    return named if piece is not None and not named.has(sympy.exp) else node


def _worth_showing(rewrite: strategies.Rewrite, result: sympy.Expr, name: str) -> bool:
    """The form in terms of f follows the Result as its own line for an activation (the
    backward pass reuses f), or where it is shorter than the answer in x."""
    from derive.parse.catalog import is_named

    form = rewrite.steps[-1].expr
    return is_named(name) or sympy.count_ops(form) < sympy.count_ops(result)


def _expand(expr: sympy.Expr, x: sympy.Symbol, *, whole: bool = False) -> Application:
    """Apply the rule for expr; a sum or constant factor with one derivative left to take
    goes straight on into the rule beneath it, in the same step. `whole`: expr is the whole
    function (a constant factor keeps it whole: 3/(1 + e^{-x}) is still a fraction)."""
    app = apply_rule(expr, x, whole=whole)
    kids = pending_nodes(app.result)
    if app.rule in LINEAR and len(kids) == 1:
        below = _expand(kids[0].expr, x, whole=whole and app.rule == "constant multiple")
        result = substitute(app.result, {kids[0]: below.result})
        return Application(below.rule, expr, result, app.facts + below.facts,
                           below.law, below.inner, below.note)
    return app


def _collect(app: Application, x: sympy.Symbol, unknown: set[sympy.Basic],
             notes: list[Note]) -> list[sympy.Derivative]:
    """Remember the derivatives no rule covers (they stay pending) and the caveats to show;
    the newly found ones are returned, for a step each."""
    found = []
    for node in pending_nodes(app.result):
        # also a rule that gave up on its input (max/min SymPy cannot cut into pieces):
        # its derivative would otherwise be expanded again, for ever
        if node not in unknown and (rule_key(node.expr, x) == "unknown" or app.rule == "unknown"):
            unknown.add(node)
            found.append(node)
            notes.append(Note("no rule", (("expression", node.expr),)))
    if app.note and app.note not in notes:
        notes.append(app.note)
    return found


def _gap_steps(gaps: list[sympy.Derivative], expr: sympy.Expr, x: sympy.Symbol) -> list[Step]:
    """A step of rule `unknown` for each derivative no rule covers: the gap is shown where
    it opens, and the verifier calls that step undecided."""
    steps = []
    for node in gaps:
        app = apply_rule(node.expr, x)
        steps.append(Step(rule=app.rule, expr=expr, facts=app.facts))
    return steps


def _recognise(last: sympy.Expr) -> Step | None:
    """A step writing e^{u}/(1 + e^{u}) as σ(u), where the answer has it."""
    named, piece = recognise(last)
    if named == last or piece is None:
        return None
    sigma = next(n for n in sympy.preorder_traversal(named) if isinstance(n, SIGMA.head))
    body = SIGMA.body.subs(SIGMA.variable, sigma.args[0])
    return Step(rule="recognise", expr=named,
                facts=(Fact("recognise", (("function", sigma), ("piece", piece),
                                          ("body", body))),))


def _in_sigmoid(last: sympy.Expr, x: sympy.Symbol, written: sympy.Expr) -> Step | None:
    """A step writing a rational function of e^u in σ(u) where that is shorter to read:
    BCE with logits ends on σ(x) − y, the fact every ML student uses. The step says how:
    e^u = σ(u)/(1 − σ(u)), substituted and cancelled."""
    from derive.words.printer import printed_symbols

    if isinstance(last, sympy.Piecewise) or last.has(SIGMA.head):
        return None
    found = in_sigmoid(evaluate(last), x)
    if found is None:
        return None
    form, u = found
    form = textbook_order(form, x, written)
    if printed_symbols(form) >= printed_symbols(last):
        return None
    sigma = SIGMA.head(u)
    return Step(rule="in sigmoid", expr=form, facts=(Fact("in sigmoid", (
        ("function", sigma), ("exponential", sympy.exp(u)), ("ratio", sigma / (1 - sigma)),
        ("body", sympy.exp(u) / (1 + sympy.exp(u))), ("before", last), ("after", form))),))


def _in_normal(last: sympy.Expr, x: sympy.Symbol, written: sympy.Expr) -> Step | None:
    """A step writing erf and the Gaussian in the standard normal Φ and φ where that is
    shorter to read: GELU' = Φ(x) + xφ(x), as the GELU paper writes GELU = xΦ(x)."""
    from derive.words.printer import printed_symbols

    if isinstance(last, sympy.Piecewise):
        return None
    form = in_normal(evaluate(last))
    if form is None:
        return None
    # Φ first, then its density: Φ(x) + xφ(x), as the GELU paper writes it
    terms = sorted(sympy.Add.make_args(form), key=lambda t: t.has(DENSITY.head))
    form = textbook_order(add(*terms), x, written)
    if printed_symbols(form) >= printed_symbols(last):
        return None
    # each named function defined in the walkthrough's own variable (u may be taken)
    shown = {PHI.name: frac(add(1, sympy.erf(mul(x, power(sympy.sqrt(2), -1)))), 2),
             DENSITY.name: frac(sympy.exp(neg(frac(power(x, 2), 2))),
                                power(mul(2, sympy.pi), sympy.Rational(1, 2)))}
    parts = [(d.name, sympy.Eq(d.head(x), shown[d.name], evaluate=False))
             for d in (PHI, DENSITY) if form.has(d.head)]
    return Step(rule="in normal", expr=form, facts=(Fact("in normal", (
        *parts, ("before", last), ("after", form))),))


def _law_instance(top: Application) -> bool:
    """The quotient rule applied to c/g at the top: its set-up shows 0·g − c·g' on purpose."""
    if top.rule != "quotient":
        return False
    numerator = top.facts[0].part("numerator")
    return numerator is not None and not numerator.has(*top.expr.free_symbols)


def _reduce(last: Step, value: sympy.Expr, *, as_printed: bool = False) -> Step | None:
    from derive.words.printer import to_latex, to_text

    # A step that changes nothing a reader sees is no step: compare as printed (the answer
    # key's form also as the page prints it: 10(4x³ − x)⁹(12x² − 1) in either order of terms).
    if value == last.expr or to_text(value) == to_text(clean(last.expr)) \
            or (as_printed and to_latex(value) == to_latex(last.expr)):
        return None
    zero_terms = any(a.is_Mul and sympy.S.Zero in a.args for a in sympy.preorder_traversal(last.expr))
    parts: list[tuple[str, sympy.Basic]] = [("zero_terms", sympy.true)] if zero_terms else []
    parts += reduction_moves(last.expr, value)
    fact = Fact("reduce", tuple(parts))
    # A factor that cancels is said; when cancelling is all the step does, it is the step.
    cancelled = _cancelled(last.expr)
    if cancelled:
        rest = substitute(last.expr, {f.part("product"): f.part("value") for f in cancelled})
        only = evaluate(clean(rest)) == evaluate(value)
        facts: tuple[Fact, ...] = (*cancelled, *(() if only else (fact,)))
    else:
        facts = (fact,)
    # Show where we left off when the previous step only showed its focus.
    substeps = (Step(rule="restate", expr=last.expr),) if last.focus is not None else ()
    return Step(rule="reduce", expr=value, facts=facts, substeps=substeps)


def _cancelled(expr: sympy.Basic) -> tuple[Fact, ...]:
    """A fact for each product in which a factor cancels out (x·1/x = 1): what it is, the
    factor and what is left."""
    return tuple(Fact("cancel factor", (("product", product), ("factor", factor),
                                        ("value", clean(evaluate(product)))))
                 for product, factor in cancellations(expr))


# A quotient an answer key writes as one function: tanh u for sinh u/cosh u.
_QUOTIENTS = {
    sympy.tanh: (sympy.sinh, sympy.cosh), sympy.coth: (sympy.cosh, sympy.sinh),
    sympy.tan: (sympy.sin, sympy.cos), sympy.cot: (sympy.cos, sympy.sin),
}
# A reciprocal function the reduced form writes as one over its base: sec u as 1/cos u.
_RECIPROCALS = {sympy.sec: sympy.cos, sympy.csc: sympy.sin,
                sympy.sech: sympy.cosh, sympy.csch: sympy.sinh}
# Beyond this size the common factor of a fraction is not looked for (gcd of big polynomials).
_MOVES_MAX_OPS = 150


def reduction_moves(before: sympy.Basic, after: sympy.Expr) -> list[tuple[str, sympy.Basic]]:
    """What a reduce step does, as facts for its sentence: the quotients written as one
    function (sinh x/cosh x as tanh x), the common factor cancelled from a fraction, the
    factor taken out of a sum, the terms put over one denominator; none of these: the
    terms are multiplied out and collected."""
    value = evaluate(before)
    parts: list[tuple[str, sympy.Basic]] = []
    rewritten = [(sympy.Mul(top(*n.args), 1 / bottom(*n.args), evaluate=False), n)
                 for n in sorted(after.atoms(*_QUOTIENTS), key=sympy.default_sort_key)
                 if sympy.expand(n.args[0]) not in {
                     sympy.expand(m.args[0]) for m in value.atoms(type(n))}
                 for top, bottom in (_QUOTIENTS[type(n)],)]
    rewritten += _squares_rewritten(value, after)
    if rewritten:
        parts.append(("rewritten", sympy.Tuple(*(sympy.Tuple(q, n) for q, n in rewritten))))
        return parts
    reciprocals = [(r, frac(1, base(*r.args))) for r in sorted(
        value.atoms(*_RECIPROCALS), key=sympy.default_sort_key)
        for base in (_RECIPROCALS[type(r)],) if not after.has(r) and after.has(base(*r.args))]
    if reciprocals:
        parts.append(("reciprocals", sympy.Tuple(*(sympy.Tuple(r, q) for r, q in reciprocals))))
    if sympy.count_ops(value) <= _MOVES_MAX_OPS:
        # the fraction as derived (together() would already cancel what sits in every term)
        numerator, denominator = sympy.fraction(value)
        if denominator == 1:
            numerator, denominator = sympy.fraction(sympy.together(value))
        try:
            common = sympy.gcd(numerator, denominator)
        except (sympy.PolynomialError, NotImplementedError, TypeError, ValueError):
            common = sympy.S.One
        if common.free_symbols:
            parts.append(("cancelled", sympy.factor(common)))
    coefficient, factors = sympy.Mul(*(f for f in sympy.Mul.make_args(after)
                                       if not (f.is_Pow and f.exp.is_negative))).as_coeff_mul()
    sums = [f for f in factors if f.is_Add]
    outside = [f for f in factors if not f.is_Add]
    if sums and (outside or abs(coefficient) != 1) and not _a_product(value):
        parts.append(("factored", sympy.Mul(abs(coefficient), *outside)))
        if not (value.is_Add and len(sums) == 1 and len(sums[0].args) == len(value.args)):
            parts.append(("collected", sympy.true))  # the terms changed, not only moved out
    if after.is_Mul and any(f.is_Pow and f.exp.is_negative for f in sympy.Mul.make_args(after)) \
            and value.is_Add and not parts:
        parts.append(("combined", sympy.fraction(sympy.together(after))[1]))
    elif not parts and after.is_Add and _terms_of(before) == set(after.args):
        parts.append(("reordered", sympy.true))
    elif not parts and not after.is_Add and (base := _repeated_base(before)) is not None:
        parts.append(("powers", base))
    elif after.is_Add and not parts and value.is_Mul and sympy.fraction(value)[0].is_Add \
            and sympy.fraction(value)[1] != 1:
        parts.append(("divided", sympy.fraction(value)[1]))
    return parts


# 1 − tanh²u = 1/cosh²u and 1 + tan²u = 1/cos²u: the forms simplify() writes for a lemma's
# 1 − tanh²u (mish'), said as the move they are.
_SQUARES = ((sympy.tanh, sympy.cosh, -1), (sympy.tan, sympy.cos, 1))


def _squares_rewritten(value: sympy.Expr, after: sympy.Expr) -> list[tuple[sympy.Expr, sympy.Expr]]:
    """(1 ∓ t²(u), 1/c²(u)) for each square of tanh (tan) the derivation had that the reduced
    form writes as one over the square of cosh (cos)."""
    found = []
    for square, below, sign in _SQUARES:
        for node in sorted(value.atoms(square), key=sympy.default_sort_key):
            u = node.args[0]
            squared = sympy.Pow(node, 2)
            if squared in value.atoms(sympy.Pow) and squared not in after.atoms(sympy.Pow) \
                    and sympy.Pow(below(u), -2) in after.atoms(sympy.Pow):
                found.append((add(1, mul(sign, power(node, 2)) if sign > 0
                                  else neg(power(node, 2))), frac(1, power(below(u), 2))))
    return found


def _terms_of(expr: sympy.Basic) -> set[sympy.Basic]:
    """The terms of a line as shown, each evaluated (−sin²x and cos²x)."""
    shown = clean(expr)
    return {evaluate(t) for t in sympy.Add.make_args(shown)} if isinstance(shown, sympy.Add) else set()


def _repeated_base(expr: sympy.Basic) -> sympy.Expr | None:
    """A base two factors of one product share (x in x^{-k}·k·x^{k−1}), as the line shows it."""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Mul):
            bases = [f.as_base_exp()[0] for f in node.args if not f.is_Number]
            for base in bases:
                if bases.count(base) > 1:
                    return base
    return None


def _a_product(value: sympy.Expr) -> bool:
    """Whether the value already is a product of the same shape (nothing was taken out)."""
    return value.is_Mul and any(f.is_Add for f in sympy.Mul.make_args(value))


@lru_cache(maxsize=256)
def _nicest(value: sympy.Expr) -> sympy.Expr:
    """The value, or with common factors pulled out of a sum when that is shorter (kept per
    value: factor_terms is not in SymPy's cache)."""
    if not value.is_Add:
        return value
    factored = arguments_as_derived(sympy.factor_terms(value), value)
    if factored == value or not conventional(factored, value):
        return value
    return min((value, factored), key=lambda e: (complexity(e), len(str(e))))


def _label(steps: list[Step]) -> tuple[Step, ...]:
    labelled = []
    number = 0
    for i, step in enumerate(steps):
        if step.role == ASIDE:
            labelled.append(step)
            continue
        if i == 0 and len(steps) > 1 and step.focus is None and steps[1].focus is not None:
            labelled.append(replace(step, label="Set-up"))
            continue
        number += 1
        labelled.append(replace(step, label=f"Step {number}"))
    return tuple(labelled)
