"""The CI workflow for Windows, macOS and Linux builds (.github/workflows/build.yml) and the
Windows installer script (packaging/windows/kiosk.iss). Neither can run on this machine:
the workflow is checked by actionlint (its expressions, action inputs, runner labels, and
its shell scripts through shellcheck where installed), and both are checked for what they
promise: every platform builds, smoke-tests, unit-tests and uploads; the installer installs
the build, adds the autostart entry and removes it on uninstall."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "build.yml"
INNO = ROOT / "packaging" / "windows" / "kiosk.iss"


def actionlint() -> str:
    """The actionlint of the test extra (in this Python's scripts folder), else PATH's."""
    name = "actionlint.exe" if sys.platform == "win32" else "actionlint"
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    assert found, "actionlint is missing: pip install -e '.[test]'"
    return found


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([actionlint(), "-no-color", str(path)], capture_output=True, text=True, timeout=120,
                          check=False)


def test_the_workflow_passes_actionlint() -> None:
    result = lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_mistakes_in_a_broken_copy(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "build.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8")
    text = text.replace("${{ matrix.os }}", "${{ matrix.system }}", 1)  # no such matrix key
    text = text.replace("if-no-files-found: error", "if-no-file-found: error", 1)  # no such input
    broken.write_text(text, encoding="utf-8")
    result = lint(broken)
    assert result.returncode == 1
    assert "matrix.system" in result.stdout or "system" in result.stdout
    assert "if-no-file-found" in result.stdout


def test_every_platform_builds_smoke_tests_unit_tests_and_uploads() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    build = workflow["jobs"]["build"]
    systems = build["strategy"]["matrix"]["os"]
    assert {re.sub(r"-.*", "", s) for s in systems} == {"ubuntu", "windows", "macos"}
    assert build["strategy"]["fail-fast"] is False  # one platform's failure hides no other's
    runs = [step.get("run", "") for step in build["steps"]]
    order = [
        next(i for i, r in enumerate(runs) if "pytest tests/unit" in r),
        next(i for i, r in enumerate(runs) if "packaging/build.py" in r),
        next(i for i, r in enumerate(runs) if "packaging/smoke.py dist/kiosk" in r),
        next(i for i, s in enumerate(build["steps"]) if str(s.get("uses", "")).startswith("actions/upload-artifact")),
    ]
    assert order == sorted(order)
    assert workflow["permissions"] == {"contents": "read"}


def test_the_installer_installs_the_build_adds_autostart_and_removes_it() -> None:
    text = INNO.read_text(encoding="utf-8")
    sections = set(re.findall(r"^\[(\w+)\]", text, re.MULTILINE))
    assert {"Setup", "Files", "Tasks", "Registry", "Icons", "UninstallDelete", "Code"} <= sections
    (build_dir,) = re.findall(r'#define BuildDir "([^"]+)"', text)  # where packaging/build.py puts it
    assert (INNO.parent / build_dir.replace("\\", "/")).resolve() == ROOT / "dist" / "kiosk"
    assert re.search(r'^Source: "\{#BuildDir\}\\\*";.*recursesubdirs', text, re.MULTILINE)
    assert re.search(r"^PrivilegesRequired=lowest$", text, re.MULTILINE)  # HKCU is the user's own
    (run,) = re.findall(r"^Root: HKCU; Subkey: \"Software\\Microsoft\\Windows\\CurrentVersion\\Run\";.*$", text,
                        re.MULTILINE)
    assert 'ValueData: "{code:AutostartCommand}"' in run
    assert "Flags: uninsdeletevalue" in run and "Tasks: autostart" in run
    assert "function AutostartCommand(Param: String): String;" in text
    assert "'\" --lock'" in text.split("[Code]")[1]  # the sign-in start is locked
    assert re.search(r'^Name: "autostart";', text, re.MULTILINE)
    # CI builds what the script names, and checks the entry the script writes
    workflow = WORKFLOW.read_text(encoding="utf-8")
    assert "OutputBaseFilename=kiosk-setup-{#AppVersion}" in text and "dist\\kiosk-setup-*.exe" in workflow
    assert "/TASKS=autostart" in workflow and "--lock" in workflow and "unins000.exe" in workflow
