"""The optional model judge (`make eval JUDGE=1`): a local model grades tailored resumes and
cover letters with a written rubric, beside the deterministic figures. Never part of CI.

For each resume and posting of the grounding suite (evaluation/fabrication.py: 6 resumes, 3
postings), the product builds its tailored resume and cover letter as it does without a model;
the judge model (Ollama at ``CAREERGINI_OLLAMA_URL``, model ``CAREERGINI_EVAL_JUDGE_MODEL``,
default the product's reasoning model) reads the posting, the person's own facts and the
document, and answers JSON of ``RUBRIC_SCHEMA`` at temperature 0 with a fixed seed: 1-5 for
relevance to the posting, faithfulness to the facts, and clarity, plus the claims it thinks are
not backed by the facts. The report holds the means and the share of documents with an
unbacked claim; the judge's every answer is written to ``var/eval/judge.json``.
"""

from __future__ import annotations

import json
import os
import statistics
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from careergini.resume import render
from careergini.resume.letters import compose
from evaluation.fabrication import JOBS, RESUMES, _draft, load_profile, profile_text
from evaluation.measures import REPO, Context, Measure, rounded

DEFAULT_MODEL = "qwen2.5:7b-instruct-q4_K_M"
RUBRIC_VERSION = "judge-rubric-1"
CRITERIA = ("relevance", "faithfulness", "clarity")
RUBRIC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        **{c: {"type": "integer", "minimum": 1, "maximum": 5} for c in CRITERIA},
        "unbacked_claims": {"type": "array", "items": {"type": "string"}},
    },
    "required": [*CRITERIA, "unbacked_claims"],
}
SYSTEM = f"""You grade a job application document ({RUBRIC_VERSION}). Answer only JSON.
Scores are integers from 1 (poor) to 5 (excellent):
- relevance: how well the document presents the person for THIS posting (its required skills
  and duties come first; nothing off-topic);
- faithfulness: every statement about the person is backed by THE PERSON'S FACTS (5: all of
  them; 1: several invented employers, titles, numbers, skills or outcomes);
- clarity: plain, specific, concise sentences a recruiter reads at a glance.
unbacked_claims: each statement about the person that the facts do not back, quoted; [] if none.
"""


def judge_settings(ctx: Context) -> tuple[str, str]:
    """Return the judge's Ollama URL and model name."""
    url = ctx.judge_url or os.environ.get("CAREERGINI_OLLAMA_URL", "http://127.0.0.1:11434")
    model = os.environ.get("CAREERGINI_EVAL_JUDGE_MODEL", ctx.judge_model or DEFAULT_MODEL)
    return url.rstrip("/"), model


def documents() -> list[dict[str, str]]:
    """Return the deterministic tailored resumes and letters to grade, with their inputs."""
    out = []
    for resume in RESUMES:
        profile = load_profile(resume)
        if sum(len(w.bullets) for w in profile.work) < 2:
            continue
        facts = profile_text(profile)
        for job in JOBS:
            posting = job.read_text()
            draft, target = _draft(profile, posting)
            resume_json = json.dumps(render.to_json_resume(draft.document), ensure_ascii=False)
            letter = compose.build_letter(
                resume=draft.document, job=target, tone="neutral", today=date(2026, 11, 1)
            )
            letter_json = json.dumps(compose.export_json(letter), ensure_ascii=False)
            for kind, text in (("resume", resume_json), ("letter", letter_json)):
                out.append(
                    {
                        "kind": kind,
                        "resume": resume.name,
                        "posting": job.name,
                        "posting_text": posting,
                        "facts": facts,
                        "document": text,
                    }
                )
    return out


def grade(client: httpx.Client, url: str, model: str, doc: dict[str, str]) -> dict[str, Any]:
    """Ask the judge model to grade one document; return its parsed answer."""
    prompt = (
        f"THE POSTING:\n{doc['posting_text'][:4000]}\n\nTHE PERSON'S FACTS:\n"
        f"{doc['facts'][:4000]}\n\nTHE {doc['kind'].upper()} TO GRADE (JSON):\n"
        f"{doc['document'][:6000]}"
    )
    response = client.post(
        f"{url}/api/chat",
        json={
            "model": model,
            "stream": False,
            "format": RUBRIC_SCHEMA,
            "options": {"temperature": 0, "seed": 0, "num_ctx": 8192},
            "messages": [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": prompt},
            ],
        },
    )
    response.raise_for_status()
    answer = json.loads(response.json()["message"]["content"])
    for criterion in CRITERIA:
        value = answer.get(criterion)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ValueError(f"the judge's {criterion} is not an integer 1-5: {value!r}")
    if not isinstance(answer.get("unbacked_claims"), list):
        raise ValueError("the judge's unbacked_claims is not a list")
    return answer


def measure(ctx: Context) -> list[Measure]:
    """Grade every document with the judge model; return the means per kind and criterion."""
    url, model = judge_settings(ctx)
    docs = documents()
    graded: list[dict[str, Any]] = []
    with httpx.Client(timeout=600) as client:
        for doc in docs:
            answer = grade(client, url, model, doc)
            graded.append({k: doc[k] for k in ("kind", "resume", "posting")} | answer)
    out_dir = Path(ctx.extra.get("out", REPO / "var" / "eval"))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "judge.json").write_text(
        json.dumps({"model": model, "rubric": RUBRIC_VERSION, "grades": graded}, indent=2),
        encoding="utf-8",
    )
    out = []
    for kind in ("resume", "letter"):
        rows = [g for g in graded if g["kind"] == kind]
        data = f"{len(rows)} deterministic {kind}s graded by {model} ({RUBRIC_VERSION})"
        for criterion in CRITERIA:
            mean = statistics.mean(r[criterion] for r in rows)
            out.append(Measure(f"judge.{kind}.{criterion}", rounded(mean, 2), data))
        unbacked = sum(1 for r in rows if r["unbacked_claims"]) / len(rows)
        out.append(Measure(f"judge.{kind}.with_unbacked_claims", rounded(unbacked), data))
    return out
