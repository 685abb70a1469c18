"""What the command-line tools share: the two consoles, bad-input exits, a progress spinner."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

EXIT_BAD_INPUT = 2

out = Console()
err = Console(stderr=True)
if not out.is_terminal:  # files and pipes: wide enough for site names, still diff-friendly
    out.width = max(out.width, 110)


def fail(lines: Sequence[str]) -> typer.Exit:
    """Print every problem on its own line to stderr; the Exit to raise (code 2)."""
    for line in lines:
        err.print(f"[red]error:[/red] {line}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


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
