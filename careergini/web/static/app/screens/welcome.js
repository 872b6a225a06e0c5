// The pages a visitor sees without an account: the welcome (what CareerGini does, where the
// data stays, sign up or log in) and the goodbye after an account is deleted.

import { html } from "../ui.js";

const OFFERS = [
  ["One profile from what you have", "Your resume, LinkedIn export or GitHub become one profile, and every fact shows where it came from."],
  ["Where you stand for a job", "Paste a job and see your match, the skills you are missing and how an applicant tracking system reads your resume."],
  ["Resumes and letters you can trust", "Each suggested change sits beside your own words; nothing is added that your profile cannot back up."],
  ["A plan, not just advice", "A week-by-week learning plan, interview practice and a coach to talk it through."],
];

function VisitorShell({ title, children, labelledBy = "page-title" }) {
  return html`<section class="auth welcome" aria-labelledby=${labelledBy}>
    <div class="auth-brand"><span class="logo" aria-hidden="true">C</span> CareerGini</div>
    <div class="card welcome-card">
      <h1 id="page-title" tabindex="-1">${title}</h1>
      ${children}
    </div>
  </section>`;
}

export function Welcome() {
  return html`<${VisitorShell} title="Your career advisor, on your own server">
    <p class="lead">CareerGini reads your career the way a careful recruiter would, shows you where you stand
      for the jobs you want, and helps you close the gap.</p>
    <ul class="welcome-offers">
      ${OFFERS.map(([title, text]) => html`<li><strong>${title}</strong><span>${text}</span></li>`)}
    </ul>
    <p class="welcome-privacy"><strong>Private by design.</strong> Everything stays on this server: your
      files, analyses and chats are never sent elsewhere, and you can download or delete all of it at any time.</p>
    <div class="welcome-actions">
      <a class="btn btn-primary" href="/signup">Create an account</a>
      <a class="btn btn-ghost" href="/login">Log in</a>
    </div>
  <//>`;
}

export function Goodbye() {
  return html`<${VisitorShell} title="Your account is deleted">
    <p class="lead">We erased your profile, uploaded files, analyses, resumes and chats from this server.
      Nothing of it is kept.</p>
    <p>Thank you for trying CareerGini. You are welcome back any time.</p>
    <div class="welcome-actions">
      <a class="btn btn-primary" href="/signup">Create a new account</a>
      <a class="btn btn-ghost" href="/">Back to the start</a>
    </div>
  <//>`;
}
