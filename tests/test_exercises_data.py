"""The exercise data (tests/data/exercises/) reads: every line parses in derive's syntax, names
its variable, and every file says where it comes from and under which licence."""

from __future__ import annotations

import pytest
from exercises import FOLDER, activations, exercises, losses, textbook

from derive.parse.expression import parse_expression


def test_enough_real_exercises():
    assert len(textbook()) >= 250
    names = {case.label.split("(")[0].strip() for case in activations()}
    for module in ("ELU", "Hardshrink", "Hardsigmoid", "Hardtanh", "Hardswish", "LeakyReLU",
                   "LogSigmoid", "ReLU", "ReLU6", "SELU", "CELU", "GELU", "Sigmoid", "SiLU",
                   "Mish", "Softplus", "Softshrink", "Softsign", "Tanh", "Tanhshrink", "Threshold"):
        assert module in names, module
    assert len(losses()) >= 10


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.txt")), ids=lambda p: p.name)
def test_every_file_names_its_source_and_licence(path):
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any(line.startswith("# Source:") for line in header)
    assert any(line.startswith("# Licence:") for line in header)


def test_every_exercise_parses_and_has_its_variable():
    ids = set()
    for case in exercises():
        expr = parse_expression(case.text)
        assert case.variable in {str(s) for s in expr.free_symbols}, case.id
        ids.add(case.id)
    assert len(ids) == len(exercises())
