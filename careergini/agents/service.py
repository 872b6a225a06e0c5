"""The coach's public API for other packages: what the account export and deletion call."""

from __future__ import annotations

from careergini.agents.chat.service import export_for_account as export_for_account
