// Your account: active logins (sign one out), two-factor sign-in, password, linked sign-in
// providers, access tokens for assistants (MCP), your security log, export everything, erase
// the account.

import { useState } from "../../vendor/hooks.js";
import { api, download } from "../api.js";
import { Alert, Card, ErrorAlert, Field, Page, Spinner, html, useAction, useApp, useAsync, when } from "../ui.js";

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

// Two-factor sign-in: set up (QR code + a code to confirm), recovery codes shown once, turn off.
function TwoFactor() {
  const { user, setUser } = useApp();
  const status = useAsync(() => api("/api/auth/2fa"), []);
  const [setup, setSetup] = useState(null);
  const [code, setCode] = useState("");
  const [codes, setCodes] = useState(null);
  const refresh = async () => {
    await status.reload();
    setUser(await api("/api/auth/me"));
  };
  const start = useAction(async () => setSetup(await api("/api/auth/2fa/setup", { method: "POST" })));
  const enable = useAction(async () => {
    const body = await api("/api/auth/2fa/enable", { method: "POST", json: { code: code.trim() } });
    setCodes(body.recovery_codes);
    setSetup(null);
    setCode("");
    await refresh();
  });
  const disable = useAction(async () => {
    await api("/api/auth/2fa/disable", { method: "POST", json: { code: code.trim() } });
    setCode("");
    setCodes(null);
    await refresh();
  });
  const renew = useAction(async () => {
    const body = await api("/api/auth/2fa/recovery-codes", { method: "POST", json: { code: code.trim() } });
    setCodes(body.recovery_codes);
    setCode("");
    await status.reload();
  });
  const error = start.error || enable.error || disable.error || renew.error;
  const codeField = (label) => html`<${Field} label=${label} id="totp-code">
    <input id="totp-code" inputmode="numeric" autocomplete="one-time-code" value=${code} onInput=${(e) => setCode(e.target.value)} />
  <//>`;
  if (!status.data) return html`<${Spinner} /><${ErrorAlert} error=${status.error} />`;
  return html`<div class="stack">
    <${ErrorAlert} error=${error} />
    ${codes &&
    html`<${Alert} kind="warn" title="Your recovery codes (shown once)">
      <p>Each one signs you in once if you lose your phone. Keep them somewhere safe, away from this computer.</p>
      <ul class="recovery-codes" aria-label="Recovery codes">${codes.map((c) => html`<li>${c}</li>`)}</ul>
    <//>`}
    ${status.data.enabled
      ? html`<p><span class="chip chip-good">On</span> Signing in asks for a code from your authenticator app. ${status.data.recovery_codes_left} recovery codes left.</p>
          <form class="form" onSubmit=${(e) => e.preventDefault()}>
            ${codeField("A current code (or a recovery code)")}
            <div class="row-actions">
              <button type="button" class="btn btn-ghost" disabled=${!code.trim() || renew.busy} onClick=${() => renew.run()}>New recovery codes</button>
              <button type="button" class="btn btn-danger" disabled=${!code.trim() || disable.busy} onClick=${() => disable.run()}>Turn off</button>
            </div>
          </form>`
      : setup
        ? html`<div class="totp-setup">
            <p>Scan this code with an authenticator app (Aegis, Google Authenticator, 1Password…), or type the key by hand.</p>
            <div class="totp-qr" dangerouslySetInnerHTML=${{ __html: setup.qr_svg }} role="img" aria-label="QR code of your authenticator key"></div>
            <p class="small">Key: <code data-totp-secret>${setup.secret}</code></p>
            <form class="form" onSubmit=${(e) => {
              e.preventDefault();
              enable.run();
            }}>
              ${codeField("The 6-digit code the app shows")}
              <button type="submit" class="btn btn-primary" disabled=${enable.busy || code.trim().length < 6}>Turn on</button>
            </form>
          </div>`
        : html`<p>${user.local_login ? "Protect your password with a code from your phone." : "Your sign-in provider checks who you are."}</p>
            <button type="button" class="btn btn-ghost" disabled=${start.busy} onClick=${() => start.run()}>Set up two-factor sign-in</button>`}
  </div>`;
}

function PasswordForm() {
  const { user, setUser } = useApp();
  const [form, setForm] = useState({ current_password: "", new_password: "", otp: "" });
  const [done, setDone] = useState(false);
  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value });
  const save = useAction(async () => {
    const json = { new_password: form.new_password };
    if (user.local_login) json.current_password = form.current_password;
    if (user.two_factor) json.otp = form.otp.trim();
    await api("/api/auth/password", { method: "POST", json });
    setForm({ current_password: "", new_password: "", otp: "" });
    setDone(true);
    setUser(await api("/api/auth/me"));
  });
  return html`<form class="form" onSubmit=${(e) => {
    e.preventDefault();
    setDone(false);
    save.run();
  }}>
    <${ErrorAlert} error=${save.error} />
    ${done && html`<${Alert} kind="info">Password saved. Your other logins were signed out.<//>`}
    ${user.local_login &&
    html`<${Field} label="Current password" id="pw-current">
      <input id="pw-current" type="password" autocomplete="current-password" value=${form.current_password} onInput=${set("current_password")} />
    <//>`}
    <${Field} label=${user.local_login ? "New password" : "Password (you have none yet)"} id="pw-new" hint="8 to 128 characters.">
      <input id="pw-new" type="password" autocomplete="new-password" value=${form.new_password} onInput=${set("new_password")} aria-describedby="pw-new-hint" />
    <//>
    ${user.two_factor &&
    html`<${Field} label="Code from your authenticator app" id="pw-otp">
      <input id="pw-otp" inputmode="numeric" autocomplete="one-time-code" value=${form.otp} onInput=${set("otp")} />
    <//>`}
    <button type="submit" class="btn btn-ghost" disabled=${save.busy || form.new_password.length < 8}>${user.local_login ? "Change password" : "Set password"}</button>
  </form>`;
}

function LinkedSignIns() {
  const identities = useAsync(() => api("/api/auth/identities"), []);
  const providers = useAsync(() => api("/api/auth/providers"), []);
  const unlink = useAction(async (id) => {
    await api(`/api/auth/identities/${id}`, { method: "DELETE" });
    identities.reload();
  });
  if (!identities.data || !providers.data) return html`<${Spinner} /><${ErrorAlert} error=${identities.error || providers.error} />`;
  const names = Object.fromEntries(providers.data.map((p) => [p.id, p.name]));
  const linked = new Set(identities.data.map((i) => i.provider));
  const free = providers.data.filter((p) => !linked.has(p.id));
  if (!identities.data.length && !free.length) return html`<p class="muted">No sign-in provider is configured on this server.</p>`;
  return html`<div>
    <${ErrorAlert} error=${unlink.error} />
    <ul class="list">
      ${identities.data.map(
        (i) => html`<li class="list-item" data-identity=${i.provider}>
          <div><strong>${names[i.provider] || i.provider}</strong><div class="muted small">linked ${when(i.created_at)}${i.last_login_at ? ` · last used ${when(i.last_login_at)}` : ""}</div></div>
          <button type="button" class="btn btn-ghost btn-sm" disabled=${unlink.busy} onClick=${() => unlink.run(i.id)}>Unlink</button>
        </li>`,
      )}
    </ul>
    <div class="row-actions">
      ${free.map((p) => html`<a class="btn btn-ghost btn-sm" href=${`${p.start_url}?link=true&next=/account`}>Link ${p.name}</a>`)}
    </div>
  </div>`;
}

// Personal access tokens for an AI assistant (MCP at /mcp or `careergini mcp`): made with a
// name and scopes, shown once, listed with their last use, revoked.
function AccessTokens() {
  const tokens = useAsync(() => api("/api/account/tokens"), []);
  const [name, setName] = useState("");
  const [write, setWrite] = useState(false);
  const [made, setMade] = useState(null);
  const create = useAction(async () => {
    const scopes = write ? ["read", "write"] : ["read"];
    setMade(await api("/api/account/tokens", { method: "POST", json: { name: name.trim(), scopes } }));
    setName("");
    tokens.reload();
  });
  const revoke = useAction(async (id) => {
    await api(`/api/account/tokens/${id}`, { method: "DELETE" });
    tokens.reload();
  });
  const mcpUrl = `${location.origin}/mcp`;
  return html`<div class="stack">
    <p class="muted small">Let your own AI assistant use CareerGini over the Model Context Protocol at <code>${mcpUrl}</code> (header <code>${"Authorization: Bearer <token>"}</code>), or locally with <code>CAREERGINI_MCP_TOKEN=… careergini mcp</code>.
      The <a href="/clipper" target="_blank" rel="noopener">browser clipper</a> uses a token too.</p>
    <form class="form" onSubmit=${(e) => {
      e.preventDefault();
      create.run();
    }}>
      <${Field} label="Token name" id="token-name">
        <input id="token-name" maxlength="100" placeholder="e.g. Claude on my laptop" value=${name} onInput=${(e) => setName(e.target.value)} />
      <//>
      <label class="check"><input type="checkbox" checked=${write} onChange=${(e) => setWrite(e.target.checked)} /> Can also change things (save jobs, track applications, tailor resumes)</label>
      <button type="submit" class="btn btn-primary" disabled=${!name.trim() || create.busy}>Create token</button>
      <${ErrorAlert} error=${create.error} />
    </form>
    ${made && html`<${Alert} kind="info">
      <p>Copy the token <strong>${made.name}</strong> now: it is not shown again.</p>
      <code class="token-secret" data-token>${made.token}</code>
    <//>`}
    ${!tokens.data
      ? html`<${Spinner} /><${ErrorAlert} error=${tokens.error} />`
      : html`<ul class="list access-tokens" aria-label="Access tokens">
          ${tokens.data.length === 0 && html`<li class="list-item muted">No tokens yet.</li>`}
          ${tokens.data.map(
            (t) => html`<li class="list-item" data-token-id=${t.id}>
              <div><strong>${t.name}</strong> <span class="muted small">cgp_${t.hint}…</span>
                ${t.scopes.map((s) => html` <span class="chip">${s}</span>`)}
                ${t.revoked_at && html` <span class="chip chip-bad">revoked</span>`}
                <div class="muted small">made ${when(t.created_at)} · ${t.last_used_at ? `last used ${when(t.last_used_at)}` : "never used"}</div></div>
              ${!t.revoked_at && html`<button type="button" class="btn btn-ghost btn-sm" aria-label=${`Revoke ${t.name}`} disabled=${revoke.busy} onClick=${() => revoke.run(t.id)}>Revoke</button>`}
            </li>`,
          )}
        </ul>`}
    <${ErrorAlert} error=${revoke.error} />
  </div>`;
}

const EVENT_WORDS = {
  "account.registered": "Account created",
  "login.succeeded": "Signed in",
  "login.failed": "Failed sign-in",
  "login.locked": "Address locked out after failed sign-ins",
  "login.unlocked": "Lock lifted by the emailed link",
  logout: "Signed out",
  "token.reuse_detected": "A copied session was caught and ended",
  "session.revoked": "A login was signed out",
  "password.changed": "Password changed",
  "2fa.enabled": "Two-factor sign-in turned on",
  "2fa.disabled": "Two-factor sign-in turned off",
  "2fa.recovery_codes_created": "New recovery codes",
  "2fa.recovery_code_used": "Recovery code used",
  "identity.linked": "Sign-in provider linked",
  "identity.unlinked": "Sign-in provider unlinked",
  "role.changed": "Role changed",
  "account.exported": "Data downloaded",
  "admin.user_disabled": "Disabled by an admin",
  "admin.user_enabled": "Enabled by an admin",
  "admin.sessions_reset": "Signed out everywhere by an admin",
  "access_token.created": "Access token created",
  "access_token.revoked": "Access token revoked",
};

export function eventText(e) {
  const words = EVENT_WORDS[e.event] || e.event;
  const d = e.detail || {};
  const extra = [d.method, d.reason && d.reason.replaceAll("_", " "), d.provider, d.role].filter(Boolean).join(", ");
  return extra ? `${words} (${extra})` : words;
}

function SecurityLog() {
  const [before, setBefore] = useState(null);
  const page = useAsync(() => api(`/api/account/audit?limit=20${before ? `&before=${before}` : ""}`), [before]);
  if (!page.data) return html`<${Spinner} /><${ErrorAlert} error=${page.error} />`;
  return html`<div>
    <ul class="list compact security-log">
      ${page.data.events.map(
        (e) => html`<li class="list-item" data-event=${e.event}>
          <span>${eventText(e)}</span>
          <span class="muted small">${new Date(e.at).toLocaleString()} · ${e.ip || "no address"}</span>
        </li>`,
      )}
    </ul>
    <div class="row-actions">
      ${before && html`<button type="button" class="btn btn-ghost btn-sm" onClick=${() => setBefore(null)}>Newest</button>`}
      ${page.data.next_before && html`<button type="button" class="btn btn-ghost btn-sm" onClick=${() => setBefore(page.data.next_before)}>Older</button>`}
    </div>
  </div>`;
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
      <div class="stack">
        <${Card} title="Where you are logged in"><${Sessions} /><//>
        <${Card} title="Two-factor sign-in" id="two-factor"><${TwoFactor} /><//>
        <${Card} title="Password"><${PasswordForm} /><//>
        <${Card} title="Sign-in providers"><${LinkedSignIns} /><//>
        <${Card} title="Access tokens for assistants" id="access-tokens"><${AccessTokens} /><//>
      </div>
      <div class="stack">
        <${Card} title="Security log"><${SecurityLog} /><//>
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
