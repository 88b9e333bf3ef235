"""SBML-qual (the exchange format of GINsim, bioLQM, CellCollective and BioModels), Boolean level.

Reading and writing go through biodivine-aeon (``BooleanNetwork.from_sbml`` / ``to_sbml``,
Beneš et al. 2022, *Bioinformatics*), imported only when an SBML file is used. A qualitative species
without a transition is an input (``X, X``); a multi-valued model (``maxLevel`` above 1 or a
threshold above 1) is refused with the species named.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("a, !b\\nb, a & c\\nc, c")
>>> again = parse_sbml(format_sbml(net))
>>> again.nodes, again.rule_texts["b"]
(('a', 'b', 'c'), 'a & c')
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from boolfate.bnet import format_bnet, parse_bnet
from boolfate.errors import BoolfateError, SourceError
from boolfate.model import Network
from boolfate.textio import read_text

__all__ = ["SbmlError", "parse_sbml", "read_sbml", "format_sbml", "write_sbml"]

_QUAL = "{http://www.sbml.org/sbml/level3/version1/qual/version1}"


class SbmlError(BoolfateError):
    """An SBML file that is not a Boolean SBML-qual model."""


def _attr(elem: ET.Element, name: str) -> str | None:
    return elem.get(_QUAL + name, elem.get(name))


def _species(text: str, source: str) -> list[str]:
    """Qualitative species ids in file order; refuse multi-valued models."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise SourceError(f"not XML: {exc.msg}", source=source, line=line, column=col + 1) from None
    if not root.tag.endswith("sbml"):
        raise SbmlError(f"{source}: the root element is <{root.tag}>, not <sbml>")
    ids: list[str] = []
    for elem in root.iter(_QUAL + "qualitativeSpecies"):
        sid = _attr(elem, "id") or "?"
        level = _attr(elem, "maxLevel")
        if level is not None and level.strip() not in ("0", "1"):
            raise SbmlError(
                f"{source}: species '{sid}' has maxLevel {level}; only Boolean (maxLevel 1) "
                "SBML-qual models are supported"
            )
        ids.append(sid)
    for tag in ("input", "functionTerm"):
        for elem in root.iter(_QUAL + tag):
            value = _attr(elem, "thresholdLevel" if tag == "input" else "resultLevel")
            if value is not None and value.strip() not in ("0", "1"):
                raise SbmlError(
                    f"{source}: a transition uses level {value}; only Boolean SBML-qual models "
                    "are supported"
                )
    if not ids:
        raise SbmlError(f"{source}: no qualitative species (is this an SBML-qual model?)")
    return ids


def _fill_inputs(bn: Any) -> None:
    """Give every variable without an update function the rule ``X, X``."""
    for var in bn.variables():
        if bn.get_update_function(var) is None:
            name = bn.get_variable_name(var)
            bn.ensure_regulation({"source": name, "target": name, "essential": False, "sign": None})
            bn.set_update_function(var, name)


def parse_sbml(text: str, *, source: str = "<string>", name: str | None = None) -> Network:
    """Parse SBML-qual text into a :class:`~boolfate.model.Network` (nodes in file order).

    Raises
    ------
    SbmlError
        For a multi-valued model, a model biodivine-aeon cannot read, or one with parameters.
    SourceError
        When the text is not XML.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    order = _species(text, source)
    import biodivine_aeon as aeon

    try:
        bn = aeon.BooleanNetwork.from_sbml(text)
        _fill_inputs(bn)
        bnet = bn.to_bnet()
    except Exception as exc:  # noqa: BLE001 - any failure of the reader is one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        msg = f"{source}: biodivine-aeon cannot read this SBML-qual model: {first}"
        raise SbmlError(msg) from None
    net = parse_bnet(bnet, source=source, name=name or Path(source).stem, strict=True)
    rank = {n: i for i, n in enumerate(order)}
    rules = sorted(net.rules, key=lambda r: rank.get(r[0], len(rank)))
    return Network(tuple(rules), name=net.name)


def read_sbml(path: str | Path, *, name: str | None = None) -> Network:
    """Read an SBML-qual file (see :func:`parse_sbml`)."""
    p = Path(path)
    net = parse_sbml(read_text(p), source=str(p), name=name or p.stem)
    return Network(net.rules, name=net.name, source=p)


_SBML_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def format_sbml(network: Network) -> str:
    """Return SBML-qual text for ``network`` (written by biodivine-aeon).

    SBML identifiers must start with a letter or ``_`` and hold only letters, digits and ``_``;
    other node names are refused with the name.
    """
    for node in network.nodes:
        if not _SBML_ID.fullmatch(node):
            raise SbmlError(
                f"node name '{node}' is not a valid SBML identifier (letters, digits and '_', "
                "not starting with a digit); rename it to write SBML"
            )
    import biodivine_aeon as aeon

    bn = aeon.BooleanNetwork.from_bnet(format_bnet(network))
    return _valid(_in_network_order(bn.to_sbml(), network.nodes))


_ESSENTIAL = re.compile(r' essential="(?:true|false)"')


def _valid(text: str) -> str:
    """Make AEON's output valid for libsbml: add the compartment qual requires, drop the
    non-standard ``essential`` attribute of inputs and empty input lists (constant rules)."""
    if "<model>" not in text or "listOfCompartments" in text:
        return text
    text = text.replace(
        "<model>",
        '<model><listOfCompartments><compartment id="cell" constant="true"/></listOfCompartments>',
        1,
    )
    text = text.replace(
        "<qual:qualitativeSpecies ", '<qual:qualitativeSpecies qual:compartment="cell" '
    )
    text = text.replace("<qual:listOfInputs></qual:listOfInputs>", "")
    return _ESSENTIAL.sub("", text)


_SPECIES = re.compile(r"<qual:qualitativeSpecies\b[^>]*?qual:id=\"([^\"]+)\"[^>]*/>")


def _in_network_order(text: str, nodes: tuple[str, ...]) -> str:
    """Reorder the (self-closing) species elements AEON writes sorted into the network's order."""
    found = list(_SPECIES.finditer(text))
    by_id = {m.group(1): m.group(0) for m in found}
    if not found or set(by_id) != set(nodes):
        return text
    start, end = found[0].start(), found[-1].end()
    if text[start:end] != "".join(m.group(0) for m in found):
        return text  # not contiguous: leave AEON's order
    return text[:start] + "".join(by_id[n] for n in nodes) + text[end:]


def write_sbml(network: Network, path: str | Path) -> None:
    """Write ``network`` to ``path`` as SBML-qual."""
    Path(path).write_text(format_sbml(network), encoding="utf-8")
