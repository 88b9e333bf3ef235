"""The .bnet reader/writer and Boolean expressions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from boolfate.bnet import format_bnet, parse_bnet, read_bnet
from boolfate.errors import BnetSyntaxError, UndefinedRegulatorError
from boolfate.expr import Const, Var, evaluate, format_expr, parse_expr
from tests.strategies import networks


def test_header_optional_comments_and_constants() -> None:
    text = """
# full-line comment
targets, factors
a, 1            # inline comment
b, false
c, a & !b | (TRUE_ish)
TRUE_ish, 0
"""
    net = parse_bnet(text)
    assert net.nodes == ("a", "b", "c", "TRUE_ish")
    assert net.functions["a"] == Const(True)
    assert net.functions["b"] == Const(False)


def test_without_header() -> None:
    assert parse_bnet("a, !a").nodes == ("a",)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a, b &\nb, b", "<string>:1:7: expected a node name, '(' or a constant after '&'"),
        ("a, (b\nb, b", "<string>:1:6: missing ')'"),
        ("a, b $ a\nb, b", "<string>:1:6: unexpected '$'"),
        ("a, $\n", "<string>:1:4: expected a node name, '(' or a constant, got '$'"),
        ("a b\n", "<string>:1:1: expected 'target, function'"),
        ("a, a\n\na, !a", "<string>:3:1: duplicate rule for 'a' (first defined on line 1)"),
        ("a, a b", "<string>:1:6: unexpected 'b' after a complete expression"),
    ],
)
def test_syntax_errors_carry_line_and_column(text: str, fragment: str) -> None:
    with pytest.raises(BnetSyntaxError) as info:
        parse_bnet(text)
    assert fragment in str(info.value)


def test_undefined_regulator_is_an_error() -> None:
    with pytest.raises(UndefinedRegulatorError, match=r"'MOMP' is used in the rule for 'Cyt_c'"):
        parse_bnet("x, x\nCyt_c, MOMP & x", source="m.bnet")


def test_read_bnet_names_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.bnet"
    path.write_text("a, a\nb, a |\n")
    with pytest.raises(BnetSyntaxError, match=r"broken\.bnet:2:7"):
        read_bnet(path)


def test_expression_format_round_trip() -> None:
    for text in ["a", "!a", "a & (b | !c)", "!(a & b) | c & d", "1", "a | b | c & !(d | e)"]:
        expr = parse_expr(text)
        assert parse_expr(format_expr(expr)) == expr


def test_evaluate() -> None:
    expr = parse_expr("!a & (b | c)")
    assert evaluate(expr, {"a": 0, "b": 0, "c": 1})
    assert not evaluate(expr, {"a": 1, "b": 1, "c": 1})
    assert parse_expr("x") == Var("x")


@settings(max_examples=60, deadline=None)
@given(networks())
def test_format_then_parse_gives_the_same_network(net) -> None:  # type: ignore[no-untyped-def]
    again = parse_bnet(format_bnet(net), name=net.name)
    assert again == net
