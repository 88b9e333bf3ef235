"""The .bnet reader/writer and Boolean expressions."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings

from boolfate.bnet import ImplicitInputsWarning, format_bnet, parse_bnet, read_bnet
from boolfate.errors import BnetSyntaxError, NotTextError, UndefinedRegulatorError
from boolfate.expr import Const, Var, evaluate, format_expr, parse_expr
from boolfate.logic import _bdd_primes, _primes, edge_sign, negation, prime_implicants, truth_table
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


def test_undefined_regulator_is_an_error_when_strict() -> None:
    with pytest.raises(UndefinedRegulatorError, match=r"'MOMP' is used in the rule for 'Cyt_c'"):
        parse_bnet("x, x\nCyt_c, MOMP & x", source="m.bnet", strict=True)


def test_undeclared_regulators_become_inputs_with_one_warning() -> None:
    with pytest.warns(ImplicitInputsWarning) as caught:
        net = parse_bnet("x, v_EGF & y\nz, !v_TNF | v_EGF\ny, y", source="m.bnet")
    assert len(caught) == 1
    assert str(caught[0].message) == (
        "m.bnet: 2 names have no rule of their own and are read as inputs: v_EGF, v_TNF"
    )
    assert net.nodes == ("x", "z", "y", "v_EGF", "v_TNF")
    assert net.implicit_inputs == ("v_EGF", "v_TNF")
    assert set(net.inputs) == {"y", "v_EGF", "v_TNF"}


def test_dialect_of_the_corpus() -> None:
    text = "\ufefftargets,factors\r\n# c\r\n4EBP1, !mTOR ^ S6K\r\nmTOR, TRUE\r\nS6K, 0\r\n"
    net = parse_bnet(text)
    assert net.nodes == ("4EBP1", "mTOR", "S6K")
    table = [
        evaluate(net.functions["4EBP1"], {"mTOR": m, "S6K": s}) for m in (0, 1) for s in (0, 1)
    ]
    assert table == [True, False, False, True]  # !mTOR ^ S6K, '!' binding tightest
    assert parse_expr("a | b ^ c & d") == parse_expr("a | (b & !c | !b & c) & d")


def test_header_anywhere_before_the_first_rule_only() -> None:
    assert parse_bnet("# c\n\ntargets, factors\na, a").nodes == ("a",)
    with pytest.raises(BnetSyntaxError, match=r"<string>:2:1: the 'targets, factors' header"):
        parse_bnet("factors, factors\ntargets, factors")


@pytest.mark.parametrize("name", ["true", "FALSE", "0", "1"])
def test_constants_are_not_node_names(name: str) -> None:
    with pytest.raises(BnetSyntaxError, match=rf"<string>:2:1: '{name}' is a constant"):
        parse_bnet(f"a, a\n{name}, a")


def test_not_utf8_and_bom(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "m.bnet"
    bad.write_bytes(b"a, a\n\xff, a\n")
    with pytest.raises(NotTextError, match=r"m\.bnet:2:1: not UTF-8 text"):
        read_bnet(bad)
    good = tmp_path / "bom.bnet"
    good.write_bytes("a, !a\n".encode("utf-8-sig"))
    assert read_bnet(good).nodes == ("a",)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("(" * 330 + "a" + ")" * 330, "a"),
        ("!" * 199 + "a", "!" * 199 + "a"),
        ("!" * 500 + "a", "nests operators more than 200 levels"),
        ("(a & (" * 250 + "b" + "))" * 250, " & ".join(["a"] * 250) + " & b"),
        ("(a & (b | " * 110 + "c" + "))" * 110, "nests operators more than 200 levels"),
        (" & ".join(["a"] * 100_000), " & ".join(["a"] * 100_000)),
        (" & ".join(f"x{i}" for i in range(100_000)), "x99999"),
    ],
    ids=[
        "330-parens",
        "199-not",
        "500-not",
        "250-nested-chain",
        "220-alternating",
        "100k-terms",
        "100k-names",
    ],
)
def test_deep_and_long_rules_end_quickly(text: str, outcome: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImplicitInputsWarning)
        try:
            net = parse_bnet("a, " + text)
        except BnetSyntaxError as err:
            assert outcome in str(err)
            assert "\n" not in str(err)
            return
    formatted = format_expr(net.functions["a"])
    assert formatted == outcome or formatted.endswith(outcome)
    again = parse_bnet(format_bnet(net))
    assert again == net


@settings(max_examples=80, deadline=None)
@given(networks(max_nodes=6))
def test_bdd_prime_implicants_equal_quine_mccluskey(net) -> None:  # type: ignore[no-untyped-def]
    for _, func in net.rules:
        for expr in (func, negation(func)):
            names, table = truth_table(expr)
            assert _bdd_primes(expr, names) == _primes(names, table)


def _wide_network(k: int) -> str:
    """k inputs, a k-regulator rule and a dense 13-regulator rule (slow for truth tables)."""
    lines = [f"i{j}, i{j}" for j in range(k)]
    lines.append("w, " + " | ".join(f"i{2 * j} & !i{2 * j + 1}" for j in range(k // 2)))
    lines.append("z, " + " & ".join(f"(i{j} | !i{j + 1} | w)" for j in range(13)))
    lines.append("out, w & !z | out & z")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("k", [20, 30])
def test_rules_with_20_to_30_regulators(k: int) -> None:
    from boolfate.engines import attractors
    from boolfate.percolation import percolate
    from boolfate.perturbations import Perturbation, apply

    net = parse_bnet(_wide_network(k))
    assert len(net.regulators("w")) == k
    assert edge_sign(net.functions["w"], "i0") == "+"
    assert edge_sign(net.functions["w"], "i1") == "-"
    assert edge_sign(net.functions["z"], "w") == "+"
    assert len(prime_implicants(net.functions["w"])) == k // 2
    fixed = Perturbation.from_mapping({f"i{j}": 0 if j % 2 else 1 for j in range(3, k)})
    sub = apply(net, fixed)
    assert percolate(sub, {}).values["w"] == 1  # i4 & !i5 forces w on
    mp = {a.describe() for a in attractors(sub, update="mp")}
    exact = {a.describe() for a in attractors(sub, update="async")}
    reference = {a.describe() for a in attractors(sub, update="async", engine="stg")}
    assert mp == exact == reference
    assert len(exact) == 16  # 8 combinations of i0..i2; w = z = 1 leaves out bistable


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
    # The reader flattens chains of one operator (a | (b | c) is read as a | b | c), so a
    # generated tree comes back as the same function and is stable from then on.
    again = parse_bnet(format_bnet(net), name=net.name)
    assert again.tables == net.tables
    assert parse_bnet(format_bnet(again), name=net.name) == again
