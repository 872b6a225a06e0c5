// The operators' screen (admins only; the API answers 404 to everyone else): users (role,
// disable, sign out everywhere, delete), the security log of every account, the task queue's
// failures (with reasons, retry), LLM usage per role and model, job-source health, storage use.

import { useState } from "../../vendor/hooks.js";
import { api } from "../api.js";
import { Card, Empty, ErrorAlert, Page, Spinner, Tabs, bytes, html, navigate, useAction, useApp, useAsync, when } from "../ui.js";
import { eventText } from "./account.js";

const TABS = [
  { id: "users", label: "Users" },
  { id: "audit", label: "Security log" },
  { id: "tasks", label: "Failed tasks" },
  { id: "llm", label: "LLM usage" },
  { id: "sources", label: "Job sources" },
  { id: "storage", label: "Storage" },
];

function stamp(iso) {
  return iso ? new Date(iso).toLocaleString() : "never";
}

function Users() {
  const { user: me } = useApp();
  const users = useAsync(() => api("/api/admin/users"), []);
  const act = useAction(async (method, path, json) => {
    await api(path, { method, json });
    await users.reload();
  });
  if (!users.data) return html`<${Spinner} /><${ErrorAlert} error=${users.error} />`;
  return html`<div>
    <${ErrorAlert} error=${act.error} onDismiss=${act.clear} />
    <div class="table-wrap"><table class="table admin-users">
      <thead><tr><th>Account</th><th>Role</th><th>State</th><th>Sign-in</th><th>Last sign-in</th><th><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>
        ${users.data.map((u) => {
          const self = u.id === me.id;
          const base = `/api/admin/users/${u.id}`;
          return html`<tr data-user=${u.email}>
            <td><strong>${u.email}</strong>${u.full_name && html`<div class="muted small">${u.full_name}</div>`}</td>
            <td><span class=${"chip" + (u.role === "admin" ? " chip-info" : "")}>${u.role}</span></td>
            <td>${u.is_active ? html`<span class="chip chip-good">enabled</span>` : html`<span class="chip chip-bad">disabled</span>`}</td>
            <td class="small">${[u.local_login && "password", ...u.providers, u.two_factor && "2FA"].filter(Boolean).join(", ")}</td>
            <td class="small">${stamp(u.last_login_at)}</td>
            <td><div class="row-actions">
              <button type="button" class="btn btn-ghost btn-sm" disabled=${act.busy}
                onClick=${() => act.run("PATCH", base, { role: u.role === "admin" ? "user" : "admin" })}>${u.role === "admin" ? "Make user" : "Make admin"}</button>
              ${!self && html`<button type="button" class="btn btn-ghost btn-sm" disabled=${act.busy}
                onClick=${() => act.run("PATCH", base, { is_active: !u.is_active })}>${u.is_active ? "Disable" : "Enable"}</button>`}
              <button type="button" class="btn btn-ghost btn-sm" disabled=${act.busy}
                onClick=${() => act.run("POST", `${base}/sessions/revoke`)}>Sign out everywhere</button>
              ${!self && html`<button type="button" class="btn btn-danger btn-sm" disabled=${act.busy}
                onClick=${() => confirm(`Delete ${u.email} and everything in the account? This cannot be undone.`) && act.run("DELETE", base)}>Delete</button>`}
            </div></td>
          </tr>`;
        })}
      </tbody>
    </table></div>
  </div>`;
}

function Audit() {
  const [before, setBefore] = useState(null);
  const page = useAsync(() => api(`/api/admin/audit?limit=50${before ? `&before=${before}` : ""}`), [before]);
  const users = useAsync(() => api("/api/admin/users"), []);
  if (!page.data) return html`<${Spinner} /><${ErrorAlert} error=${page.error} />`;
  const emails = Object.fromEntries((users.data || []).map((u) => [u.id, u.email]));
  return html`<div>
    <div class="table-wrap"><table class="table admin-audit">
      <thead><tr><th>When</th><th>Event</th><th>Account</th><th>By</th><th>Address</th><th>Request</th></tr></thead>
      <tbody>
        ${page.data.events.map(
          (e) => html`<tr data-event=${e.event}>
            <td class="small">${stamp(e.at)}</td>
            <td>${eventText(e)}</td>
            <td class="small">${e.user_id ? emails[e.user_id] || html`<span class="muted">deleted ${e.user_id.slice(0, 8)}</span>` : html`<span class="muted">unknown</span>`}</td>
            <td class="small">${e.actor_id ? emails[e.actor_id] || e.actor_id.slice(0, 8) : ""}</td>
            <td class="small">${e.ip || ""}</td>
            <td class="small"><code>${(e.request_id || "").slice(0, 12)}</code></td>
          </tr>`,
        )}
      </tbody>
    </table></div>
    <div class="row-actions">
      ${before && html`<button type="button" class="btn btn-ghost btn-sm" onClick=${() => setBefore(null)}>Newest</button>`}
      ${page.data.next_before && html`<button type="button" class="btn btn-ghost btn-sm" onClick=${() => setBefore(page.data.next_before)}>Older</button>`}
    </div>
  </div>`;
}

