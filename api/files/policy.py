"""A Bapas' policy file: TOML with the layout of :data:`matcher.policy.DEFAULT_POLICY_TOML`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from matcher.policy import Policy, PolicyError, default_policy, policy_with


def read_policy(path: str | Path | None = None) -> Policy:
    """The default policy, with the sections of the TOML file at ``path`` replacing its own."""
    if path is None:
        return default_policy()
    p = Path(path)
    try:
        table = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{p}: file not found") from None
    except IsADirectoryError:
        raise PolicyError(f"{p}: is a folder, not a TOML file") from None
    except UnicodeDecodeError:
        raise PolicyError(f"{p}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{p}: not valid TOML: {exc}") from None
    return policy_with(table, str(p))
