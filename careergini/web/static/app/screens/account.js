// Your account: active logins (sign one out), export everything, erase the account.

import { useState } from "../../vendor/hooks.js";
import { api, download } from "../api.js";
import { Card, ErrorAlert, Field, Page, Spinner, html, useAction, useApp, useAsync, when } from "../ui.js";

function Sessions() {
  const sessions = useAsync(() => api("/api/auth/sessions"), []);
  const revoke = useAction(async (id) => {
    await api(`/api/auth/sessions/${id}`, { method: "DELETE" });
    sessions.reload();
  });
  if (!sessions.data) return html`<${Spinner} /><${ErrorAlert} error=${sessions.error} />`;
  return html`<ul class="list">
    ${sessions.data.map(
      (s) => html`<li class="list-item">
        <div><strong>${browserName(s.user_agent)}</strong>${s.current && html` <span class="chip chip-good">this browser</span>`}
          <div class="muted small">${s.ip || "unknown address"} · since ${when(s.created_at)} · until ${when(s.expires_at)}</div></div>
        ${!s.current && html`<button type="button" class="btn btn-ghost btn-sm" disabled=${revoke.busy} onClick=${() => revoke.run(s.id)}>Sign out</button>`}
      </li>`,
    )}
  </ul><${ErrorAlert} error=${revoke.error} />`;
}

function browserName(ua) {
  if (!ua) return "Unknown device";
  const m = /(Firefox|Edg|Chrome|Chromium|Safari)\/[\d.]+/.exec(ua);
  const os = /(Windows|Mac OS X|Android|iPhone|Linux)/.exec(ua);
  return [m ? m[1].replace("Edg", "Edge") : ua.slice(0, 40), os && os[1]].filter(Boolean).join(" on ");
}

export function Account() {
  const { user, accountDeleted } = useApp();
  const exporter = useAction(() => download("/api/account/export", "careergini-export.zip"));
  const [confirmText, setConfirm] = useState("");
  const erase = useAction(async () => {
    await api("/api/account", { method: "DELETE" });
    accountDeleted();
  });
  return html`<${Page} title="Your account" intro=${`Logged in as ${user.email}.`}>
    <div class="grid-2">
      <${Card} title="Where you are logged in"><${Sessions} /><//>
      <div class="stack">
        <${Card} title="Your data">
          <p>Download everything CareerGini holds about you: your profile, uploaded files and analyses, as a ZIP.</p>
          <button type="button" class="btn btn-ghost" onClick=${() => exporter.run()} disabled=${exporter.busy}>${exporter.busy ? "Preparing…" : "Download my data"}</button>
          <${ErrorAlert} error=${exporter.error} />
        <//>
        <${Card} title="Delete your account" class="card-danger">
          <p>This erases your account, files, analyses and chats from this server. It cannot be undone.</p>
          <form class="form" onSubmit=${(e) => {
            e.preventDefault();
            erase.run();
          }}>
            <${Field} label=${`Type ${user.email} to confirm`} id="delete-confirm">
              <input id="delete-confirm" value=${confirmText} onInput=${(e) => setConfirm(e.target.value)} autocomplete="off" />
            <//>
            <button type="submit" class="btn btn-danger" disabled=${confirmText.trim() !== user.email || erase.busy}>Delete my account</button>
            <${ErrorAlert} error=${erase.error} />
          </form>
        <//>
      </div>
    </div>
  <//>`;
}
