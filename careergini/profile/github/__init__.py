"""Import a person's public GitHub activity (profile, own repositories, their languages and
topics) as profile evidence, through GitHub's REST API v3.

The evidence rule: a skill counts for a repository when the owner wrote it there (a language with
at least 1% of the repository's code), tagged it (a topic) or named it in the description. Forks
are someone else's code, so they are listed in the text but never count.

``client`` speaks to the API, ``repositories`` reads the repositories and their languages,
``evidence`` maps them to taxonomy skills, ``result`` writes the import, ``importer`` runs it.
"""

from __future__ import annotations

from careergini.profile.github.client import TOKEN_SETTING as TOKEN_SETTING
from careergini.profile.github.importer import (
    import_github as import_github,
    normalize_username as normalize_username,
)
