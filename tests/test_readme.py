"""The README's tour runs as written: every `console` block, top to bottom, in one fresh
directory, each `$ command` compared with the output shown under it.

The comparison is exact but for `...`: a line of just `...` stands for any number of lines,
and `...` inside a line for any text. A command whose shown output holds an `Error:` line must
fail; every other command must succeed. `sh` blocks (installation, server set-up) are not run.

A plain `tracker ...` command (no pipe, redirection or other program) runs in this process,
as the `tracker` script would run it (bash expands its words; the same environment, folder,
program name and streams; warnings printed as Python prints them): starting a Python that
imports the tracker costs more than most commands. The others (`| head`, `printf > file`)
run in bash, with the installed `tracker` script.

After a deliberate change, `TRACKER_UPDATE_README=1 pytest tests/test_readme.py` writes the
real outputs into the README (outputs that still match, elisions and all, are kept); review
the diff.
"""

import os
import re
import shlex
import subprocess
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, shared_file
from tests.helpers.cli_runner import CliRunner
from tracker.cli import app, context

README = REPO_ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\s*$")
PROMPT = "$ "
TIMEOUT = 300  # seconds for one command (the biggest import takes about ten)


@dataclass
class Step:
    command: str
    expected: list[str]
    first_line: int  # where its expected output starts in the README (0-based)
    end_line: int  # one past its last expected line


def tour_steps(lines: list[str]) -> list[Step]:
    """Each `$ command` of the `console` blocks (continued by trailing backslashes) and the
    output lines shown under it."""
    steps: list[Step] = []
    language: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = FENCE.match(line)
        if fence and language is None:
            language = fence.group(1)
        elif fence:
            language = None
        elif language == "console" and line.startswith(PROMPT):
            command = [line[len(PROMPT) :]]
            while command[-1].endswith("\\"):
                index += 1
                command.append(lines[index])
            start = index + 1
            end = start
            while end < len(lines) and not lines[end].startswith(PROMPT):
                if FENCE.match(lines[end]):
                    break
                end += 1
            steps.append(Step("\n".join(command), lines[start:end], start, end))
            index = end - 1
        index += 1
    return steps


def matches(expected: list[str], actual: str) -> bool:
    """Exact, line by line, with `...` as a wildcard (a whole line: any lines)."""
    pattern = ""
    for line in expected:
        if line.strip() == "...":
            pattern += r"(?:[^\n]*\n)*?"
        else:
            pattern += ".*".join(re.escape(part) for part in line.rstrip().split("...")) + r"\n"
    return re.fullmatch(pattern, _normalised(actual), flags=re.DOTALL) is not None


def _normalised(output: str) -> str:
    lines = [line.rstrip() for line in output.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "".join(line + "\n" for line in lines)


def _environment(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["DATA"] = str(data)
    env["NO_COLOR"] = "1"
    return env


def _in_bash(command: str, folder: Path, env: dict[str, str]) -> tuple[str, int]:
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail\n{command}"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    return result.stdout + result.stderr, result.returncode


def _tracker_words(command: str, folder: Path, env: dict[str, str]) -> list[str] | None:
    """The arguments of a plain `tracker ...` command, as bash expands them (variables,
    globs, quotes, continued lines); None for anything else (a pipe, a redirection, `;`,
    another program)."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        words = list(lexer)
    except ValueError:
        return None
    operators = [word for word in words if word and set(word) <= set(lexer.punctuation_chars)]
    if operators or not words or words[0] != "tracker" or "$(" in command or "`" in command:
        return None
    expanded = subprocess.run(
        ["bash", "-c", "printf '%s\\0' " + command.removeprefix("tracker")],
        cwd=folder, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=True,
    )  # fmt: skip
    return expanded.stdout.split("\0")[:-1]


def _in_process(args: list[str], env: dict[str, str]) -> tuple[str, int]:
    """`tracker ARGS` run as the script runs it, in this process (the folder is the
    current one): its stdout, then its stderr, as the subprocess's would be joined."""
    changes: dict[str, str | None] = {k: None for k in os.environ if k not in env}
    changes.update({k: v for k, v in env.items() if os.environ.get(k) != v})
    with warnings.catch_warnings(record=True) as caught:
        # What a fresh `python` shows: everything but the deprecation and import warnings.
        warnings.simplefilter("default")
        for ignored in (DeprecationWarning, PendingDeprecationWarning, ImportWarning,
                        ResourceWarning):  # fmt: skip
            warnings.filterwarnings("ignore", category=ignored)
        result = CliRunner().invoke(app, args, env=changes, prog_name="tracker")
    output = result.stdout + result.stderr
    output += "".join(
        warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line) for w in caught
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += "".join(traceback.format_exception(result.exception))
    return output, result.exit_code


@pytest.mark.slow
def test_the_readme_tour_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command of the tour, in order, in an empty directory, prints what the README
    shows, and fails exactly where the README shows an error."""
    lines = README.read_text(encoding="utf-8").splitlines()
    steps = tour_steps(lines)
    assert len(steps) > 30, "the tour is the README's console blocks"
    env = _environment(shared_file())
    update = bool(os.environ.get("TRACKER_UPDATE_README"))
    # In this process, output goes where a script's piped output goes: not to a terminal.
    here = context.stdout.width == context.PIPE_WIDTH and not context.stdout.is_terminal
    monkeypatch.chdir(tmp_path)
    failures: list[str] = []
    replacements: list[tuple[Step, list[str]]] = []
    for step in steps:
        words = _tracker_words(step.command, tmp_path, env) if here else None
        if words is None:
            output, code = _in_bash(step.command, tmp_path, env)
        else:
            output, code = _in_process(words, env)
        should_fail = any(line.startswith("Error:") for line in step.expected)
        if matches(step.expected, output) and (code != 0) == should_fail:
            continue
        if update:
            replacements.append((step, _normalised(output).splitlines()))
        failures.append(
            f"README line {step.first_line}: $ {step.command}\n"
            f"exit code {code}; expected:\n" + "\n".join(step.expected) + f"\n--- got:\n{output}"
        )
    if update and replacements:
        for step, actual in reversed(replacements):
            lines[step.first_line : step.end_line] = actual
        README.write_text("\n".join(lines) + "\n", encoding="utf-8")
        pytest.skip(f"rewrote {len(replacements)} outputs of README.md: review the diff")
    assert not failures, f"{len(failures)} tour steps differ:\n\n" + "\n\n".join(failures)


def test_the_tour_reader_understands_elisions() -> None:
    """`...` lines and `...` in a line are wildcards; everything else is exact."""
    assert matches(["a", "...", "d"], "a\nb\nc\nd\n")
    assert matches(["a", "...", "b"], "a\nb\n")
    assert matches(["x ... z"], "x y z\n")
    assert not matches(["a", "b"], "a\nc\n")
    assert not matches(["a"], "a\nb\n")


def test_the_tour_reads_continued_commands_and_their_outputs() -> None:
    """A backslash continues a command; output runs to the next prompt or the fence."""
    text = ["```console", "$ one \\", "  --two", "out", "$ three", "```", "$ not run"]
    steps = tour_steps(text)
    assert [(s.command, s.expected) for s in steps] == [
        ("one \\\n  --two", ["out"]),
        ("three", []),
    ]
