"""What the command-line tools share: the two consoles, bad-input exits, a progress spinner,
the language (Indonesian unless ``--lang en`` or ``LANG=en...``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

EXIT_BAD_INPUT = 2
SUMMARY_AFTER = 20
"""Problems of one kind are listed this many times, then counted (rule file.same_problem_more)."""


def detect_lang(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """``--lang en``/``--lang=en`` on the command line, else ``LANG`` starting with ``en``."""
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1].lower().startswith("en") else "id"
        if a.startswith("--lang="):
            return "en" if a.removeprefix("--lang=").lower().startswith("en") else "id"
    return "en" if environ.get("LANG", "").lower().startswith("en") else "id"


class _Lang:
    """The language of this run; help texts are chosen once, when the commands are defined."""

    current = detect_lang(sys.argv[1:], os.environ)


def lang() -> str:
    return _Lang.current


def set_lang(value: str) -> None:
    _Lang.current = "en" if value.lower().startswith("en") else "id"


def count_text(n: int) -> str:
    """A count as the run's language writes it: 2.980 (id), 2,980 (en)."""
    s = f"{n:,}"
    return s if _Lang.current == "en" else s.replace(",", ".")


def tr(id_text: str, en_text: str) -> str:
    """The Indonesian text, or the English one when the run is in English."""
    return en_text if _Lang.current == "en" else id_text


out = Console()
err = Console(stderr=True)
if not out.is_terminal:  # files and pipes: wide enough for site names, still diff-friendly
    out.width = max(out.width, 110)


def fail(lines: Sequence[str]) -> typer.Exit:
    """Print every problem on its own line to stderr; the Exit to raise (code 2)."""
    word = tr("galat", "error")
    for line in lines:
        err.print(f"[red]{word}:[/red] {escape(line)}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


def warn(lines: Sequence[str]) -> None:
    word = tr("peringatan", "warning")
    for line in lines:
        err.print(f"[yellow]{word}:[/yellow] {escape(line)}", highlight=False, soft_wrap=True)


def summarised(keys: Sequence[tuple[str, str]], lines: Sequence[str], more: Callable[..., str]):
    """The lines, each kind (``keys[i]``: field and rule) shown at most SUMMARY_AFTER times,
    then one line ``more(count=..., field=..., rule=...)`` right after its last example."""
    counts: dict[tuple[str, str], int] = {}
    out: list[str] = []
    summary_at: dict[tuple[str, str], int] = {}
    for key, line in zip(keys, lines, strict=True):
        n = counts[key] = counts.get(key, 0) + 1
        if n <= SUMMARY_AFTER:
            out.append(line)
        elif n == SUMMARY_AFTER + 1:
            summary_at[key] = len(out)
            out.append("")
    for key, at in summary_at.items():
        out[at] = more(count=counts[key] - SUMMARY_AFTER, field=key[0], rule=key[1])
    return out


@contextmanager
def progress(quiet: bool) -> Iterator[Progress | None]:
    """A transient spinner with elapsed time on stderr (None when quiet)."""
    if quiet:
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        yield bar


@contextmanager
def stages(quiet: bool, labels: Mapping[str, str], first: str) -> Iterator[Callable[[str], None]]:
    """A spinner whose text follows a pipeline's stages; yields the ``on_stage`` callback."""
    with progress(quiet) as bar:
        task = bar.add_task(labels.get(first, first)) if bar is not None else None

        def on_stage(name: str) -> None:
            if bar is not None and task is not None:
                bar.update(task, description=labels.get(name, name))

        yield on_stage
