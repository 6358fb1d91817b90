"""Documentation keeps up with the code: every command is in the README and has an example in its help."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from clustermine.cli import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_documented_in_readme(name: str) -> None:
    assert re.search(rf"^### `{re.escape(name)}`", README, re.MULTILINE), f"README lacks a section for {name}"
    assert f"clustermine {name}" in README


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_help_has_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_option_is_in_the_readme(name: str) -> None:
    for param in cli.commands[name].params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in README, f"{name} {opt} is not documented in README.md"


def test_quick_start_has_exactly_the_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", quick, re.DOTALL).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
