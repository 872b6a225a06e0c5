"""Cover letters with a model: the Ollama stand-in answers as scripted; only paragraphs the
profile supports reach the stored letter and the PDF."""

from __future__ import annotations

import io
import json
from typing import Any

import docx

from tests.resume.background import settled
from tests.resume.conftest import Client
from tests.resume.samples import (
    BACKEND_JD,
    login_with_profile,
    paragraphs_in_prompt,
    rendered_text,
)


async def test_cover_letter_paragraphs_are_grounded(llm_client: Client) -> None:
    client, ollama = llm_client
    headers = await login_with_profile(client)

    def script(body: dict[str, Any]) -> str:
        paragraphs = paragraphs_in_prompt(body)
        shorts = list(paragraphs)
        return json.dumps(
            {
                "paragraphs": [
                    {"source_id": shorts[0], "text": paragraphs[shorts[0]].replace(
                        "In my current role as", "As")},
                    {"source_id": shorts[1],
                     "text": "I worked at Acme Payments and Google on Kubernetes for 8 years."},
                ]
            }
        )  # fmt: skip

    ollama.script = script
    response = await client.post(
        "/api/cover-letters", json={"job_description": BACKEND_JD}, headers=headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["llm_used"] is False  # the deterministic letter, until the task ends
    letter = await settled(client, headers, response.json())
    assert letter["llm_used"] is True
    assert letter["report"]["llm"]["prompt_version"] == "resume.cover_letter@v1"
    report = {p["id"]: p for p in letter["report"]["paragraphs"]}
    assert report["experience"]["status"] == "rewritten"
    assert report["experience"]["output"].startswith("As Senior Backend Engineer at Acme Corp")
    assert report["skills"]["status"] == "reverted"
    assert any("Google" in u for u in report["skills"]["unsupported"])
    assert any("job's employer" in u for u in report["skills"]["unsupported"])
    assert report["opening"]["status"] == "kept"  # never sent to the model

    pdf = await client.get(f"/api/cover-letters/{letter['id']}/pdf", headers=headers)
    text = rendered_text(pdf.content)
    assert "Google" not in text and "Kubernetes" not in text and "8 years" not in text
    assert "As Senior Backend Engineer at Acme Corp" in text


async def test_a_words_only_outcome_reaches_no_letter_export(llm_client: Client) -> None:
    """Issue 15: "…which doubled user engagement" in one paragraph reached the letter's PDF,
    DOCX and JSON, and the JSON carried the rejected text in ``proposed`` and ``unsupported``."""
    client, ollama = llm_client
    headers = await login_with_profile(client)

    def script(body: dict[str, Any]) -> str:
        paragraphs = paragraphs_in_prompt(body)
        first = next(iter(paragraphs))
        lie = paragraphs[first].rstrip(".") + ", which doubled user engagement."
        return json.dumps({"paragraphs": [{"source_id": first, "text": lie}]})

    ollama.script = script
    response = await client.post(
        "/api/cover-letters", json={"job_description": BACKEND_JD}, headers=headers
    )
    assert response.status_code == 201, response.text
    letter = await settled(client, headers, response.json())
    report = {p["id"]: p for p in letter["report"]["paragraphs"]}
    assert report["experience"]["status"] == "reverted"
    assert any("doubled" in u for u in report["experience"]["unsupported"])  # the app's report
    exported = await client.get(f"/api/cover-letters/{letter['id']}/json", headers=headers)
    assert exported.status_code == 200
    assert "doubled" not in exported.text
    assert "proposed" not in exported.text and "unsupported" not in exported.text
    pdf = await client.get(f"/api/cover-letters/{letter['id']}/pdf", headers=headers)
    assert "doubled" not in rendered_text(pdf.content)
    word = await client.get(f"/api/cover-letters/{letter['id']}/docx", headers=headers)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "doubled" not in text and "Acme Corp" in text
