// Sign up and log in. The API sets httpOnly cookies; the SPA never sees or stores a token.

import { useState } from "../../vendor/hooks.js";
import { api } from "../api.js";
import { Alert, ErrorAlert, Field, html, navigate, useAction, useApp } from "../ui.js";

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
  const action = useAction(async () => {
    await api("/api/auth/login", { method: "POST", json: { email: email.trim(), password } });
    clearNotice();
    setUser(await api("/api/auth/me"));
  });
  const submit = (e) => {
    e.preventDefault();
    action.run();
  };
  const next = loc.query.get("next");
  return html`<${AuthShell} title="Log in" intro="Welcome back. Log in to see your profile, jobs and plans."
    footer=${html`New here? <a href=${"/signup" + (next ? `?next=${encodeURIComponent(next)}` : "")}>Create an account</a>`}>
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
