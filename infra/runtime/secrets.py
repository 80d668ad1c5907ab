"""The embedded PostgreSQL's passwords: generated once, kept in the data dir (mode 0600).

Three roles, three passwords: the bootstrap superuser (creates the other two, nothing
else), the owner (owns the schema: migrations, backup, restore) and the application
(reads and writes rows, never rewrites the audit log).
"""
from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

SUPERUSER = "postgres"
OWNER_ROLE = "minqing_owner"
APP_ROLE = "minqing_app"


@dataclass(frozen=True)
class DatabaseSecrets:
    superuser: str
    owner: str
    app: str

    @classmethod
    def generate(cls) -> DatabaseSecrets:
        # url-safe: they go into connection URLs as they are
        return cls(*(secrets.token_urlsafe(32) for _ in range(3)))


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, never letting it exist with looser rights."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    os.chmod(path, 0o600)  # an older file keeps its mode through O_TRUNC


def load_or_create(path: Path) -> DatabaseSecrets:
    if path.exists():
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
        return DatabaseSecrets(**json.loads(path.read_text()))
    made = DatabaseSecrets.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, json.dumps(asdict(made)))
    return made
