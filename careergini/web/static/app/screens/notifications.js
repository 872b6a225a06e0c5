// Notifications: everything the bell has told you, and the email digest's preferences
// (off, daily, weekly; the minimum score; the sources whose new postings count).

import { useState } from "../../vendor/hooks.js";
import { api } from "../api.js";
import { TaskProgress } from "../tasks.js";
import { Alert, Card, Empty, ErrorAlert, Page, Spinner, html, useAction, useAsync, when } from "../ui.js";

export function NotificationItem({ item, onOpen }) {
  return html`<li class=${"notice" + (item.read_at ? "" : " notice-unread")} data-kind=${item.kind}>
    <a href=${item.link || "/notifications"} onClick=${() => onOpen && onOpen(item)}>
      <strong>${item.title}</strong>
    </a>
    <div class="small">${item.body}</div>
    <div class="muted small">${when(item.created_at)}${item.read_at ? "" : " · new"}</div>
  </li>`;
}

function Preferences({ prefs, sources, onSaved }) {
  const [form, setForm] = useState({
    email_digest: prefs.email_digest,
    min_score: prefs.min_score,
    source_ids: prefs.source_ids,
  });
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    const next = await api("/api/notifications/preferences", {
      method: "PUT",
      json: { ...form, min_score: Number(form.min_score) },
    });
    setSaved(true);
    onSaved(next);
  });
  const toggle = (id) => {
    const on = form.source_ids.includes(id);
    setForm({ ...form, source_ids: on ? form.source_ids.filter((s) => s !== id) : [...form.source_ids, id] });
    setSaved(false);
  };
  const set = (name) => (e) => {
    setForm({ ...form, [name]: e.target.value });
    setSaved(false);
  };
  return html`<form class="stack" onSubmit=${(e) => {
    e.preventDefault();
    save.run();
  }}>
    ${!prefs.email_available && html`<${Alert} kind="warn" title="Email is not set up on this server">The digest cannot be sent until the operator sets CAREERGINI_SMTP_HOST; the bell still tells you.<//>`}
    <div class="field">
      <label for="digest">Email digest to ${prefs.email}</label>
      <select id="digest" value=${form.email_digest} onChange=${set("email_digest")}>
        <option value="off">Off</option>
        <option value="daily">Daily</option>
        <option value="weekly">Weekly</option>
      </select>
    </div>
    <div class="field">
      <label for="min-score">Tell me about new jobs scoring at least</label>
      <input id="min-score" type="number" min="0" max="100" step="1" value=${form.min_score} onInput=${set("min_score")} />
    </div>
    <fieldset class="field">
      <legend>From these sources (none ticked: all of them)</legend>
      ${sources.length
        ? sources.map(
            (s) => html`<label class="check"><input type="checkbox" checked=${form.source_ids.includes(s.id)} onChange=${() => toggle(s.id)} /> ${s.name || s.identifier} <span class="muted small">(${s.kind})</span></label>`,
          )
        : html`<p class="muted small">You have no job sources yet.</p>`}
    </fieldset>
    <div class="row">
      <button class="btn btn-primary" type="submit" disabled=${save.busy}>Save</button>
      ${saved && html`<span role="status" class="small">Saved.</span>`}
    </div>
    ${prefs.last_emailed_at && html`<p class="muted small">Last digest sent ${when(prefs.last_emailed_at)}.</p>`}
    <${ErrorAlert} error=${save.error} />
  </form>`;
}

export function Notifications() {
  const list = useAsync(() => api("/api/notifications?limit=200"), []);
  const prefs = useAsync(() => api("/api/notifications/preferences"), []);
  const sources = useAsync(() => api("/api/jobs/sources"), []);
  const [task, setTask] = useState(null);
  const readAll = useAction(async () => {
    await api("/api/notifications/read-all", { method: "POST" });
    list.reload();
  });
  const look = useAction(async () => setTask(await api("/api/notifications/run", { method: "POST" })));
  const open = (item) => {
    if (!item.read_at) api(`/api/notifications/${item.id}/read`, { method: "POST" }).catch(() => {});
  };
  return html`<${Page} title="Notifications" intro="New jobs that match you, follow-ups that are due, and jobs you track that closed. CareerGini looks once a day; the digest sends them by email.">
    <${Card} title="Email digest">
      ${prefs.loading || sources.loading ? html`<${Spinner} />` : prefs.error ? html`<${ErrorAlert} error=${prefs.error} />` : html`<${Preferences} prefs=${prefs.data} sources=${sources.data || []} onSaved=${prefs.setData} />`}
    <//>
    <${Card} title="What you were told" actions=${html`<div class="row">
        <button type="button" class="btn btn-ghost btn-sm" disabled=${look.busy || (task && !["succeeded", "failed", "cancelled"].includes(task.status))} onClick=${() => look.run()}>Look now</button>
        <button type="button" class="btn btn-ghost btn-sm" disabled=${readAll.busy || !list.data || !list.data.unread} onClick=${() => readAll.run()}>Mark all read</button>
      </div>`}>
      ${task && html`<${TaskProgress} task=${task} title="Looking for news" onFinal=${() => {
        list.reload();
        prefs.reload();
      }} />`}
      <${ErrorAlert} error=${look.error || readAll.error} />
      ${list.loading ? html`<${Spinner} />` : list.error ? html`<${ErrorAlert} error=${list.error} />` : list.data.items.length
        ? html`<ul class="notice-list">${list.data.items.map((item) => html`<${NotificationItem} key=${item.id} item=${item} onOpen=${open} />`)}</ul>`
        : html`<${Empty} title="Nothing yet">When a new posting scores at least your minimum, a follow-up comes due or a job you track closes, it shows here.<//>`}
    <//>
  <//>`;
}
