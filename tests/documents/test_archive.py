"""ZIP containers (DOCX, LinkedIn exports) opened without letting a zip bomb exhaust memory."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from careergini.documents.archive import open_zip, read_member
from careergini.documents.errors import ArchiveTooLarge, UnreadableDocument

GENERATED = Path(__file__).resolve().parents[1] / "fixtures" / "generated"


def load(name: str) -> bytes:
    return (GENERATED / name).read_bytes()


def _lying_zip(declared: int, actual: bytes) -> bytes:
    """Build a one-entry zip whose directory understates the entry's uncompressed size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Profile.csv", actual)
    data = bytearray(out.getvalue())
    # Patch the uncompressed size in the local header (offset 22) and the central directory.
    struct.pack_into("<I", data, 22, declared)
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def test_reads_stop_at_the_declared_size_even_when_the_directory_lies():
    data = _lying_zip(100, b"x" * 5_000_000)
    archive = open_zip(data)
    with pytest.raises(UnreadableDocument):
        read_member(archive, "Profile.csv")


def test_read_member_caps_what_it_inflates():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Profile.csv", b"a" * 200_000)
    with pytest.raises(ArchiveTooLarge):
        read_member(open_zip(out.getvalue()), "Profile.csv", limit=100_000)


def test_deflate_stream_sanity_for_the_bomb_fixture():
    # The fixture must really be a bomb: a small file that inflates to tens of megabytes.
    with zipfile.ZipFile(io.BytesIO(load("zip_bomb.docx"))) as archive:
        info = archive.getinfo("word/document.xml")
    assert info.file_size > 60 * 1024 * 1024
    assert info.compress_size < info.file_size // 500