function Tasks() {
  const tasks = useAsync(() => api("/api/admin/tasks?status=failed&status=cancelled"), []);
  const retry = useAction(async (id) => {
    await api(`/api/admin/tasks/${id}/retry`, { method: "POST" });
    await tasks.reload();
  });
  if (!tasks.data) return html`<${Spinner} /><${ErrorAlert} error=${tasks.error} />`;
  if (!tasks.data.items.length) return html`<${Empty} title="No failed task">Every background task finished or is on its way.<//>`;
  return html`<div>
    <${ErrorAlert} error=${retry.error} onDismiss=${retry.clear} />
    <ul class="list">
      ${tasks.data.items.map(
        (t) => html`<li class="list-item" data-task=${t.id}>
          <div class="grow"><strong>${t.kind}</strong> <span class="chip chip-bad">${t.status}</span>
            <div class="muted small">started ${stamp(t.created_at)}${t.finished_at ? ` · ended ${stamp(t.finished_at)}` : ""}</div>
            ${t.error && html`<p class="task-error small">${t.error}</p>`}</div>
          <button type="button" class="btn btn-primary btn-sm" disabled=${retry.busy} onClick=${() => retry.run(t.id)}>Retry</button>
        </li>`,
      )}
    </ul>
  </div>`;
}

function UsageTable({ title, rows }) {
  const entries = Object.entries(rows);
  return html`<div>
    <h3>${title}</h3>
    ${entries.length === 0
      ? html`<p class="muted">No calls in this window.</p>`
      : html`<div class="table-wrap"><table class="table">
          <thead><tr><th>${title.replace("By ", "")}</th><th>Calls</th><th>Errors</th><th>Cache hits</th><th>Fallbacks</th><th>Tokens in / out</th><th>Avg. latency</th></tr></thead>
          <tbody>${entries.map(
            ([name, t]) => html`<tr><td>${name}</td><td>${t.calls}</td><td>${t.errors}</td><td>${t.cache_hits}</td><td>${t.fallbacks}</td>
              <td>${t.prompt_tokens} / ${t.completion_tokens}</td><td>${t.avg_latency_seconds == null ? "–" : `${t.avg_latency_seconds.toFixed(1)} s`}</td></tr>`,
          )}</tbody>
        </table></div>`}
  </div>`;
}

function Usage() {
  const [hours, setHours] = useState(24);
  const usage = useAsync(() => api(`/api/admin/llm/usage?hours=${hours}`), [hours]);
  return html`<div class="stack">
    <label class="small">Window
      <select value=${hours} onChange=${(e) => setHours(Number(e.target.value))}>
        <option value="24">24 hours</option><option value="168">7 days</option><option value="720">30 days</option>
      </select>
    </label>
    ${!usage.data
      ? html`<${Spinner} /><${ErrorAlert} error=${usage.error} />`
      : html`<p>${usage.data.total.calls} calls, ${usage.data.total.errors} errors, ${usage.data.total.cache_hits} answered from the cache.</p>
          <${UsageTable} title="By role" rows=${usage.data.by_role} />
          <${UsageTable} title="By model" rows=${usage.data.by_model} />`}
  </div>`;
}

function Sources() {
  const sources = useAsync(() => api("/api/admin/jobs/sources"), []);
  if (!sources.data) return html`<${Spinner} /><${ErrorAlert} error=${sources.error} />`;
  if (!sources.data.length) return html`<${Empty} title="No job source yet">Users add job boards on their Jobs page.<//>`;
  return html`<div class="table-wrap"><table class="table">
    <thead><tr><th>Source</th><th>State</th><th>Last success</th><th>Last attempt</th><th>Next refresh</th></tr></thead>
    <tbody>${sources.data.map(
      (s) => html`<tr data-source=${s.id}>
        <td><strong>${s.name || s.kind}</strong> <span class="muted small">${s.kind}</span></td>
        <td><span class=${"chip " + (s.status === "error" ? "chip-bad" : "chip-good")}>${s.status}</span>${s.last_error && html`<div class="task-error small">${s.last_error}</div>`}</td>
        <td class="small">${stamp(s.last_success_at)}</td><td class="small">${stamp(s.last_attempt_at)}</td><td class="small">${s.next_refresh_at ? stamp(s.next_refresh_at) : "on demand"}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

function Storage() {
  const use = useAsync(() => api("/api/admin/storage"), []);
  if (!use.data) return html`<${Spinner} /><${ErrorAlert} error=${use.error} />`;
  const u = use.data;
  return html`<dl class="facts storage-use">
    <dt>Database (${u.database_backend})</dt><dd>${u.database_bytes == null ? "unknown" : bytes(u.database_bytes)}</dd>
    <dt>Files (${u.file_storage})</dt><dd>${u.files} files, ${bytes(u.files_bytes)}</dd>
    <dt>Vectors (${u.vectors_backend})</dt><dd>${u.vectors_bytes == null ? "kept by the Chroma server" : bytes(u.vectors_bytes)}</dd>
    <dt>Accounts</dt><dd>${u.users}</dd>
    <dt>Security events kept</dt><dd>${u.audit_events}</dd>
  </dl>`;
}

const PANELS = { users: Users, audit: Audit, tasks: Tasks, llm: Usage, sources: Sources, storage: Storage };

export function Admin({ loc }) {
  const { user } = useApp();
  const current = TABS.find((t) => t.id === loc.query.get("tab")) || TABS[0];
  if (!user.is_admin) {
    return html`<section class="page"><h1 tabindex="-1">Page not found</h1><p>There is no page at <code>${loc.path}</code>. <a href="/profile">Go to your profile</a>.</p></section>`;
  }
  const Panel = PANELS[current.id];
  return html`<${Page} title="Administration" intro="Accounts, security events and the health of this CareerGini server.">
    <${Tabs} tabs=${TABS} current=${current.id} label="Administration sections"
      onChange=${(id) => navigate(id === "users" ? "/admin" : `/admin?tab=${id}`, { replace: true })} />
    <div class="tab-body" role="tabpanel" aria-labelledby=${"tab-" + current.id}>
      <${Card}><${Panel} key=${current.id} /><//>
    </div>
  <//>`;
}
