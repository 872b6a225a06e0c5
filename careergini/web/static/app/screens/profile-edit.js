// The parsed profile, correctable inline: basics (with other sources' values to pick from),
// summary, positions, education and skills. Every change is a PATCH /api/profile; the server
// keeps corrections through later imports.

import { useEffect, useRef, useState } from "../../vendor/hooks.js";
import { api } from "../api.js";
import { Chip, ErrorAlert, Sources, dateRange, html, useAction } from "../ui.js";

export const BASIC_LABELS = {
  name: "Name",
  headline: "Headline",
  email: "Email",
  phone: "Phone",
  location: "Location",
  linkedin: "LinkedIn",
  github: "GitHub",
  website: "Website",
};

const EMPTY = { basics: {}, summary: {}, work: [], education: [], skills: [], projects: [], certifications: [], languages: [] };

// The merged profile, or an empty one before the first import (the API answers 404 NoProfile).
export function loadProfile() {
  return api("/api/profile").catch((err) => {
    if (err.status === 404) return EMPTY;
    throw err;
  });
}

export function patchProfile(patch) {
  return api("/api/profile", { method: "PATCH", json: patch });
}

function InlineText({ id, label, value, multiline, onSave, onCancel }) {
  const [text, setText] = useState(value || "");
  const ref = useRef(null);
  const action = useAction(() => onSave(text));
  useEffect(() => ref.current && ref.current.focus(), []);
  const submit = (e) => {
    e.preventDefault();
    action.run();
  };
  const onKey = (e) => e.key === "Escape" && onCancel();
  return html`<form class="inline-edit" onSubmit=${submit} onKeyDown=${onKey}>
    <label class="sr-only" for=${id}>${label}</label>
    ${multiline
      ? html`<textarea id=${id} ref=${ref} rows="4" value=${text} onInput=${(e) => setText(e.target.value)}></textarea>`
      : html`<input id=${id} ref=${ref} value=${text} onInput=${(e) => setText(e.target.value)} />`}
    <div class="row">
      <button class="btn btn-primary btn-sm" type="submit" disabled=${action.busy}>Save</button>
      <button class="btn btn-ghost btn-sm" type="button" onClick=${onCancel}>Cancel</button>
    </div>
    <${ErrorAlert} error=${action.error} />
  </form>`;
}

