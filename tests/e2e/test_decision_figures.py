"""The decision documents (docs/decisions/) state only figures Facet measured or cited.

docs/decisions/figures.md lists every measured figure they state: the figure, the document,
the command that reproduces it and the date it was measured. This test keeps that table honest
without a server: each figure must appear verbatim in the document named, each command must be
a real `facet` subcommand with real options (read from Sources/facet), a Makefile target, or a
script in the repository with the options it takes, and each date must be a date. A renamed
command, a dropped option or an edited figure fails here, so the documents cannot drift from the
code silently.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DECISIONS = REPO / "docs" / "decisions"
FIGURES = DECISIONS / "figures.md"
SOURCES = REPO / "Sources" / "facet"

# ArgumentParser answers these on every command.
BUILTIN_OPTIONS = {"--help", "-h", "--version"}


@dataclass
class Command:
    type_name: str
    name: str | None = None
    subcommands: list[str] = field(default_factory=list)
    options: set[str] = field(default_factory=set)
    groups: list[str] = field(default_factory=list)


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def _skip_string(text: str, i: int) -> int:
    """Index just past the Swift string literal starting at text[i] (a quote)."""
    if text.startswith('"""', i):
        end = text.find('"""', i + 3)
        return len(text) if end < 0 else end + 3
    j = i + 1
    while j < len(text) and text[j] != '"':
        j += 2 if text[j] == "\\" else 1
    return j + 1


