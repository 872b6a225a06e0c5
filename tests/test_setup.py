"""The fresh-machine setup: deploy/system-packages.sh, the one list of Debian packages that
`make run`, `make test` and CI install, run for real against dpkg's database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "system-packages.sh"


def run_script(*args: str, env: dict[str, str] | None = None, as_nobody: bool = False) -> str:
    command = ["bash", str(SCRIPT), *args]
    with tempfile.TemporaryDirectory() as folder:
        if as_nobody and os.geteuid() == 0:
            runuser = shutil.which("runuser")
            assert runuser, "runuser (util-linux) runs the script as an unprivileged user"
            # A copy nobody can read: the checkout may sit in a folder only its owner can enter
            # (a clone into mktemp -d). The script reads no other file of the checkout.
            copy = Path(folder) / SCRIPT.name
            shutil.copyfile(SCRIPT, copy)
            os.chmod(folder, 0o755)
            os.chmod(copy, 0o644)
            command = [runuser, "-u", "nobody", "--", "bash", str(copy), *args]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})}
        )
    return f"{done.returncode}\n{done.stdout}{done.stderr}"


def listed(kind: str) -> list[str]:
    out = run_script("list", kind)
    code, _, body = out.partition("\n")
    assert code == "0", out
    return body.split()


def recipe(*args: str) -> str:
    make = shutil.which("make")
    assert make, "make reads the Makefile's recipes"
    done = subprocess.run(
        [make, "-n", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_test_list_contains_the_run_list() -> None:
    run, test = listed("run"), listed("test")
    assert set(run) <= set(test)
    # What the app needs to render resumes (CJK names too) and JavaScript-built career pages.
    assert {"libpango-1.0-0", "fonts-noto-cjk", "chromium"} <= set(run)
    # What the suite itself starts or reads with.
    assert {"redis-server", "nginx-light", "poppler-utils", "make"} <= set(test)


def test_on_this_machine_everything_is_installed_and_nothing_happens() -> None:
    """CI installed the list; a second run installs nothing and says nothing."""
    assert run_script("test") == "0\n"


def test_unprivileged_with_packages_missing_prints_the_command_and_stops(tmp_path: Path) -> None:
    # dpkg reads its database from DPKG_ADMINDIR: an empty one is a machine with nothing.
    (tmp_path / "status").write_text("")
    tmp_path.chmod(0o755)
    out = run_script("run", env={"DPKG_ADMINDIR": str(tmp_path)}, as_nobody=True)
    code, _, message = out.partition("\n")
    assert code == "1", out
    command = re.search(r"sudo sh -c '(.+)'", message)
    assert command, message
    assert command.group(1) == (
        "apt-get update && apt-get install -y --no-install-recommends " + " ".join(listed("run"))
    )


def test_skipping_is_explicit(tmp_path: Path) -> None:
    (tmp_path / "status").write_text("")
    tmp_path.chmod(0o755)
    env = {"DPKG_ADMINDIR": str(tmp_path), "CAREERGINI_SKIP_SYSTEM_PACKAGES": "1"}
    assert run_script("test", env=env, as_nobody=True) == "0\n"


@pytest.mark.parametrize("args", [(), ("prod",), ("list",)])
def test_a_wrong_argument_is_refused(args: tuple[str, ...]) -> None:
    out = run_script(*args)
    assert out.startswith("2\n") and "usage:" in out


def test_make_run_and_make_test_install_the_system_packages_first() -> None:
    assert recipe("run").splitlines()[0] == "bash deploy/system-packages.sh run"
    assert recipe("dev").splitlines()[0] == "bash deploy/system-packages.sh run"
    assert recipe("test").splitlines()[0] == "bash deploy/system-packages.sh test"


def test_ci_and_readme_use_the_same_list() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash deploy/system-packages.sh test" in ci
    assert "apt-get install" not in ci, "the list lives in deploy/system-packages.sh only"
    readme = (ROOT / "README.md").read_text()
    for package in listed("test"):
        assert f"`{package}`" in readme, package
