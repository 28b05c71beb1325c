"""Options are validated when MkDocs loads mkdocs.yml: a wrong one stops the build at once
with a message naming it; a vault builds with no options at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, ConfigurationError

from tests.garden_build import build_site, write_vault

pytestmark = pytest.mark.build


@pytest.mark.parametrize("options, named", [
    ({"publish_mode": "sometimes"}, "publish_mode"),
    ({"graph_depth": "two"}, "graph_depth"),
    ({"tasks": {"tolerant": "maybe"}}, "tolerant"),
    ({"notebooks": {"timeout": "forever"}}, "timeout"),
    ({"no_such_option": 1}, "no_such_option"),
])
def test_a_wrong_option_is_a_clear_error_at_start(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                   options: dict, named: str) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n"})
    try:
        built = build_site(tmp_path, garden=options)
    except (ConfigurationError, Abort) as error:
        message = str(error) + caplog.text
    else:
        message = "\n".join(built.messages)
        assert built.failed or any(named in m for m in built.warnings), message
    assert named in message
    assert not (tmp_path / "site" / "index.html").exists() or "no_such_option" in named


def test_a_vault_builds_with_just_the_plugin_name(tmp_path: Path) -> None:
    write_vault(tmp_path, {"index.md": "# Home\n\n[[Other]]\n", "Other.md": "# Other\n"})
    built = build_site(tmp_path, plugins=["garden"])
    assert not built.failed and 'href="Other/"' in built.html("index.md")
