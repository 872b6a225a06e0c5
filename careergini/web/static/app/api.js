// The API client: same-origin cookie auth, one refresh-and-retry on a 401, errors as ApiError
// carrying the API's {"error", "detail"} body, uploads with progress, and SSE over fetch.

export class ApiError extends Error {
  constructor(status, body) {
    const detail = (body && body.detail) || `The server answered ${status}.`;
    super(detail);
    this.status = status;
    this.error = (body && body.error) || "HTTPError";
    this.detail = detail;
    this.fields = (body && body.fields) || [];
    this.body = body || {};
  }
}

const listeners = new Set();
// Called when the session is over (refresh refused): the app shows the login page.
export function onSignedOut(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
function signedOut() {
  for (const fn of listeners) fn();
}

let refreshing = null;
// One refresh at a time, shared by every request that got a 401 meanwhile.
export function refreshSession() {
  if (!refreshing) {
    refreshing = fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin" })
      .then((r) => r.ok)
      .catch(() => false)
      .finally(() => setTimeout(() => (refreshing = null), 0));
  }
  return refreshing;
}

async function toError(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = { error: "HTTPError", detail: `The server answered ${res.status} ${res.statusText}.` };
  }
  return new ApiError(res.status, body);
}

const NETWORK = { error: "NetworkError", detail: "CareerGini cannot be reached. Check that it is running, then try again." };

function buildInit({ method = "GET", json, body, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, credentials: "same-origin", signal };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
  }
  return init;
}

// A 401 from these means wrong credentials, not an expired session.
const NO_REFRESH = /^\/api\/auth\/(login|register|refresh|logout)\b/;

// fetch() with the refresh-once rule; returns the Response (ok or not).
export async function request(path, options = {}) {
  const init = buildInit(options);
  let res;
  try {
    res = await fetch(path, init);
    if (res.status === 401 && !NO_REFRESH.test(path)) {
      if (await refreshSession()) res = await fetch(path, init);
      if (res.status === 401) signedOut();
    }
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, NETWORK);
  }
  return res;
}

// JSON API call: resolves to the parsed body (null for 204), rejects with ApiError.
export async function api(path, options = {}) {
  const res = await request(path, options);
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return null;
  const type = res.headers.get("content-type") || "";
  return type.includes("json") ? res.json() : res.text();
}

// Download a file the API makes (PDF, DOCX, zip) and hand it to the browser as a download.
export async function download(path, fallbackName, options = {}) {
  const res = await request(path, { ...options, headers: { Accept: "*/*", ...(options.headers || {}) } });
  if (!res.ok) throw await toError(res);
  const blob = await res.blob();
  const disposition = res.headers.get("content-disposition") || "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name, size: blob.size, type: blob.type };
}

// Upload a FormData with progress (XHR: fetch has no upload progress), refreshing once on 401.
export function upload(path, form, { onProgress, onUploaded } = {}) {
  const send = () =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", path);
      xhr.withCredentials = true;
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress && onProgress(e.loaded / e.total);
      xhr.upload.onload = () => onUploaded && onUploaded();
      xhr.onerror = () => reject(new ApiError(0, NETWORK));
      xhr.onload = () => {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        resolve({ status: xhr.status, body });
      };
      xhr.send(form);
    });
  return (async () => {
    let res = await send();
    if (res.status === 401) {
      if (await refreshSession()) res = await send();
      if (res.status === 401) signedOut();
    }
    if (res.status < 200 || res.status >= 300) throw new ApiError(res.status, res.body);
    return res.body;
  })();
}

// POST (or GET) a streamed answer in Server-Sent Events; onEvent({event, data}) per event.
export async function stream(path, { json, method = "POST", signal, onEvent } = {}) {
  const res = await request(path, { method, json, signal, headers: { Accept: "text/event-stream" } });
  if (!res.ok) throw await toError(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n?/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = parseEvent(block);
      if (event) onEvent(event);
    }
  }
  const last = parseEvent(buffer);
  if (last) onEvent(last);
}

function parseEvent(block) {
  let event = "message";
  const data = [];
  let id = null;
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
  }
  if (!data.length) return null;
  const text = data.join("\n");
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { event, data: parsed, id };
}
