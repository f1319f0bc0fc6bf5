"""The repository's GitHub integration: workflows, templates, pre-commit and CONTRIBUTING are valid and do
what CONTRIBUTING.md promises (the same commands as .ci/run and the Makefile)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from safetykb.addpaper.draft import EDITOR_HINT
from tests.helpers import REPO

GITHUB = REPO / ".github"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    return on if isinstance(on, dict) else {name: None for name in ([on] if isinstance(on, str) else on)}


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_pull_request_workflow() -> None:
    workflow = load(GITHUB / "workflows" / "pull-request.yml")
    assert "pull_request" in triggers(workflow)
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    script = runs(job)
    assert "3.11" in str(job.get("container", "")) + script
    assert "make .venv/.installed" in script, "installs through the Makefile"
    assert "git diff --name-only" in script and "scripts/validate.py < changed-records.txt" in script
    assert "\n.venv/bin/python scripts/validate.py" in "\n" + script, "validates all records"
    assert ".venv/bin/ruff check ." in script and ".venv/bin/pytest" in script
    assert "make chromium" in script and "apt-get" in (REPO / "Makefile").read_text()
    assert ".venv/bin/mkdocs build --strict" in script
    assert uses(job)[0] == "actions/checkout"
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    names = [s.get("name", "") for s in job["steps"]]
    assert names.index("Build the site (mkdocs build --strict)") < names.index("Upload the site for preview")
    # axe-core for the accessibility tests: Debian's node in the python container, then npm ci (make node)
    node = script.index("apt-get install -y -qq nodejs npm")
    assert node < script.index("make node") < script.index(".venv/bin/pytest")
    assert "npm ci" in (REPO / "Makefile").read_text()


def test_pages_workflow() -> None:
    workflow = load(GITHUB / "workflows" / "pages.yml")
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "actions/setup-python" in uses(build)
    python = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    assert uses(build)[-2:] == ["actions/configure-pages", "actions/upload-pages-artifact"]
    assert "mkdocs build --strict" in runs(build) and "scripts/validate.py" in runs(build)
    site = next(s for s in build["steps"] if "mkdocs build" in s.get("run", ""))
    assert site["env"]["SAFETYKB_SITE_URL"].startswith("${{ steps.pages.outputs.base_url }}")
    assert site["env"]["SAFETYKB_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    configure = next(i for i, s in enumerate(build["steps"]) if s.get("uses", "").startswith("actions/configure-pages"))
    assert build["steps"][configure]["id"] == "pages" and configure < build["steps"].index(site)
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert uses(deploy) == ["actions/deploy-pages"]


@pytest.mark.parametrize("name", ["pull-request.yml", "pages.yml", "refresh.yml"])
def test_actions_are_pinned_to_a_version(name: str) -> None:
    workflow = load(GITHUB / "workflows" / name)
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert "@v" in step["uses"], step["uses"]


def test_issue_form_for_suggesting_a_paper() -> None:
    form = load(GITHUB / "ISSUE_TEMPLATE" / "suggest-paper.yml")
    assert form["name"] and form["description"]
    ids = {item.get("id"): item for item in form["body"]}
    assert ids["link"]["validations"]["required"] is True
    assert set(ids["contribution"]["attributes"]["options"]) == {
        "attack", "defense", "benchmark", "dataset", "evaluation", "survey", "analysis"}
    assert all(item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"} for item in form["body"])


def test_pull_request_template() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert "scripts/validate.py" in text and "- [ ]" in text and "own words" in text


def test_pre_commit_validates_every_record_on_every_commit() -> None:
    """Validating only the staged files let a deleted or renamed taxonomy record through (pre-commit passes
    no deleted file), leaving every record that names it broken."""
    config = load(REPO / ".pre-commit-config.yaml")
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    hook = hooks["safetykb-validate"]
    assert "scripts/validate.py" in hook["entry"] and hook["language"] == "system"
    assert hook["pass_filenames"] is False and hook["always_run"] is True and "files" not in hook


def test_contributing_walks_through_the_steps() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    headings = ["## 1. Fork", "## 2. Draft the record", "## 3. Validate", "## 4. Preview", "## 5. Pull request"]
    positions = [text.find(h) for h in headings]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), dict(zip(headings, positions,
                                                                                       strict=True))
    sections = dict(zip(headings, [text[a:b] for a, b in zip(positions, [*positions[1:], len(text)],
                                                                  strict=True)], strict=True))
    assert "git clone" in sections["## 1. Fork"]
    draft = sections["## 2. Draft the record"]
    assert "scripts/add_paper.py 2311.05608" in draft and "scripts/add_paper.py figstep.bib" in draft
    assert "scripts/validate.py" in sections["## 3. Validate"]
    assert "make serve" in sections["## 4. Preview"]
    assert "git push" in sections["## 5. Pull request"] and "merged" in sections["## 5. Pull request"]


def test_records_carry_the_editor_hint() -> None:
    """add_paper writes the hint; the repository's paper records (seed and imported) carry it too."""
    papers = sorted((REPO / "papers").rglob("*.yaml"))
    assert papers
    missing = [str(p.relative_to(REPO)) for p in papers
               if p.read_text(encoding="utf-8").splitlines()[0] != EDITOR_HINT]
    assert not missing, missing
    for folder, kind in (("models", "model"), ("attacks", "attack"), ("defenses", "defense")):
        for path in sorted((REPO / "taxonomy" / folder).glob("*.yaml")):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../../safetykb/schemas/{kind}.schema.json", path


def test_refresh_workflow_opens_a_pull_request_and_never_pushes_to_main() -> None:
    workflow = load(GITHUB / "workflows" / "refresh.yml")
    on = triggers(workflow)
    assert "workflow_dispatch" in on and on["schedule"][0]["cron"].split()[-1] == "1"  # weekly, on Mondays
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    (job,) = workflow["jobs"].values()
    script = runs(job)
    assert "make .venv/.installed" in script
    assert ".venv/bin/python scripts/refresh.py --review" in script
    assert "scripts/validate.py" in script.split("scripts/refresh.py", 1)[1], "validates after refreshing"
    assert "git push" not in script and "git commit" not in script, "only the pull-request action writes"
    assert uses(job) == ["actions/checkout", "actions/setup-python", "peter-evans/create-pull-request"]
    action = job["steps"][-1]
    assert action["uses"] == "peter-evans/create-pull-request@v7"
    assert action["with"]["branch"] not in ("main", "master") and action["with"]["base"] == "main"
    assert action["with"]["body-path"].endswith("refresh-review.md")
    checkout = job["steps"][0]
    assert "ref" not in checkout.get("with", {}) or checkout["with"]["ref"] == "main"
