"""Running the fenced examples of README.md and docs/ as a reader would, for ``tests/test_readme.py``.

A shell example runs in ``bash``, one command after the other, against a real kycsim, with the
installed ``kycsim`` first on ``PATH``. The only changes made to what is written are the ones a
reader makes without thinking:

- the address: ``127.0.0.1:8000`` and ``localhost:8000`` are the test server's (a test never assumes
  port 8000 is free), and ``KYCSIM_URL`` points ``kycsim`` commands there;
- receivers: ``localhost:3000`` and ``localhost:4000`` are two test receivers, which record what
  they get;
- ids: ``aplt_...``, ``dlv_3kq...`` (a prefix and ``...``) or ``DELIVERY_ID`` is the newest id of that
  kind printed by an earlier command or made by the example's setup, as a reader copies it;
- synopses: ``[--tenant KEY]``-style optional parts are left out; a line that still holds a
  placeholder nobody printed (``KEY=VALUE``) is only parsed.

``kycsim serve`` and ``kycsim listen`` run in the background until the example ends (``serve`` with
``KYCSIM_PORT=0``, so on a free port).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.S | re.M)
ID = re.compile(r"\b(aplt|idv|iatp|iddv|adv|fav|amlv|dlv|evt|we|bnd|run)_[a-z0-9_]{3,}\b")
PLACEHOLDER_ID = re.compile(r"\b(aplt|idv|iatp|iddv|adv|fav|amlv|dlv|evt|we)_[a-z0-9]*\.\.\.")
NAMED_PLACEHOLDERS = {"DELIVERY_ID": "dlv", "AMLV_ID": "amlv"}
CAPS = re.compile(r"(?<![$\w-])[A-Z][A-Z_]{2,}(?![\w=])")  # PATH, KEY: not $VARS, --flags or VAR=
OPTIONAL = re.compile(r"\s\[(?:-|[A-Z])[^\]]*\]")  # [--tenant KEY], [PATH ...]: in kycsim synopses only


@dataclass(frozen=True)
class Block:
    file: str  # README.md, or a file name under docs/
    line: int
    lang: str
    text: str

    @property
    def first(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def blocks() -> list[Block]:
    found = []
    for path in DOC_FILES:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            indent = len(match["indent"])
            body = "\n".join(line[indent:] for line in match["body"].splitlines())
            found.append(Block(path.name, text[: match.start()].count("\n") + 1, match["lang"], body + "\n"))
    return found


def commands(block: Block) -> list[str]:
    """The commands of a shell example: ``$`` lines of a console transcript, else every line (a ``\\``
    at the end of a line continues the command); comments and output lines are not commands."""
    console = block.lang == "console"
    found: list[str] = []
    pending: str | None = None
    for raw in block.text.splitlines():
        line = raw.rstrip()
        if pending is not None:
            pending += "\n" + line
        elif console:
            if not line.startswith("$ "):
                continue
            pending = line[2:]
        elif line.strip() and not line.lstrip().startswith("#"):
            pending = line
        else:
            continue
        if not pending.endswith("\\") and _complete(pending):
            found.append(pending)
            pending = None
    return found


def _complete(command: str) -> bool:
    """Whether the command's quotes are closed (a quoted JSON body may span lines)."""
    try:
        shlex.split(command, comments=True)
    except ValueError:
        return False
    return True


@dataclass
class Run:
    """What an example did: each command with its exit status and output."""

    results: list[tuple[str, int, str, str]] = field(default_factory=list)  # command, status, stdout, stderr
    background: list[subprocess.Popen] = field(default_factory=list)  # each with .first_line, what it printed first


@dataclass
class Shell:
    """Runs one example's commands in bash against ``url``; ``seen`` holds the ids known so far."""

    url: str
    receivers: dict[str, str]  # "localhost:3000" -> a receiver's host:port
    cwd: Path
    seen: dict[str, str] = field(default_factory=dict)
    parse_only: Callable[[str], None] | None = None

    def env(self) -> dict[str, str]:
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        env = {**os.environ, "PATH": path, "KYCSIM_URL": self.url, "KYCSIM_PORT": "0"}
        env.pop("KYCSIM_CONTROL_TOKEN", None)
        return env

    def prepare(self, command: str) -> str | None:
        """The command as run (see the module docstring), or None when it can only be parsed."""
        host = self.url.removeprefix("http://")
        text = command.replace("127.0.0.1:8000", host).replace("localhost:8000", host)
        for written, actual in self.receivers.items():
            text = text.replace(f"http://{written}", f"http://{actual}")
        if text.startswith("kycsim "):
            text = OPTIONAL.sub("", text)
        text = PLACEHOLDER_ID.sub(lambda m: self.seen.get(m[1], m[0]), text)
        for name, prefix in NAMED_PLACEHOLDERS.items():
            if name in text and prefix in self.seen:
                text = text.replace(name, self.seen[prefix])
        if PLACEHOLDER_ID.search(text) or (text.startswith("kycsim ") and CAPS.search(text.split("#")[0])):
            return None
        return text

    def run(self, block: Block) -> Run:
        done = Run()
        assignments: list[str] = []  # VAR=... lines stay in force for the commands after them
        for command in commands(block):
            text = self.prepare(command)
            if text is None:
                assert self.parse_only is not None, f"{block}: {command!r} holds a placeholder nothing printed"
                self.parse_only(OPTIONAL.sub("", command).split("#")[0].strip())
                continue
            if re.fullmatch(r"[A-Z_]+=\S.*", text.strip()):
                assignments.append(text)
                continue
            if text.startswith(("kycsim serve", "kycsim listen")):
                done.background.append(self._background(assignments, text))
                continue
            script = "\n".join([*assignments, text])
            result = subprocess.run(
                ["bash", "-c", script], cwd=self.cwd, env=self.env(), capture_output=True, text=True, timeout=90
            )
            done.results.append((text, result.returncode, result.stdout, result.stderr))
            for match in ID.finditer(result.stdout + result.stderr):
                self.seen[match[1]] = match[0]
        return done

    def _background(self, assignments: list[str], text: str) -> subprocess.Popen:
        proc = subprocess.Popen(
            ["bash", "-c", "\n".join([*assignments, f"exec {text}"])],
            cwd=self.cwd,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        proc.first_line = proc.stdout.readline()  # type: ignore[attr-defined]  # the banner, or "Ready!"
        assert proc.first_line.strip(), f"{text!r} ended at once: {proc.communicate(timeout=10)[0]}"  # type: ignore[attr-defined]
        return proc


def stop(procs: list[subprocess.Popen]) -> list[str]:
    """End background commands; returns what each printed (its first line included)."""
    outputs = []
    for proc in procs:
        if proc.stdout.closed:  # stopped already
            continue
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        outputs.append(getattr(proc, "first_line", "") + proc.stdout.read())  # read(): what readline buffered too
        proc.stdout.close()
    return outputs


def parse_cli(line: str) -> None:
    """A synopsis line must still be a valid command: argparse exits on anything it does not know."""
    from simulator.cli import build_parser

    words = shlex.split(CAPS.sub("X", line))
    assert words[0] == "kycsim", line
    build_parser().parse_args(words[1:])
