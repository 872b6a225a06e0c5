"""After an upload the onboarding screen says, in words, what the import could not read."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, expect

from tests.web.conftest import RESUME, LiveApp, log_in


def test_the_warnings_of_an_upload_are_shown_in_words(
    live_app: LiveApp, context: BrowserContext
) -> None:
    creds = live_app.user()  # has imported RESUME through the API already
    page = context.new_page()
    log_in(page, live_app, creds, then="/onboarding")
    page.locator("#resume-file").set_input_files(RESUME)
    status = page.locator(".status-box")
    expect(status.locator(".ok-line")).to_contain_text("positions", timeout=60_000)
    warning = status.locator(".import-warnings li[data-code='same_file']")
    expect(warning).to_contain_text("This is the same file as import")
    expect(warning).not_to_contain_text("same_file:")  # the code stays out of the words
    # The list of imports shows each import's warnings too.
    expect(page.locator(".list .import-warnings li[data-code='same_file']")).to_have_count(1)
