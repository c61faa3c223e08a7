// What every view uses: the control API, escaping, times, small pieces of markup.
// Values from the simulator are always escaped with esc() before they go into markup.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body) {
  const init = {method, headers: {Accept: "application/json"}, cache: "no-store"};
  if (body !== undefined) {
    // Control writes must be JSON from this origin (with the token cookie): see docs/security.md.
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch("/_sim" + path, init);
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    const message = (data && data.error && data.error.message) || text || response.statusText;
    throw new ApiError(response.status, `${method} /_sim${path} answered ${response.status}: ${message}`);
  }
  return data;
}

export const api = (path) => call("GET", path);
export const post = (path, body = {}) => call("POST", path, body);
export const del = (path) => call("DELETE", path);

export const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
export const enc = encodeURIComponent;
export const qs = (params) => {
  const pairs = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return pairs.length ? "?" + pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&") : "";
};

// Virtual time: the simulator's clock, to the second (the full value on hover).
export const when = (iso) => {
  if (!iso) return "";
  const shown = String(iso).replace("T", " ").replace(/(\.\d{3})\d*/, "$1").replace("Z", "");
  return `<time datetime="${esc(iso)}" title="virtual time ${esc(iso)}">${esc(shown)}</time>`;
};
// A column of virtual times: the time of day, and the date only where it changes from the row above.
export function days() {
  let last = null;
  return (iso) => {
    if (!iso) return "";
    const [day, time] = String(iso).replace("Z", "").split("T");
    const shown = (time || "").replace(/(\.\d{3})\d*/, "$1");
    const head = day !== last ? `<span class="day">${esc(day)}</span>` : "";
    last = day;
    return `${head}<time datetime="${esc(iso)}" title="virtual time ${esc(iso)}">${esc(shown)}</time>`;
  };
}
// Real time, when it happened for the person at the keyboard (local clock, milliseconds).
export const wall = (iso) => {
  if (!iso) return `<span class="muted">—</span>`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return esc(iso);
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  const text = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  return `<time class="wall" datetime="${esc(iso)}" title="real time ${esc(iso)}">${text}</time>`;
};

// Ids link to their story; tenants to the verifications of that tenant.
export const storyHref = (id, tenant) => `#/story/${enc(id)}${tenant ? qs({tenant}) : ""}`;
export const storyLink = (id, tenant) => (id ? `<a class="id" href="${storyHref(id, tenant)}">${esc(id)}</a>` : "");
export const tenantLink = (t) => (t ? `<a class="tenant" href="#/verifications${qs({q: t})}" title="verifications of ${esc(t)}">${esc(t)}</a>` : `<span class="muted">any</span>`);
// Provider ids in a path or body (Checkout.com prefix_base32, Sumsub 24 hex digits), linked to their story.
const ID = /\b((?:[a-z]{2,5}_[a-z0-9]{20,32})|(?:[0-9a-f]{24}))\b/g;
export const linkIds = (text, tenant) => esc(text).replace(ID, (m) => `<a class="id" href="${storyHref(m, tenant)}">${m}</a>`);
export const idsIn = (text) => [...new Set(String(text || "").match(ID) || [])];

// A snake_case or camelCase name (an event type) escaped, with a line-break opportunity between its words
// (toolkit/pages.py's "breakable"), so that a narrow column wraps it between words.
export const words = (name) => esc(name).replace(/_/g, "_<wbr>").replace(/([a-z])(?=[A-Z])/g, "$1<wbr>");
export const tag = (text, kind = "") => `<span class="tag ${esc(kind)}">${esc(text)}</span>`;
export const empty = (html) => `<p class="empty">${html}</p>`;
export const table = (head, rows, none, cls = "") => (rows.length
  ? `<table class="${esc(cls)}"><thead><tr>${head.map(([h, w]) => `<th scope="col"${w ? ` style="width:${w}"` : ""}>${h}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`
  : empty(none));
export const options = (values, chosen, all) => (all !== undefined ? `<option value="">${esc(all)}</option>` : "") +
  values.map((v) => {
    const [value, label] = Array.isArray(v) ? v : [v, v];
    return `<option value="${esc(value)}"${value === chosen ? " selected" : ""}>${esc(label)}</option>`;
  }).join("");
export const pre = (text) => `<pre>${esc(text)}</pre>`;
export const json = (text) => {
  try { return pre(JSON.stringify(JSON.parse(text), null, 2)); } catch { return pre(text); }
};

// <details> the person opened stay open across refreshes: each has a data-key.
export const opened = new Set();
export const details = (key, summary, body, cls = "") =>
  `<details class="${esc(cls)}" data-key="${esc(key)}"${opened.has(key) ? " open" : ""}><summary>${summary}</summary>${body}</details>`;

export const kindOf = (status) => {
  if (status === undefined || status === null) return "";
  const s = String(status).toLowerCase();
  if (/approved|green|finished|delivered|completed \(green|^clear/.test(s)) return "ok";
  if (/declined|refused|red|failed|rejected|missing|expired/.test(s)) return "bad";
  return "warn";
};