export function BasicsEditor({ profile, onChange }) {
  const [editing, setEditing] = useState(null);
  const save = async (name, value) => {
    onChange(await patchProfile({ basics: { [name]: value } }));
    setEditing(null);
  };
  return html`<dl class="facts">
    ${Object.entries(BASIC_LABELS).map(([name, label]) => {
      const fact = profile.basics[name] || { value: null, sources: [], alternatives: [] };
      return html`<div class="fact" key=${name}>
        <dt>${label}</dt>
        <dd>
          ${editing === name
            ? html`<${InlineText} id=${"basic-" + name} label=${label} value=${fact.value}
                onSave=${(v) => save(name, v)} onCancel=${() => setEditing(null)} />`
            : html`<span class=${fact.value ? "" : "muted"}>${fact.value || "Not found"}</span>
                ${fact.edited ? html` <${Chip} kind="chip-edited">edited by you<//>` : html` <${Sources} sources=${fact.sources} />`}
                <button type="button" class="btn-link" onClick=${() => setEditing(name)} aria-label=${"Edit " + label}>Edit</button>
                ${fact.alternatives.map(
                  (alt) => html`<div class="alt">Other source says <strong>${alt.value}</strong> <${Sources} sources=${alt.sources} />
                    <button type="button" class="btn-link" onClick=${() => save(name, alt.value)}>Use this</button></div>`,
                )}`}
        </dd>
      </div>`;
    })}
  </dl>`;
}

export function SummaryEditor({ profile, onChange }) {
  const [editing, setEditing] = useState(false);
  const fact = profile.summary || {};
  if (editing) {
    return html`<${InlineText} id="summary-edit" label="Summary" multiline value=${fact.value}
      onSave=${async (v) => {
        onChange(await patchProfile({ summary: v }));
        setEditing(false);
      }} onCancel=${() => setEditing(false)} />`;
  }
  return html`<div class="summary">
    <p class=${fact.value ? "" : "muted"}>${fact.value || "No summary found. Add two or three sentences about what you do best."}</p>
    <button type="button" class="btn-link" onClick=${() => setEditing(true)}>${fact.value ? "Edit summary" : "Add a summary"}</button>
  </div>`;
}

function EntryForm({ entry, kind, onSave, onCancel }) {
  const isWork = kind === "work";
  const fields = isWork
    ? [["title", "Title"], ["company", "Company"], ["location", "Location"], ["start", "Start (e.g. 2019-03)"], ["end", "End (a date or Present)"]]
    : [["degree", "Degree"], ["institution", "Institution"], ["field", "Field"], ["start", "Start"], ["end", "End"]];
  const initial = {};
  for (const [name] of fields) {
    const v = entry ? entry[name] : "";
    initial[name] = v && typeof v === "object" ? (v.present ? "Present" : v.raw || [v.year, v.month && String(v.month).padStart(2, "0")].filter(Boolean).join("-")) : v || "";
  }
  // A position's lines (bullets), one per line of the text box.
  if (isWork) initial.bullets = ((entry && entry.bullets) || []).join("\n");
  const [form, setForm] = useState(initial);
  const action = useAction(async () => {
    const edit = {};
    for (const [name] of fields) if ((form[name] || "") !== (initial[name] || "") || !entry) edit[name] = form[name] || null;
    if (isWork && (form.bullets !== initial.bullets || !entry)) {
      edit.bullets = form.bullets.split("\n").map((b) => b.trim()).filter(Boolean);
    }
    if (entry) edit.key = entry.key;
    await onSave(edit);
  });
  const prefix = `${kind}-${entry ? entry.key : "new"}`;
  return html`<form class="entry-form" onSubmit=${(e) => {
    e.preventDefault();
    action.run();
  }} onKeyDown=${(e) => e.key === "Escape" && onCancel()}>
    <div class="grid-2">
      ${fields.map(
        ([name, label]) => html`<div class="field"><label for=${prefix + "-" + name}>${label}</label>
          <input id=${prefix + "-" + name} value=${form[name]} onInput=${(e) => setForm({ ...form, [name]: e.target.value })} /></div>`,
      )}
    </div>
    ${isWork &&
    html`<div class="field"><label for=${prefix + "-bullets"}>What you did (one line each)</label>
      <textarea id=${prefix + "-bullets"} rows="5" value=${form.bullets} onInput=${(e) => setForm({ ...form, bullets: e.target.value })}></textarea></div>`}
    <${ErrorAlert} error=${action.error} />
    <div class="row">
      <button class="btn btn-primary btn-sm" type="submit" disabled=${action.busy}>Save</button>
      <button class="btn btn-ghost btn-sm" type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

// Fields read with doubt: printed in no resume, letter or export until the person confirms
// them here (or edits them).
export function ConfirmList({ profile, onChange }) {
  const action = useAction(async (ref) => onChange(await patchProfile({ confirm: [ref] })));
  const waiting = profile.to_confirm || [];
  if (waiting.length === 0) return null;
  return html`<section class="card to-confirm" aria-label="Please check">
    <h2>Please check ${waiting.length === 1 ? "this" : `these ${waiting.length}`}</h2>
    <p class="muted small">We are not sure we read these right, so they stay out of your resumes, letters and exports until you confirm them.</p>
    <ul class="items">
      ${waiting.map(
        (item) => html`<li class="item" key=${item.ref}>
          <p>${item.question}</p>
          <button type="button" class="btn btn-ghost btn-sm" disabled=${action.busy} onClick=${() => action.run(item.ref)}>Yes, that's right</button>
        </li>`,
      )}
    </ul>
    <${ErrorAlert} error=${action.error} />
  </section>`;
}

