// Sign up and log in (password, the second factor when the account has one, or a configured
// sign-in provider), and consent to link a provider to an existing account. The API sets
// httpOnly cookies; the SPA never sees or stores a token.

import { useState } from "../../vendor/hooks.js";
import { api } from "../api.js";
import { Alert, ErrorAlert, Field, html, navigate, useAction, useApp, useAsync } from "../ui.js";

// The configured providers' buttons: plain links, since the provider's page is a navigation.
function ProviderButtons({ next }) {
  const providers = useAsync(() => api("/api/auth/providers"), []);
  const list = providers.data || [];
  if (!list.length) return null;
  const suffix = next ? `?next=${encodeURIComponent(next)}` : "";
  return html`<div class="providers" aria-label="Sign in with a provider">
    ${list.map(
      (p) => html`<a class="btn btn-ghost btn-block provider-btn" data-provider=${p.id} href=${p.start_url + suffix}>Continue with ${p.name}</a>`,
    )}
    <p class="muted small divider-text">or with your email and password</p>
  </div>`;
}

// A provider account whose verified email belongs to an existing account: its owner consents
// by signing in with the password (and second factor) once.
function LinkConsent() {
  const { setUser, clearNotice } = useApp();
  const pending = useAsync(() => api("/api/auth/oidc/pending"), []);
  const [password, setPassword] = useState("");
  const [otp, setOtp] = useState("");
  const [needsCode, setNeedsCode] = useState(false);
  const action = useAction(async () => {
    try {
      await api("/api/auth/oidc/link", { method: "POST", json: { password, otp: otp.trim() || null } });
    } catch (e) {
      if (e.error === "TwoFactorRequired") {
        setNeedsCode(true);
        return;
      }
      throw e;
    }
    clearNotice();
    const next = pending.data && pending.data.next;
    setUser(await api("/api/auth/me"));
    navigate(next || "/profile", { replace: true });
  });
  if (pending.error) return html`<${ErrorAlert} error=${pending.error} />`;
  if (!pending.data) return null;
  const p = pending.data;
  return html`<form class="form" novalidate onSubmit=${(e) => {
    e.preventDefault();
    action.run();
  }}>
    <${Alert} kind="info" title=${`Link ${p.provider_name} to your account?`}>
      An account with the email <strong>${p.email}</strong> exists here. Enter its password to link your ${p.provider_name} sign-in to it; after that, ${p.provider_name} signs you straight in.
    <//>
    <${ErrorAlert} error=${action.error} />
    <${Field} label="Password of this account" id="link-password">
      <input id="link-password" type="password" autocomplete="current-password" value=${password} onInput=${(e) => setPassword(e.target.value)} />
    <//>
    ${needsCode &&
    html`<${Field} label="Code from your authenticator app" id="link-otp" hint="6 digits, or one of your recovery codes.">
      <input id="link-otp" inputmode="numeric" autocomplete="one-time-code" value=${otp} onInput=${(e) => setOtp(e.target.value)} aria-describedby="link-otp-hint" />
    <//>`}
    <button class="btn btn-primary btn-block" type="submit" disabled=${action.busy}>Link and log in</button>
  </form>`;
}

function AuthShell({ title, intro, children, footer }) {
  const { notice, clearNotice } = useApp();
  return html`<section class="auth" aria-labelledby="page-title">
    <div class="auth-brand"><span class="logo" aria-hidden="true">C</span> CareerGini</div>
    <div class="card auth-card">
      <h1 id="page-title" tabindex="-1">${title}</h1>
      <p class="lead">${intro}</p>
      ${notice && html`<div onClick=${clearNotice}><${Alert} kind="info">${notice}<//></div>`}
      ${children}
    </div>
    <p class="auth-footer">${footer}</p>
    <p class="auth-note">Self-hosted: your resume, analyses and chats stay on this server.</p>
  </section>`;
}

export function Login({ loc }) {
  const { setUser, clearNotice } = useApp();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [otp, setOtp] = useState("");
  const [needsCode, setNeedsCode] = useState(false);
  const action = useAction(async () => {
    const json = { email: email.trim(), password };
    if (needsCode) json.otp = otp.trim();
    try {
      await api("/api/auth/login", { method: "POST", json });
    } catch (e) {
      if (e.error === "TwoFactorRequired") {
        setNeedsCode(true);
        setTimeout(() => document.getElementById("login-otp")?.focus(), 0);
        return;
      }
      throw e;
    }
    clearNotice();
    setUser(await api("/api/auth/me"));
  });
  const submit = (e) => {
    e.preventDefault();
    action.run();
  };
  const next = loc.query.get("next");
  const ssoError = loc.query.get("sso_error");
  const unlocked = loc.query.get("unlocked");
  if (loc.query.get("link") === "1") {
    return html`<${AuthShell} title="Link your sign-in" intro="One more step before you are in."
      footer=${html`Not you? <a href="/login">Log in another way</a>`}><${LinkConsent} /><//>`;
  }
  return html`<${AuthShell} title="Log in" intro="Welcome back. Log in to see your profile, jobs and plans."
    footer=${html`New here? <a href=${"/signup" + (next ? `?next=${encodeURIComponent(next)}` : "")}>Create an account</a>`}>
    ${ssoError && html`<${Alert} kind="error" title="The provider sign-in did not work">${ssoError}<//>`}
    ${unlocked === "1" && html`<${Alert} kind="info">The lock is lifted: you can log in again.<//>`}
    ${unlocked === "0" && html`<${Alert} kind="error">That unlock link has expired or was used already.<//>`}
    <${ProviderButtons} next=${next} />
    <form onSubmit=${submit} class="form" novalidate>
      <${ErrorAlert} error=${action.error} />
      <${Field} label="Email" id="login-email">
        <input id="login-email" type="email" autocomplete="email" required value=${email}
          onInput=${(e) => setEmail(e.target.value)} />
      <//>
      <${Field} label="Password" id="login-password">
        <input id="login-password" type="password" autocomplete="current-password" required value=${password}
          onInput=${(e) => setPassword(e.target.value)} />
      <//>
      ${needsCode &&
      html`<${Field} label="Code from your authenticator app" id="login-otp" hint="This account uses two-factor sign-in: enter the 6-digit code, or one of your recovery codes.">
        <input id="login-otp" inputmode="numeric" autocomplete="one-time-code" required value=${otp}
          onInput=${(e) => setOtp(e.target.value)} aria-describedby="login-otp-hint" />
      <//>`}
      <button class="btn btn-primary btn-block" type="submit" disabled=${action.busy}>${action.busy ? "Logging in…" : "Log in"}</button>
    </form>
  <//>`;
}

