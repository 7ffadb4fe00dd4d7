"""What every benchmark needs: where the shared data and the output folder are, how to show a path,
and which commit was measured."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"


def shared_data() -> Path:
    """The shared data folder: $QUOTES_SHARED_DATA, else ../shared/data beside the repo."""
    override = os.environ.get("QUOTES_SHARED_DATA")
    return Path(override) if override else REPO.parent / "shared" / "data"


def shown(path: Path) -> str:
    """`path` relative to the repo when it is beside it (../shared/data/...), else as given."""
    relative = os.path.relpath(path.resolve(), REPO)
    return str(path) if relative.startswith(f"..{os.sep}..") else relative


def git_state() -> str:
    """The commit measured, with "+dirty" when quotes/ has changes (others edit concurrently)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "quotes"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")
