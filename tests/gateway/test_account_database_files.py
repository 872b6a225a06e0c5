"""Files kept in the database (CAREERGINI_FILE_STORAGE=database): import, reparse, ATS, export,
deletion of an import, a job upload and the account, on both stacks, with no file on disk."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from careergini.config import Settings
from careergini.runtime.resources import Resources
from tests.conftest import UserMaker, make_settings
from tests.profile.test_router import RESUME_A, upload


@pytest.fixture
def settings(stack: dict, tmp_path: Path) -> Settings:
    return make_settings(tmp_path, file_storage="database", **stack)


async def _stored(resources: Resources) -> dict[str, bytes]:
    async with resources.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT key, data FROM stored_files"))).all()
    return {row[0]: bytes(row[1]) for row in rows}


def _disk_files(resources: Resources) -> list[Path]:
    return [p for p in resources.settings.files_dir.rglob("*") if p.is_file()]


async def test_a_resume_lives_in_the_database_from_import_to_deletion(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user, other = await make_user(), await make_user()
    created = await client.post(
        "/api/profile/imports", files=upload(RESUME_A), headers=user["headers"]
    )
    assert created.status_code == 201, created.text
    import_id = created.json()["id"]
    key = f"{user['id']}/imports/{import_id}.txt"
    assert await _stored(resources) == {key: RESUME_A.encode()}
    assert _disk_files(resources) == []

    reparsed = await client.post(
        f"/api/profile/imports/{import_id}/reparse", headers=user["headers"]
    )
    assert reparsed.status_code == 200, reparsed.text
    assert reparsed.json()["result"]["profile"]["basics"]["email"] == "jane.doe@example.com"
    # Another user's import is not theirs to reparse.
    foreign = await client.post(
        f"/api/profile/imports/{import_id}/reparse", headers=other["headers"]
    )
    assert foreign.status_code == 404

    ats = await client.post(
        "/api/analysis/ats",
        json={"job_description": "Backend Engineer\n\nRequirements\n- Python and FastAPI\n"},
        headers=user["headers"],
    )
    assert ats.status_code == 200, ats.text

    export = await client.get("/api/account/export", headers=user["headers"])
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    assert archive.read(f"files/imports/{import_id}.txt") == RESUME_A.encode()
    theirs = await client.get("/api/account/export", headers=other["headers"])
    assert zipfile.ZipFile(io.BytesIO(theirs.content)).namelist() == ["account.json"]

    deleted = await client.delete(f"/api/profile/imports/{import_id}", headers=user["headers"])
    assert deleted.status_code == 204
    assert await _stored(resources) == {}


async def test_a_gone_file_is_a_clear_404_not_a_500(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    created = await client.post(
        "/api/profile/imports", files=upload(RESUME_A), headers=user["headers"]
    )
    import_id = created.json()["id"]
    await resources.files.delete_prefix(f"{user['id']}/")
    reparsed = await client.post(
        f"/api/profile/imports/{import_id}/reparse", headers=user["headers"]
    )
    assert reparsed.status_code == 404
    assert "import the file again" in reparsed.json()["detail"]


async def test_account_deletion_removes_the_users_files_only(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    alice, bob = await make_user(), await make_user()
    for user in (alice, bob):
        created = await client.post(
            "/api/profile/imports", files=upload(RESUME_A), headers=user["headers"]
        )
        assert created.status_code == 201, created.text
    csv = "title,company,description\nData Engineer,Acme,Python and SQL\n"
    uploaded = await client.post(
        "/api/jobs/sources/upload",
        files={"file": ("jobs.csv", csv.encode(), "text/csv")},
        headers=alice["headers"],
    )
    assert uploaded.status_code == 201, uploaded.text
    keys = set(await _stored(resources))
    assert {key.split("/")[1] for key in keys if key.startswith(alice["id"])} == {"imports", "jobs"}

    assert (await client.delete("/api/account", headers=alice["headers"])).status_code == 204
    left = await _stored(resources)
    assert [key for key in left if alice["id"] in key] == []
    assert len([key for key in left if key.startswith(bob["id"])]) == 1
    assert _disk_files(resources) == []
