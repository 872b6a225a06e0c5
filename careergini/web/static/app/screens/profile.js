// The profile dashboard: skills by area (radar of strength, bars of recency), each skill's
// evidence, the experience timeline, and where every fact came from.

import { useState } from "../../vendor/hooks.js";
import { api, download } from "../api.js";
import {
  Card,
  Chip,
  Empty,
  ErrorAlert,
  Page,
  Radar,
  Sources,
  Spinner,
  StackedBars,
  html,
  sourceLabel,
  useAction,
  useAsync,
} from "../ui.js";
import { BASIC_LABELS, ConfirmList, SkillsEditor, Timeline, loadProfile } from "./profile-edit.js";

export const CATEGORY_LABELS = {
  language: "Languages",
  framework: "Frameworks",
  library: "Libraries",
  database: "Databases",
  cloud: "Cloud",
  devops: "DevOps",
  data_ml: "Data & ML",
  os: "Systems",
  tool: "Tools",
  design: "Design",
  networking: "Networking",
  security: "Security",
  method: "Methods",
  digital: "Digital",
  knowledge: "Knowledge",
  soft_skill: "Soft skills",
  business: "Business",
  other: "Other",
};

const RECENCY = [
  { key: "current", label: "Used this year" },
  { key: "recent", label: "1–3 years ago" },
  { key: "dated", label: "Longer ago" },
  { key: "undated", label: "Listed, no date" },
];

function recency(skill, year) {
  const y = skill.last_used_year;
  if (!y) return "undated";
  if (year - y <= 0) return "current";
  if (year - y <= 3) return "recent";
  return "dated";
}

// Strength of one skill: evidence (capped) weighted by how recently it was used.
function strength(skill, year) {
  const weight = { current: 1, recent: 0.8, dated: 0.5, undated: 0.6 }[recency(skill, year)];
  return (1 + Math.min(skill.evidence.length, 4) * 0.5) * weight;
}

function byCategory(skills) {
  const groups = new Map();
  for (const s of skills) {
    const key = s.category || "other";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(s);
  }
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
}

function evidenceLine(e, profile) {
  const where = { skills: "Skills section", work: "Experience", projects: "Projects", summary: "Summary", github: "GitHub", education: "Education" }[e.section] || e.section;
  let detail = "";
  if (e.work_index != null && e.section === "work") {
    const job = profile.work[e.work_index];
    if (job) detail = ` (${[job.title, job.company].filter(Boolean).join(", ")})`;
  }
  return `${where}${detail}: “${e.surface}”`;
}

function SkillAreas({ profile }) {
  const year = new Date().getFullYear();
  const groups = byCategory(profile.skills);
  const totals = groups.map(([key, skills]) => [key, skills.reduce((a, s) => a + strength(s, year), 0)]);
  const max = Math.max(1, ...totals.map(([, v]) => v));
  const axes = totals.slice(0, 8).map(([key, v]) => ({ label: CATEGORY_LABELS[key] || key, value: v / max }));
  const rows = groups.map(([key, skills]) => ({
    label: CATEGORY_LABELS[key] || key,
    segments: RECENCY.map((r) => ({ key: r.key, value: skills.filter((s) => recency(s, year) === r.key).length })),
  }));
  return html`<div class="charts">
    ${axes.length >= 3 &&
    html`<figure class="chart-box">
      <${Radar} axes=${axes} title=${"Strength by skill area: " + axes.map((a) => `${a.label} ${Math.round(a.value * 100)}%`).join(", ")} />
      <figcaption class="muted small">Strength by area: how many skills, how much evidence, how recent.</figcaption>
    </figure>`}
    <div class="chart-box">
      <${StackedBars} rows=${rows} legend=${RECENCY} title="Skills per area, by when you last used them" />
    </div>
  </div>`;
}

