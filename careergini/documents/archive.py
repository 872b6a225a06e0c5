"""Open ZIP containers (DOCX, LinkedIn exports) without letting a zip bomb exhaust memory."""

from __future__ import annotations

import io
import zipfile

from careergini.documents.errors import ArchiveTooLarge, UnreadableDocument

MAX_ENTRIES = 2_000
MAX_TOTAL_UNCOMPRESSED = 60 * 1024 * 1024
MAX_ENTRY_UNCOMPRESSED = 30 * 1024 * 1024
# Text and XML compress well (10-20x is normal); beyond this ratio a large entry is a bomb.
MAX_RATIO = 150
_RATIO_FLOOR = 1024 * 1024  # tiny entries may compress absurdly well, and that is harmless


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open the archive and check its directory before anything is decompressed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise UnreadableDocument("The file is a damaged or truncated ZIP archive.") from exc
    check_zip(archive)
    return archive


def check_zip(archive: zipfile.ZipFile) -> None:
    """Reject archives whose directory promises too many or too large entries."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveTooLarge(f"The archive holds {len(infos)} files; the limit is {MAX_ENTRIES}.")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnreadableDocument("The archive is password-protected.")
        total += info.file_size
        if info.file_size > MAX_ENTRY_UNCOMPRESSED or total > MAX_TOTAL_UNCOMPRESSED:
            raise ArchiveTooLarge("The archive expands to more data than a resume can hold.")
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise ArchiveTooLarge("The archive is compressed suspiciously well (a zip bomb?).")


def read_member(
    archive: zipfile.ZipFile, name: str, *, limit: int = MAX_ENTRY_UNCOMPRESSED
) -> bytes:
    """Read one entry, stopping at the limit even if the directory lied about its size."""
    try:
        with archive.open(name) as handle:
            chunks: list[bytes] = []
            size = 0
            while chunk := handle.read(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise ArchiveTooLarge(f"{name} expands past {limit // (1024 * 1024)} MB.")
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise UnreadableDocument(f"The archive entry {name} is damaged.") from exc
    return b"".join(chunks)