export function Signup() {
  const { setUser, clearNotice } = useApp();
  const [form, setForm] = useState({ full_name: "", email: "", password: "" });
  const [local, setLocal] = useState({});
  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value });
  const action = useAction(async () => {
    const body = { email: form.email.trim(), password: form.password };
    if (form.full_name.trim()) body.full_name = form.full_name.trim();
    await api("/api/auth/register", { method: "POST", json: body });
    await api("/api/auth/login", { method: "POST", json: { email: body.email, password: body.password } });
    const me = await api("/api/auth/me");
    clearNotice();
    navigate("/onboarding", { replace: true });
    setUser(me);
  });
  const submit = (e) => {
    e.preventDefault();
    const problems = {};
    if (!/^\S+@\S+\.\S+$/.test(form.email.trim())) problems.email = "Enter an email address like name@example.com.";
    if (form.password.length < 8) problems.password = "Use at least 8 characters.";
    setLocal(problems);
    if (!Object.keys(problems).length) action.run();
  };
  return html`<${AuthShell} title="Create your account"
    intro="Bring your resume, LinkedIn export or GitHub: CareerGini turns it into one profile and shows where you stand for the jobs you want."
    footer=${html`Already have an account? <a href="/login">Log in</a>`}>
    <form onSubmit=${submit} class="form" novalidate>
      <${ErrorAlert} error=${action.error} />
      <${Field} label="Your name (optional)" id="signup-name">
        <input id="signup-name" autocomplete="name" value=${form.full_name} onInput=${set("full_name")} />
      <//>
      <${Field} label="Email" id="signup-email" error=${local.email}>
        <input id="signup-email" type="email" autocomplete="email" required value=${form.email} onInput=${set("email")}
          aria-invalid=${!!local.email} />
      <//>
      <${Field} label="Password" id="signup-password" hint="8 to 128 characters. A few words make a good one." error=${local.password}>
        <input id="signup-password" type="password" autocomplete="new-password" required value=${form.password}
          onInput=${set("password")} aria-invalid=${!!local.password} aria-describedby="signup-password-hint" />
      <//>
      <button class="btn btn-primary btn-block" type="submit" disabled=${action.busy}>${action.busy ? "Creating your account…" : "Create account"}</button>
    </form>
  <//>`;
}