function SkillGroups({ profile }) {
  const year = new Date().getFullYear();
  const [open, setOpen] = useState(null);
  return html`<div class="skill-groups">
    ${byCategory(profile.skills).map(
      ([key, skills]) => html`<div class="skill-group">
        <h3>${CATEGORY_LABELS[key] || key} <span class="count">${skills.length}</span></h3>
        <ul class="chips">
          ${skills.map((s) => {
            const id = `${key}-${s.skill_id || s.name}`;
            return html`<li>
              <button type="button" class=${"chip chip-btn rec-" + recency(s, year)} aria-expanded=${open === id}
                onClick=${() => setOpen(open === id ? null : id)}>
                ${s.name}<span class="chip-meta">${s.evidence.length}× ${s.last_used_year ? "· " + s.last_used_year : ""}</span>
              </button>
            </li>`;
          })}
        </ul>
        ${skills
          .filter((s) => open === `${key}-${s.skill_id || s.name}`)
          .map(
            (s) => html`<div class="evidence-box" role="region" aria-label=${"Evidence for " + s.name}>
              <strong>${s.name}</strong> ${s.added_by_user ? html`<${Chip} kind="chip-edited">added by you<//>` : html`<${Sources} sources=${s.sources} />`}
              <ul class="evidence">${s.evidence.map((e) => html`<li>${evidenceLine(e, profile)}</li>`)}</ul>
              ${!s.skill_id && html`<p class="muted small">Not in the skills taxonomy, so analyses match it by name only.</p>`}
            </div>`,
          )}
      </div>`,
    )}
  </div>`;
}

function Header({ profile }) {
  const b = profile.basics;
  const name = (b.name && b.name.value) || "Your profile";
  const contacts = ["email", "phone", "location", "linkedin", "github", "website"].filter((k) => b[k] && b[k].value);
  return html`<div class="profile-head card">
    <div class="avatar" aria-hidden="true">${name.split(/\s+/).map((p) => p[0]).slice(0, 2).join("")}</div>
    <div class="profile-id">
      <p class="profile-name">${name}</p>
      ${b.headline && b.headline.value && html`<p class="lead">${b.headline.value}</p>`}
      <ul class="contacts">
        ${contacts.map(
          (k) => html`<li><span class="muted">${BASIC_LABELS[k]}:</span> ${b[k].value}
            ${b[k].edited ? html`<${Chip} kind="chip-edited">edited<//>` : html`<${Sources} sources=${b[k].sources} />`}</li>`,
        )}
      </ul>
    </div>
  </div>`;
}

function Stats({ profile, imports }) {
  const year = new Date().getFullYear();
  const current = profile.skills.filter((s) => recency(s, year) === "current").length;
  const items = [
    [profile.work.filter((w) => !w.hidden).length, "positions"],
    [profile.skills.length, "skills"],
    [current, "used this year"],
    [imports.length, imports.length === 1 ? "source" : "sources"],
  ];
  return html`<ul class="stats">${items.map(([n, label]) => html`<li><span class="stat-n">${n}</span><span class="stat-l">${label}</span></li>`)}</ul>`;
}

export function Profile() {
  const profile = useAsync(loadProfile, []);
  const imports = useAsync(() => api("/api/profile/imports"), []);
  const exporter = useAction(() => download("/api/profile/export", "profile.json"));
  const p = profile.data;
  const empty = p && !p.work.length && !p.skills.length && !(p.basics.name && p.basics.name.value);
  const actions = html`<a class="btn btn-ghost" href="/onboarding">Import or correct</a>
    <button type="button" class="btn btn-ghost" onClick=${() => exporter.run()} disabled=${exporter.busy || !p || empty}>JSON Resume</button>
    <a class="btn btn-primary" href="/analyse">Analyse a job</a>`;
  return html`<${Page} title="Your profile" intro="Everything CareerGini knows about your career, and where each fact came from." actions=${actions} wide>
    <${ErrorAlert} error=${profile.error || imports.error || exporter.error} />
    ${profile.loading && !p && html`<${Spinner} />`}
    ${empty &&
    html`<${Empty} title="Your profile is empty" action=${html`<a class="btn btn-primary" href="/onboarding">Import your resume</a>`}>
      Upload a resume, a LinkedIn export or a GitHub username to get started.<//>`}
    ${p && !empty &&
    html`<div class="dash">
      <div class="dash-main">
        <${Header} profile=${p} />
        <${ConfirmList} profile=${p} onChange=${profile.setData} />
        ${imports.data && html`<${Stats} profile=${p} imports=${imports.data} />`}
        <${Card} title="Skills by area" id="skills-card">
          <${SkillAreas} profile=${p} />
          <${SkillGroups} profile=${p} />
          <details class="edit-skills"><summary>Add or remove skills</summary><${SkillsEditor} profile=${p} onChange=${profile.setData} /></details>
        <//>
      </div>
      <div class="dash-side">
        <${Card} title="Experience"><${Timeline} kind="work" profile=${p} onChange=${profile.setData} /><//>
        <${Card} title="Education"><${Timeline} kind="education" profile=${p} onChange=${profile.setData} /><//>
        ${imports.data &&
        html`<${Card} title="Sources" actions=${html`<a href="/onboarding" class="btn-link">Manage</a>`}>
          <ul class="list compact">${imports.data.map(
            (imp) => html`<li class="list-item"><span>${sourceLabel({ kind: imp.kind, label: imp.filename || imp.source_ref })}</span>
              <span class="muted small">${imp.counts.skills || 0} skills</span></li>`,
          )}</ul>
        <//>`}
      </div>
    </div>`}
  <//>`;
}
