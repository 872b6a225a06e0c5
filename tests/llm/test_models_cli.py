"""``careergini models``: Modelfile parsing, and pulls/creates against the Ollama stand-in."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from careergini.llm.models_cli import (
    ModelsError,
    default_modelfiles,
    parse_modelfile,
    sync_models,
)
from careergini.llm.prompts import SYSTEM_BASE
from tests.conftest import free_port
from tests.doubles.ollama import OllamaDouble
from tests.llm.conftest import CODER, FAST, REASONING

ROOT = Path(__file__).resolve().parents[2]
MODELS_YAML = (ROOT / "models" / "models.yaml").read_text()
RESUME_MODELFILE = '''# The resume writer, stricter.
FROM qwen2.5:7b-instruct-q4_K_M
PARAMETER temperature 0.2
PARAMETER num_ctx 4096
PARAMETER stop "<|im_end|>"
PARAMETER stop <|endoftext|>
SYSTEM """You rewrite resumes.
Never invent employers."""
MESSAGE user "Rewrite: led a team"
MESSAGE assistant Led a team of five engineers.
'''


def project(tmp_path: Path) -> Path:
    """A copy of the repository's model files: models/models.yaml, Modelfile, one role's."""
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "models.yaml").write_text(MODELS_YAML)
    (tmp_path / "Modelfile").write_text((ROOT / "Modelfile").read_text())
    (tmp_path / "models" / "resume.Modelfile").write_text(RESUME_MODELFILE)
    return tmp_path / "models" / "models.yaml"


def test_the_root_modelfile_carries_the_versioned_system_prompt() -> None:
    spec = parse_modelfile(ROOT / "Modelfile", name="careergini")
    assert spec.from_ == REASONING
    assert spec.system == SYSTEM_BASE.render()
    assert spec.parameters == {"num_ctx": 2048, "num_thread": 6, "temperature": 0.3}


def test_a_modelfile_becomes_create_arguments(tmp_path: Path) -> None:
    path = tmp_path / "resume.Modelfile"
    path.write_text(RESUME_MODELFILE)
    assert parse_modelfile(path, name="careergini-resume").create_kwargs() == {
        "model": "careergini-resume",
        "from_": REASONING,
        "system": "You rewrite resumes.\nNever invent employers.",
        "parameters": {
            "temperature": 0.2,
            "num_ctx": 4096,
            "stop": ["<|im_end|>", "<|endoftext|>"],
        },
        "messages": [
            {"role": "user", "content": "Rewrite: led a team"},
            {"role": "assistant", "content": "Led a team of five engineers."},
        ],
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("PARAMETER temperature 0.2\n", "no FROM"),
        ("FROM ./model.gguf\n", "local file"),
        ("FROM x\nADAPTER ./lora.gguf\n", "ADAPTER"),
        ('FROM x\nSYSTEM """never closed\n', "not closed"),
        ("FROM x\nPARAMETERS a 1\n", "unknown Modelfile instruction"),
    ],
)
def test_unusable_modelfiles_are_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "Modelfile"
    path.write_text(content)
    with pytest.raises(ModelsError, match=message):
        parse_modelfile(path, name="x")


def test_modelfiles_are_found_next_to_models_yaml(tmp_path: Path) -> None:
    models_file = project(tmp_path)
    assert default_modelfiles(models_file) == [
        ("careergini", tmp_path / "Modelfile"),
        ("careergini-resume", tmp_path / "models" / "resume.Modelfile"),
    ]


async def test_pulls_missing_skips_present_creates_tuned_and_is_idempotent(
    tmp_path: Path,
) -> None:
    models_file = project(tmp_path)
    with OllamaDouble([FAST]) as ollama:
        out = io.StringIO()
        report = await sync_models(ollama_url=ollama.url, models_file=models_file, out=out)
        assert sorted(report.pulled) == sorted([REASONING, CODER])
        assert report.skipped == [FAST]
        assert report.created == ["careergini", "careergini-resume"]
        log = out.getvalue()
        assert f"skip {FAST}: already present" in log
        assert "[##############################] 100%" in log  # the pull's progress bar
        assert "done: 2 pulled, 2 created, 1 already present" in log

        pulls = [body["model"] for path, body in ollama.bodies if path == "/api/pull"]
        assert sorted(pulls) == sorted([REASONING, CODER])
        creates = {body["model"]: body for path, body in ollama.bodies if path == "/api/create"}
        assert creates["careergini"]["from"] == REASONING
        assert creates["careergini"]["system"] == SYSTEM_BASE.render()
        assert creates["careergini-resume"]["parameters"]["num_ctx"] == 4096

        before = len(ollama.bodies)
        again = await sync_models(ollama_url=ollama.url, models_file=models_file, out=io.StringIO())
        assert again.pulled == [] and again.created == []
        assert len(again.skipped) == 5
        assert len(ollama.bodies) == before  # nothing pulled or created the second time

        forced = await sync_models(
            ollama_url=ollama.url, models_file=models_file, force=True, out=io.StringIO()
        )
        assert forced.created == ["careergini", "careergini-resume"] and forced.pulled == []


async def test_an_unreachable_ollama_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelsError, match=r"Ollama is not reachable at .* CAREERGINI_OLLAMA_URL"):
        await sync_models(
            ollama_url=f"http://127.0.0.1:{free_port()}",
            models_file=project(tmp_path),
            out=io.StringIO(),
            connect_timeout=1,
        )


def _cli(tmp_path: Path, url: str, models_file: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERGINI_")}
    env.update(
        CAREERGINI_OLLAMA_URL=url,
        CAREERGINI_MODELS_FILE=str(models_file),
        CAREERGINI_DATA_DIR=str(tmp_path / "var"),
    )
    return subprocess.run(
        [sys.executable, "-m", "careergini.cli", "models"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_line(tmp_path: Path) -> None:
    models_file = project(tmp_path)
    with OllamaDouble([]) as ollama:
        first = _cli(tmp_path, ollama.url, models_file)
        assert first.returncode == 0, first.stderr
        assert "done: 3 pulled, 2 created, 0 already present" in first.stderr
        second = _cli(tmp_path, ollama.url, models_file)
        assert second.returncode == 0, second.stderr
        assert "done: 0 pulled, 0 created, 5 already present" in second.stderr
    down = _cli(tmp_path, f"http://127.0.0.1:{free_port()}", models_file)
    assert down.returncode == 1
    assert "careergini models: Ollama is not reachable" in down.stderr
