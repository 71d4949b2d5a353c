"""The figures as a table: printed for the person who ran it, and kept in bench/README.md.

Only the block between the result markers of the README is rewritten, so the hand-written
explanation around it survives every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.timing import Measurement

README = Path(__file__).with_name("README.md")
START, END = "<!-- results:start -->", "<!-- results:end -->"


@dataclass(frozen=True)
class Line:
    """One row of the table: what was measured, its figure, and how it was obtained."""

    section: str
    what: str
    figure: str
    detail: str


def rate_line(section: str, what: str, m: Measurement, unit: str, detail: str = "") -> Line:
    how = f"{m.count:,} in {m.seconds:.2f} s"
    return Line(section, what, f"{m.rate:,.0f} {unit}/s", f"{how}; {detail}" if detail else how)


def ratio_line(section: str, what: str, ratio: float, target: float) -> Line:
    verdict = "met" if ratio >= target else "MISSED"
    return Line(section, what, f"{ratio:.2f}", f"target ≥ {target:g}: {verdict}")


def render_text(lines: Sequence[Line], facts: dict[str, str]) -> str:
    """Aligned columns for a terminal."""
    widths = [max(len(getattr(x, f)) for x in lines) for f in ("section", "what", "figure")]
    rows = [f"{x.section:<{widths[0]}}  {x.what:<{widths[1]}}  {x.figure:>{widths[2]}}  {x.detail}" for x in lines]
    head = [f"{key}: {value}" for key, value in facts.items()]
    return "\n".join([*head, "", *rows])


def render_markdown(lines: Sequence[Line], facts: dict[str, str], command: str) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    table = ["| | measured | figure | how |", "|---|---|---:|---|"]
    table += [f"| {x.section} | {x.what} | {x.figure} | {x.detail} |" for x in lines]
    machine = [f"- {key}: {value}" for key, value in facts.items()]
    return "\n".join([f"Latest run: {when}, `{command}`.", "", *machine, "", *table])


def write_readme(markdown: str, readme: Path = README) -> None:
    """Replace the results block; a README without markers gets one appended."""
    block = f"{START}\n{markdown}\n{END}"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")