// Positions or degrees as a timeline, each with where it came from, editable.
export function Timeline({ profile, kind, onChange, editable = true }) {
  const [editing, setEditing] = useState(null);
  const entries = (kind === "work" ? profile.work : profile.education).filter((e) => !e.hidden);
  const save = async (edit) => {
    onChange(await patchProfile({ [kind]: [edit] }));
    setEditing(null);
  };
  const hide = async (entry) => onChange(await patchProfile({ [kind]: [{ key: entry.key, hidden: true }] }));
  return html`<div>
    ${entries.length === 0 && html`<p class="muted">${kind === "work" ? "No positions found yet." : "No education found yet."}</p>`}
    <ol class="timeline">
      ${entries.map((entry) => {
        const heading = kind === "work" ? entry.title || "Position" : entry.degree || entry.field || "Degree";
        const place = kind === "work" ? entry.company : entry.institution;
        return html`<li class="tl-item" key=${entry.key}>
          <span class="tl-dot" aria-hidden="true"></span>
          ${editing === entry.key
            ? html`<${EntryForm} entry=${entry} kind=${kind} onSave=${save} onCancel=${() => setEditing(null)} />`
            : html`<div class="tl-body">
                <div class="tl-when">${dateRange(entry.start, entry.end, entry.current)}${entry.current ? html` <${Chip} kind="chip-good">current<//>` : ""}</div>
                <h3 class="tl-title">${heading}${place && html`<span class="tl-place"> · ${place}</span>`}</h3>
                ${entry.location && html`<div class="muted small">${entry.location}</div>`}
                ${Object.entries(entry.conflicts || {}).map(
                  ([field, values]) => html`<div class="alt">Sources disagree on the ${field} date: ${values.join(" / ")}. Edit to settle it.</div>`,
                )}
                ${entry.bullets && entry.bullets.length > 0 &&
                html`<details><summary>${entry.bullets.length} line${entry.bullets.length === 1 ? "" : "s"}</summary>
                  <ul class="bullets">${entry.bullets.map((b) => html`<li>${b}</li>`)}</ul></details>`}
                <div class="tl-foot">
                  ${entry.edited ? html`<${Chip} kind="chip-edited">edited by you<//>` : null}
                  <${Sources} sources=${entry.sources} />
                  ${editable &&
                  html`<span class="row-actions">
                    <button type="button" class="btn-link" onClick=${() => setEditing(entry.key)} aria-label=${"Edit " + heading}>Edit</button>
                    <button type="button" class="btn-link" onClick=${() => hide(entry)} aria-label=${"Hide " + heading}>Hide</button>
                  </span>`}
                </div>
              </div>`}
        </li>`;
      })}
    </ol>
    ${editable &&
    (editing === "new"
      ? html`<${EntryForm} kind=${kind} onSave=${save} onCancel=${() => setEditing(null)} />`
      : html`<button type="button" class="btn btn-ghost btn-sm" onClick=${() => setEditing("new")}>${kind === "work" ? "+ Add a position" : "+ Add education"}</button>`)}
  </div>`;
}

// Skills as removable chips, plus an input with autocomplete from the taxonomy.
export function SkillsEditor({ profile, onChange }) {
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState([]);
  const action = useAction(async (patch) => {
    onChange(await patchProfile(patch));
    setQuery("");
    setHits([]);
  });
  useEffect(() => {
    const q = query.trim();
    if (!q) return setHits([]);
    const t = setTimeout(() => {
      api(`/api/skills/search?q=${encodeURIComponent(q)}&limit=6`).then((r) => setHits(r.skills || []), () => setHits([]));
    }, 180);
    return () => clearTimeout(t);
  }, [query]);
  const add = (name) => name.trim() && action.run({ skills_add: [name.trim()] });
  return html`<div>
    <ul class="chips" aria-label="Your skills">
      ${profile.skills.map(
        (s) => html`<li class=${"chip chip-skill" + (s.added_by_user ? " chip-edited" : "") + (s.confidence === "low" && !s.confirmed ? " chip-warn" : "")}>
          <span>${s.name}${s.confidence === "low" && !s.confirmed ? " (to check)" : ""}</span>
          <button type="button" class="chip-x" aria-label=${"Remove " + s.name} onClick=${() => action.run({ skills_remove: [s.name] })}>×</button>
        </li>`,
      )}
    </ul>
    <form class="row skill-add" onSubmit=${(e) => {
      e.preventDefault();
      add(query);
    }}>
      <label class="sr-only" for="skill-add-input">Add a skill</label>
      <input id="skill-add-input" list="skill-suggestions" placeholder="Add a skill, e.g. Kubernetes" value=${query}
        onInput=${(e) => setQuery(e.target.value)} autocomplete="off" />
      <datalist id="skill-suggestions">${hits.map((s) => html`<option value=${s.name} />`)}</datalist>
      <button class="btn btn-ghost btn-sm" type="submit" disabled=${action.busy || !query.trim()}>Add</button>
    </form>
    <${ErrorAlert} error=${action.error} />
  </div>`;
}
