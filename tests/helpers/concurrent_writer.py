"""One writer process of the concurrency test: runs its commands through the real CLI.

    python tests/helpers/concurrent_writer.py URL WORKER COMMANDS GO_FILE [EDITIONS_DIR]

Waits for GO_FILE so every writer starts at once, then runs COMMANDS commands. A command
that fails with "database is busy, try again" is retried (that is what the message asks
for); any other failure is recorded. Prints a JSON summary on stdout.
"""

import json
import sys
import time
from pathlib import Path

from tests.helpers.cli_runner import CliRunner
from tracker.cli import app

BUSY = "database is busy, try again"
RETRIES = 400
PAUSE_SECONDS = 0.05


def commands(worker: int, count: int, editions: Path | None) -> list[list[str]]:
    """Groups of five facts about one new entity; worker 0 imports an edition in place of
    every other group's sanction."""
    planned: list[list[str]] = []
    edition_files = sorted(editions.glob("*.xml")) if editions else []
    for number in range(count):
        key = f"w{worker}-e{number // 5}"
        step = number % 5
        if worker == 0 and number % 10 == 9 and edition_files:
            planned.append(["import", "ofac", str(edition_files.pop(0)), "--quiet"])
        elif step == 0:
            planned.append(["entity", "add", f"Writer {worker} Group {number // 5}",
                            "--kind", "organization", "--key", key])  # fmt: skip
        elif step == 1:
            planned.append(["designate", key, "--authority", "us-state", "--list", "FTO",
                            "--effective", "2025-11-24"])  # fmt: skip
        elif step == 2:
            planned.append(["response", "add", "--by", "government-of-venezuela",
                            "--about", f"entity:{key}", "--stance", "rejects", "--on",
                            "2025-11-25", "--summary", f"Statement {worker}/{number}"])  # fmt: skip
        elif step == 3:
            planned.append(["entity", "alias", "add", key, f"Alias {worker}/{number}"])
        else:
            planned.append(["sanction", "add", key, "--authority", "us-ofac",
                            "--measure", "asset-freeze", "--effective", "2025-11-24"])  # fmt: skip
    return planned


def main() -> None:
    url, worker, count, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    editions = Path(sys.argv[5]) if len(sys.argv) > 5 else None
    runner = CliRunner()
    summary: dict = {"worker": worker, "succeeded": 0, "busy": 0, "failed": []}
    planned = commands(worker, count, editions)
    while not go.exists():
        time.sleep(0.01)
    for args in planned:
        for _attempt in range(RETRIES):
            result = runner.invoke(app, ["--db", url, *args])
            if result.exit_code == 0:
                summary["succeeded"] += 1
                break
            if BUSY in result.stderr:
                summary["busy"] += 1
                time.sleep(PAUSE_SECONDS)
                continue
            summary["failed"].append([args, result.output, repr(result.exception)])
            break
        else:
            summary["failed"].append([args, "still busy after retries", None])
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
