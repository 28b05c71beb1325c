"""Where the test inputs live: the repository, and the shared folder CI lays beside it."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "000_f494967a062bcdfd.txt"
CORPORA = SHARED / "corpora"