def _balanced(text: str, i: int) -> int:
    """Index just past the parenthesised group starting at text[i] == '('."""
    depth = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i = _skip_string(text, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def _parse_body(cmd: Command, body: str) -> None:
    m = re.search(r'commandName:\s*"([^"]+)"', body)
    if m:
        cmd.name = m.group(1)
    m = re.search(r"subcommands:\s*\[([^\]]*)\]", body)
    if m:
        cmd.subcommands = re.findall(r"(\w+)\.self", m.group(1))
    cmd.groups = re.findall(r"@OptionGroup\s+var\s+\w+\s*:\s*(\w+)", body)
    for m in re.finditer(r"@(Option|Flag)\b(?!Group)", body):
        i = m.end()
        args = ""
        if i < len(body) and body[i] == "(":
            end = _balanced(body, i)
            args, i = body[i:end], end
        var = re.match(r"\s*(?:(?:private|public|internal)\s+)?var\s+(\w+)", body[i:])
        if not var:
            continue
        custom = re.search(r'customLong\("([^"]+)"\)', args)
        cmd.options.add("--" + (custom.group(1) if custom else _kebab(var.group(1))))


@lru_cache(maxsize=1)
def facet_commands() -> dict[str, Command]:
    """Every ParsableCommand / ParsableArguments type declared under Sources/facet."""
    found: dict[str, Command] = {}
    for path in sorted(SOURCES.rglob("*.swift")):
        text = path.read_text()
        starts = list(re.finditer(r"^struct\s+(\w+)\s*:[^{]*\{", text, re.M))
        for n, m in enumerate(starts):
            body = text[m.end(): starts[n + 1].start() if n + 1 < len(starts) else len(text)]
            cmd = Command(type_name=m.group(1))
            _parse_body(cmd, body)
            found[cmd.type_name] = cmd
    return found


def _options_of(cmd: Command, commands: dict[str, Command]) -> set[str]:
    options = set(cmd.options)
    for group in cmd.groups:
        if group in commands:
            options |= _options_of(commands[group], commands)
    return options


def make_targets() -> set[str]:
    text = (REPO / "Makefile").read_text()
    return {m.group(1) for m in re.finditer(r"^([A-Za-z][\w.-]*)\s*:(?!=)", text, re.M)}


def check_command(line: str, commands: dict[str, Command]) -> str | None:
    """None when `line` names something that exists, else why not."""
    words = shlex.split(line)
    if not words:
        return "empty command"
    if words[0] == "make":
        targets = make_targets()
        missing = [w for w in words[1:] if "=" not in w and w not in targets]
        return f"no make target {missing}" if missing or len(words) == 1 else None
    if words[0].endswith("python"):
        words = words[1:]
    if words[0].startswith("scripts/"):
        script = REPO / words[0]
        if not script.is_file():
            return f"no script {words[0]}"
        text = script.read_text()
        missing = [w for w in words[1:] if w.startswith("--") and f'"{w}"' not in text]
        return f"{words[0]} takes no {missing}" if missing else None
    if words[0] not in ("facet", ".build/release/facet", ".build/debug/facet"):
        return f"not a facet, make or scripts/ command: {words[0]}"
    by_name = {}
    cmd = commands["Facet"]
    path = ["facet"]
    rest = words[1:]
    while rest and not rest[0].startswith("-"):
        by_name = {(commands[t].name or _kebab(t)): commands[t] for t in cmd.subcommands if t in commands}
        if rest[0] not in by_name:
            if cmd.subcommands:
                return f"`{' '.join(path)}` has no subcommand {rest[0]!r} (has {sorted(by_name)})"
            break  # a positional argument
        cmd = by_name[rest[0]]
        path.append(rest[0])
        rest = rest[1:]
    if cmd.subcommands:
        return f"`{' '.join(path)}` needs a subcommand"
    known = _options_of(cmd, commands) | BUILTIN_OPTIONS
    unknown = [w.split("=")[0] for w in rest if w.startswith("--") and w.split("=")[0] not in known]
    return f"`{' '.join(path)}` has no option {unknown}" if unknown else None


@dataclass
class Figure:
    figure: str
    document: str
    command: str
    measured: str
    line: int


def _cell(text: str) -> str:
    text = text.strip()
    m = re.fullmatch(r"`(.*)`", text)
    return m.group(1) if m else text


def figures() -> list[Figure]:
    rows = []
    for n, line in enumerate(FIGURES.read_text().splitlines(), 1):
        if not line.startswith("| `"):
            continue
        cells = [c for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        assert len(cells) >= 4, f"figures.md line {n}: expected figure | document | command | measured"
        figure, document, command, measured = (_cell(c) for c in cells[:4])
        rows.append(Figure(figure.replace("\\|", "|"), document, command, measured, n))
    return rows


FIGURE_ROWS = figures() if FIGURES.exists() else []


def test_figures_table_is_there():
    assert FIGURES.exists(), "docs/decisions/figures.md is missing"
    assert len(FIGURE_ROWS) >= 20, "figures.md lists too few figures; did its table format change?"


def test_command_parser_knows_the_real_cli():
    commands = facet_commands()
    assert check_command("facet bench match --sizes 1000 --queries 60", commands) is None
    assert check_command("facet eval --cross-photo-only", commands) is None
    assert check_command("facet brand-sim --brand aurelia --fail-5xx 3", commands) is None
    assert check_command("facet bench console --searches 10", commands) is None
    assert check_command("facet bench matches", commands) is not None
    assert check_command("facet bench match --no-such-option 1", commands) is not None
    assert check_command("make model", commands) is None
    assert check_command("make no-such-target", commands) is not None


@pytest.mark.parametrize("row", FIGURE_ROWS, ids=lambda r: f"line{r.line}")
def test_figure_appears_in_its_document(row: Figure):
    doc = DECISIONS / row.document
    assert doc.is_file(), f"figures.md line {row.line}: no document {row.document}"
    assert row.figure in doc.read_text(), (
        f"figures.md line {row.line}: {row.figure!r} is not in {row.document} (changed or dropped?)")


@pytest.mark.parametrize("row", FIGURE_ROWS, ids=lambda r: f"line{r.line}")
def test_figure_command_exists(row: Figure):
    if row.command.startswith(("http://", "https://")):
        # A cited figure (a price, a quota): the document must name the same source.
        assert row.command in (DECISIONS / row.document).read_text(), (
            f"figures.md line {row.line}: {row.document} does not cite {row.command}")
        return
    why = check_command(row.command, facet_commands())
    assert why is None, f"figures.md line {row.line}: {row.command!r}: {why}"


@pytest.mark.parametrize("row", FIGURE_ROWS, ids=lambda r: f"line{r.line}")
def test_figure_has_a_date(row: Figure):
    m = re.match(r"(\d{4}-\d{2}-\d{2})", row.measured)
    assert m, f"figures.md line {row.line}: measured {row.measured!r} is not a date"
    date.fromisoformat(m.group(1))
