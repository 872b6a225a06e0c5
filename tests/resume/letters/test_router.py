"""Cover letters through the HTTP API, on both stacks, the model server offline (degraded mode);
tests/resume/letters/test_llm_router.py scripts a model."""

from __future__ import annotations

import io

import docx
import httpx

from tests.conftest import UserMaker
from tests.resume.samples import INJECTION_JD, rendered_text, user_with_profile


async def test_cover_letters_are_grounded_editable_and_exported(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    created = await client.post(
        "/api/cover-letters",
        json={"job_description": INJECTION_JD, "tone": "warm", "llm": False},
        headers=user["headers"],
    )
    assert created.status_code == 201, created.text
    letter = created.json()
    content = letter["content"]
    assert content["greeting"] == "Dear Acme Payments team,"
    assert content["closing"] == "Warm regards," and content["signature"] == "Zoë Álvarez-Núñez"
    text = " ".join(p["text"] for p in content["paragraphs"])
    assert "Senior Backend Engineer opening at Acme Payments" in text
    assert "Senior Backend Engineer at Acme Corp" in text and "2M requests a day" in text
    for invented in ("Google", "PhD", "Kubernetes"):
        assert invented not in text
    assert [p["id"] for p in letter["report"]["paragraphs"]] == [
        "opening", "experience", "skills", "closing",
    ]  # fmt: skip

    url = f"/api/cover-letters/{letter['id']}"
    claim = await client.patch(
        url,
        json={"paragraphs": [{"id": "skills", "action": "edit",
                              "text": "I worked at Acme Payments for five years."}]},
        headers=user["headers"],
    )  # fmt: skip
    assert claim.status_code == 422
    assert any("job's employer" in u for u in claim.json()["unsupported"])
    edited = await client.patch(
        url,
        json={"paragraphs": [{"id": "skills", "action": "edit",
                              "text": "I use Python, FastAPI and PostgreSQL every day."}]},
        headers=user["headers"],
    )  # fmt: skip
    assert edited.status_code == 200
    assert edited.json()["report"]["paragraphs"][2]["status"] == "edited"

    pdf = await client.get(f"{url}/pdf", headers=user["headers"])
    assert pdf.status_code == 200
    rendered = rendered_text(pdf.content)
    assert "I use Python, FastAPI and PostgreSQL every day." in rendered
    assert "Zoë Álvarez-Núñez" in rendered
    word = docx.Document(
        io.BytesIO((await client.get(f"{url}/docx", headers=user["headers"])).content)
    )
    assert any("every day" in p.text for p in word.paragraphs)
    preview = await client.get(f"{url}/preview?template=modern", headers=user["headers"])
    assert preview.status_code == 200 and "Dear Acme Payments team," in preview.text
    data = (await client.get(f"{url}/json", headers=user["headers"])).json()
    assert data["text"].startswith("Dear Acme Payments team,")
    assert (await client.get(f"{url}/txt", headers=user["headers"])).status_code == 422

    listed = (await client.get("/api/cover-letters", headers=user["headers"])).json()
    assert [c["id"] for c in listed] == [letter["id"]]
    other = await make_user()
    assert (await client.get(url, headers=other["headers"])).status_code == 404
    assert (await client.get(f"{url}/pdf", headers=other["headers"])).status_code == 404
    assert (await client.delete(url, headers=user["headers"])).status_code == 204
    assert (await client.get(url, headers=user["headers"])).status_code == 404
