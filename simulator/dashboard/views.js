// The list views: verifications, requests, webhooks, scenarios, tenants, bindings, coverage.
// A view has controls (filters, forms: drawn once per visit, never under the person's hands) and
// data (redrawn every 2 s from the control API).
import {api, days, details, empty, esc, json, words, kindOf, linkIds, idsIn, options, qs, storyLink, table, tag, tenantLink, wall, when} from "./lib.js";
import {catalogue, pickerBox} from "./scenarios.js";

export const filters = {
  verifications: {q: "", provider: ""},
  requests: {path: "", provider: "", errors: false},
  webhooks: {provider: "", failed: false},
  scenarios: {q: "", provider: "", product: "", group: ""},
};

const providerSelect = (view, providers) =>
  `<label>provider <select data-filter="${view}.provider">${options(providers, filters[view].provider, "all")}</select></label>`;
const providers = (ctx) => (ctx.health && ctx.health.providers) || [];
const times = (day, at, wallAt) => `${day(at)}<span class="small">${wall(wallAt)}</span>`;

export const views = {
  verifications: {
    title: () => "Verifications",
    controls(ctx) {
      if (ctx.params.q !== undefined) filters.verifications.q = ctx.params.q;
      const f = filters.verifications;
      return `<div class="toolbar">
        <label>find <input type="search" data-filter="verifications.q" value="${esc(f.q)}" size="40"
          placeholder="id, external id, email, tenant or scenario"></label>
        ${providerSelect("verifications", providers(ctx))}
        <span class="muted">newest first · each row opens the verification's story</span></div>`;
    },
    async data() {
      const f = filters.verifications;
      const {data} = await api(`/stories${qs({q: f.q, provider: f.provider, limit: 200})}`);
      const rows = data.map((v) => {
        const progress = v.run_status === "running"
          ? (v.waiting_for ? `waiting for <code>${esc(v.waiting_for)}</code>` : `next step due ${when(v.next_step_at)}`)
          : tag(v.run_status, kindOf(v.run_status));
        const matched = f.q && v.matched ? `<span class="small muted">matched ${esc(v.matched)}</span>` : "";
        return `<tr><td>${esc(v.kind)}<span class="small">${storyLink(v.id, v.tenant)}</span>${matched}</td>
          <td>${v.status ? tag(v.status, kindOf(v.status)) : ""}</td>
          <td><code>${esc(v.scenario)}</code><span class="small muted">${esc(v.provider)} · ${esc(v.product)}</span></td>
          <td>${v.steps_done} done${v.last_step ? `, last <code>${esc(v.last_step)}</code>` : ""}<span class="small">${progress}</span></td>
          <td>${tenantLink(v.tenant)}</td><td>${when(v.started_at)}</td></tr>`;
      });
      return table([["verification", "24%"], ["status", "14%"], ["scenario", "22%"], ["progress", "18%"], ["tenant", "10%"], ["started (virtual)", "12%"]], rows,
        f.q || f.provider ? `Nothing matches <code>${esc(f.q)}</code>. Search for an id, an external id, an email, a tenant or a scenario name.`
          : "No verifications yet: one starts when your app creates a check (Checkout.com attempt, Sumsub applicant or action), or trigger a scenario from the Scenarios tab.");
    },
  },

  requests: {
    title: () => "Requests",
    controls(ctx) {
      const f = filters.requests;
      return `<div class="toolbar"><label>path starts with <input data-filter="requests.path" value="${esc(f.path)}" placeholder="/identity-verifications"></label>
        ${providerSelect("requests", providers(ctx))}
        <label><input type="checkbox" data-filter="requests.errors"${f.errors ? " checked" : ""}> errors only (4xx, 5xx)</label>
        <span class="muted">the merchant's requests, newest first, up to 200 (the hosted pages' polls and the control API are not here)</span></div>`;
    },
    async data() {
      const f = filters.requests;
      const {data} = await api(`/requests${qs({limit: 200, path: f.path, provider: f.provider})}`);
      const shown = f.errors ? data.filter((e) => e.status >= 400) : data;
      const day = days();
      const rows = shown.map((e) => `<tr><td>${times(day, e.at, e.wall_at)}</td>
        <td class="request"><code>${esc(e.method)} ${linkIds(e.path, e.tenant)}${e.query ? "?" + esc(e.query) : ""}</code>
          ${e.operation ? `<span class="small muted">${esc(e.operation)}</span>` : ""}
          ${e.request_body ? details(`rq-${e.id}`, "request body", json(e.request_body)) : ""}</td>
        <td>${tag(e.status, e.status < 400 ? "ok" : "bad")}<span class="small muted">${esc(e.latency_ms)} ms</span>${warnings(e)}</td>
        <td>${tenantLink(e.tenant)}${e.scenario ? `<span class="small"><code>${esc(e.scenario)}</code></span>` : ""}</td>
        <td>${subjects(e)}</td>
        <td>${e.response_body ? details(`rs-${e.id}`, `<span class="preview">${esc(e.response_body.slice(0, 120))}</span>`, json(e.response_body)) : ""}</td></tr>`);
      return table([["at (virtual · real)", "10%"], ["request", "31%"], ["status", "8%"], ["tenant · scenario", "14%"], ["story", "13%"], ["response", "24%"]], rows,
        f.path || f.provider || f.errors ? "No requests match these filters." : "No requests yet. Point your app or SDK at this server, or trigger a scenario from the Scenarios tab.");
    },
  },

  webhooks: {
    title: () => "Webhooks",
    controls(ctx) {
      const f = filters.webhooks;
      return `<div class="toolbar">${providerSelect("webhooks", providers(ctx))}
        <label><input type="checkbox" data-filter="webhooks.failed"${f.failed ? " checked" : ""}> failed attempts only</label>
        <span class="muted">every attempt, newest first; a 2xx counts as delivered only when <code>ok</code> (chaos may fail it on purpose)</span></div>`;
    },
    async data() {
      const f = filters.webhooks;
      const [attempts, deliveries, endpoints] = await Promise.all([
        api(`/webhooks${qs({limit: 300, ok: f.failed ? "false" : "", provider: f.provider})}`),
        api(`/webhooks/deliveries${qs({provider: f.provider, limit: 500})}`),
        api(`/webhooks/endpoints${qs({provider: f.provider})}`),
      ]);
      const day = days();
      const attemptRows = attempts.data.slice().reverse().map((a) => `<tr><td>${times(day, a.at, a.wall_at)}</td>
        <td><code class="event">${words(a.event_type)}</code><span class="small">${storyLink(a.resource, a.tenant)}</span></td>
        <td class="url">${esc(a.url)}<span class="small muted">${esc(a.endpoint_id)} · ${esc(a.provider)}</span></td>
        <td>${result(a)}${chaos(a.chaos)}</td>
        <td>#${a.number}${a.replay ? " (replay)" : ""}<span class="small muted"><code>${esc(a.delivery_id)}</code></span>
          ${attemptDetails(a)}</td>
        <td>${replayButtons(a.delivery_id, a.url)}</td></tr>`);
      const waiting = deliveries.data.filter((d) => ["held", "queued", "pending"].includes(d.state));
      const waitingRows = waiting.map((d) => `<tr><td><code>${esc(d.id)}</code></td><td><code class="event">${words(d.event_type)}</code><span class="small">${storyLink(d.resource, d.tenant)}</span></td>
        <td class="url">${esc(d.url)}</td><td>${tag(d.state, "warn")}${chaos(d.notes)}</td><td>${d.attempts.length}</td><td>${when(d.due_at)}</td></tr>`);
      const chaosOf = (c) => Object.entries(c || {}).map(([k, v]) => `${k}=${v}`).join(", ");
      const endpointRows = endpoints.data.map((e) => `<tr><td><code>${esc(e.id)}</code></td><td>${esc(e.provider)}</td><td class="url">${esc(e.url)}</td>
        <td>${tenantLink(e.tenant)}</td><td>${esc(e.events ? e.events.join(", ") : "all")}</td>
        <td>${chaosOf(e.chaos) ? `<span class="chaos">⚡ ${esc(chaosOf(e.chaos))}</span>` : `<span class="muted">—</span>`}</td><td>${esc(e.source)}</td></tr>`);
      return `<h2>Attempts</h2>
        ${table([["at (virtual · real)", "12%"], ["event · story", "22%"], ["target", "20%"], ["result", "17%"], ["attempt · delivery", "17%"], ["", "12%"]], attemptRows,
          f.failed || f.provider ? "No attempts match these filters." : "No webhook attempts yet (events with no endpoint show in each verification's story).")}
        <h2>Deliveries waiting <span class="muted">(held, queued behind an earlier event, or due for a retry)</span></h2>
        ${table([["delivery", "16%"], ["event · story", "24%"], ["target", "24%"], ["state", "14%"], ["attempts", "8%"], ["next attempt", "14%"]], waitingRows, "None.")}
        <h2>Endpoints</h2>
        ${table([["id", "8%"], ["provider", "9%"], ["url", "30%"], ["tenant", "12%"], ["events", "15%"], ["chaos", "16%"], ["from", "10%"]], endpointRows,
          "No webhook endpoints: set a provider's webhook URL or <code>POST /_sim/webhooks/endpoints</code>.")}`;
    },
  },

  scenarios: {
    title: () => "Scenarios",
    async controls(ctx) {
      const {data} = await catalogue();
      const f = filters.scenarios;
      if (ctx.params.q !== undefined) f.q = ctx.params.q;
      const products = [...new Set(data.filter((s) => !f.provider || s.provider === f.provider).map((s) => s.product))].sort();
      const groups = [...new Set(data.map((s) => s.outcome.group))].sort();
      return `<div class="toolbar">
        <label>find <input type="search" data-filter="scenarios.q" value="${esc(f.q)}" size="32" placeholder="name, code, label or meaning"></label>
        ${providerSelect("scenarios", providers(ctx))}
        <label>product <select data-filter="scenarios.product">${options(products, f.product, "all")}</select></label>
        <label>outcome <select data-filter="scenarios.group">${options(groups, f.group, "all")}</select></label>
        <span class="muted" id="scenario-count"></span></div>`;
    },
    async data() {
      const {data} = await catalogue();
      const f = filters.scenarios;
      const words = f.q.toLowerCase().split(/\s+/).filter(Boolean);
      const shown = data.filter((s) => (!f.provider || s.provider === f.provider) && (!f.product || s.product === f.product)
        && (!f.group || s.outcome.group === f.group) && words.every((w) => s.haystack.includes(w)));
      const rows = shown.map((s) => `<tr><td><code class="name">${esc(s.name)}</code><span class="small muted">${esc(s.provider)} · ${esc(s.product)}</span></td>
        <td>${tag(s.outcome.group, kindOf(s.outcome.group))}</td>
        <td>${s.outcome.codes.length ? `<ul class="codes">${s.outcome.codes.map((c) => `<li><b>${esc(c.code)}</b> ${esc(c.summary)}<span class="small muted">${esc(c.meaning)}</span></li>`).join("")}</ul>` : `<span class="muted">—</span>`}</td>
        <td>${esc(s.description)}<span class="small muted">email tag <code>you+${esc(s.name)}@example.com</code></span></td>
        <td class="actions"><button type="button" data-act="trigger" data-scenario="${esc(s.name)}">Trigger</button>
          <a class="button secondary" href="#/bindings${qs({scenario: s.name})}">Bind…</a></td></tr>`);
      return `<p class="muted">${shown.length} of ${data.length} scenarios. <b>Trigger</b> makes the client's calls that start one (a new check on the provider's trigger tenant) and opens its story; <b>Bind…</b> picks it for the next check you make.</p>
        ${table([["scenario", "22%"], ["outcome", "10%"], ["codes and labels", "27%"], ["what happens", "29%"], ["", "12%"]], rows, "No scenario matches these filters.")}`;
    },
  },

  tenants: {
    title: () => "Tenants",
    async data() {
      const {data} = await api("/tenants");
      const rows = data.map((t) => `<tr><td>${tenantLink(t.tenant)}<span class="small muted">${esc(t.providers.join(", "))}</span></td>
        <td>${t.verifications}<span class="small muted">${t.running} running</span></td>
        <td>${when(t.now)}<span class="small muted">${t.offset_seconds ? `+${esc(t.offset_seconds)} s on the shared clock` : "the shared clock"}</span></td>
        <td>${t.next_job_at ? `${when(t.next_job_at)}<span class="small muted"><code>${esc(t.next_job)}</code></span>` : `<span class="muted">nothing scheduled</span>`}</td>
        <td>${clockForm(t.tenant, Boolean(t.next_job_at))}</td>
        <td><button type="button" class="danger" data-act="reset" data-tenant="${esc(t.tenant)}">Reset</button></td></tr>`);
      return `<p class="muted">A tenant is a credential (a Checkout.com key, a Sumsub app token), shown masked. Each has its own clock on top of the shared one; moving it fires that tenant's steps and webhook retries on the way. Reset forgets everything of the tenant.</p>
        ${table([["tenant", "16%"], ["verifications", "11%"], ["virtual time", "17%"], ["next job", "18%"], ["move its clock", "30%"], ["", "8%"]], rows, "No tenants yet: a tenant appears with its first request.")}`;
    },
  },

  bindings: {
    title: () => "Bindings",
    async controls(ctx) {
      const [{data: tenants}] = await Promise.all([api("/tenants")]);
      const picker = await pickerBox("bind-scenario", ctx.params.scenario);
      return `<form class="card bind" data-form="bind">
        <h2>Pick the scenario of the next check</h2>
        <div class="bind-grid"><div>${picker}</div>
        <div class="bind-fields">
          <label for="bind-field">the next check whose</label>
          <div class="actions"><select id="bind-field" name="field">${options([["", "(any check)"], "email", "external_applicant_id", "applicant_id", "externalUserId", "externalActionId", "levelName"], ctx.params.field || "")}</select>
            <label class="sr" for="bind-value">is</label><input id="bind-value" name="value" placeholder="value" value="${esc(ctx.params.value || "")}"></div>
          <label for="bind-tenant">of tenant</label>
          <select id="bind-tenant" name="tenant">${options(tenants.map((t) => t.tenant), ctx.params.tenant || "", "any tenant")}</select>
          <label for="bind-times">how many checks</label>
          <div class="actions"><input id="bind-times" name="times" type="number" min="1" max="1000000" value="1" size="6">
            <label><input type="checkbox" name="forever"> until deleted</label></div>
          <p class="muted">A binding wins over email tags and sandbox values, not over the <code>X-KycSim-Scenario</code> header. It applies to checks of the scenario's product.</p>
          <div class="actions"><button type="submit">Bind</button></div>
        </div></div></form>`;
    },
    ready() {
      if (window.kycsimPicker) document.querySelectorAll("#controls [data-picker]").forEach((box) => window.kycsimPicker.enhance(box));
    },
    async data() {
      const {data} = await api("/bindings");
      const rows = data.map((b) => `<tr><td><code>${esc(b.id)}</code></td><td><code>${esc(b.scenario)}</code></td>
        <td>${Object.keys(b.match).length ? `<code>${esc(JSON.stringify(b.match))}</code>` : `<span class="muted">any check</span>`}</td>
        <td>${tenantLink(b.tenant)}</td><td>${esc(b.used)}${b.times ? " of " + esc(b.times) : " (until deleted)"}</td>
        <td><button type="button" class="secondary" data-act="unbind" data-binding="${esc(b.id)}">Delete</button></td></tr>`);
      return `<h2>Bindings</h2>${table([["id", "10%"], ["scenario", "24%"], ["match", "26%"], ["tenant", "16%"], ["used", "14%"], ["", "10%"]], rows,
        "No bindings yet.")}`;
    },
  },

  coverage: {
    title: () => "Coverage",
    async data(ctx) {
      const report = await api("/coverage");
      const sections = Object.entries(report.providers || {}).map(([provider, cats]) => Object.entries(cats).map(([cat, values]) => {
        const entries = Object.entries(values);
        const missing = entries.filter(([, names]) => !names.length).length;
        const summary = missing ? `<span class="bad">${missing} of ${entries.length} not produced by any scenario</span>` : `<span class="ok">all ${entries.length} covered</span>`;
        const rows = entries.map(([v, names]) => `<tr><td class="${names.length ? "ok" : "bad"}">${names.length ? "✓ covered" : "✗ missing"}</td><td><code>${esc(v)}</code></td>
          <td class="muted">${names.slice(0, 6).map((n) => `<a href="#/scenarios${qs({q: n})}">${esc(n)}</a>`).join(", ")}${names.length > 6 ? ` (+${names.length - 6})` : ""}</td></tr>`);
        return details(`cov-${provider}-${cat}`, `${esc(provider)} · ${esc(cat)} — ${summary}`, table([["produced?", "12%"], ["value", "30%"], ["scenarios", "58%"]], rows, "Nothing to cover."), "section");
      }).join("")).join("");
      return sections || empty("No coverage targets.");
    },
  },
};

// Pieces shared with the story view

// The verification a request is about: an id in its path, else the id of what it created.
export function subjects(entry) {
  const id = idsIn(entry.path)[0] || (entry.method === "POST" && entry.status < 300 ? idsIn((entry.response_body || "").slice(0, 120))[0] : null);
  return id ? storyLink(id, entry.tenant) : "";
}

export function result(a) {
  const verdict = a.ok ? tag("delivered", "ok") : tag("failed", "bad");
  const retry = a.next_retry_at ? `<span class="small muted">retry at ${when(a.next_retry_at)}</span>` : "";
  const why = !a.ok && a.error ? `<span class="small bad">${esc(a.error)}</span>` : "";
  return `<span class="${a.ok ? "ok" : "bad"}">${esc(a.status_code ?? "no answer")}</span> ${verdict} <span class="small muted">${esc(a.latency_ms)} ms</span>${why}${retry}`;
}

// What did not go as the request asked (an email tag or header naming no scenario...), from the journal.
export const warnings = (entry) => (entry.warnings || []).map((w) => `<span class="warning">⚠ ${esc(w)}</span>`).join("");

export const chaos = (notes) => (notes && notes.length ? notes.map((n) => `<span class="chaos">⚡ ${esc(n)}</span>`).join("") : "");

export function attemptDetails(a) {
  const headers = Object.entries(a.request_headers || {}).map(([k, v]) => `${k}: ${v}`).join("\n");
  const answer = a.response_excerpt ? `<h4>answer</h4>${json(a.response_excerpt)}` : `<p class="muted">${a.replay ? "no answer kept (sent elsewhere than the endpoint)" : "no answer body"}</p>`;
  return details(`att-${a.delivery_id}-${a.number}`, "headers and answer", `<h4>headers sent</h4><pre>${esc(headers)}</pre>${answer}`);
}

export function replayButtons(target, url) {
  return `<form class="replay" data-form="replay" data-target="${esc(target)}">
    ${url ? `<button type="submit" name="to" value="endpoint" class="secondary" title="send it again to ${esc(url)}">Replay</button>` : ""}
    ${details(`rp-${target}`, url ? "to another URL…" : "send it to a URL…", `<label class="sr" for="rp-${esc(target)}">URL</label><input id="rp-${esc(target)}" name="url" type="url" placeholder="http://localhost:3000/hooks"><button type="submit" name="to" value="url" class="secondary">Send</button>`)}</form>`;
}

export function clockForm(tenant, hasNext, nextAt) {
  const to = nextAt ? `<button type="button" data-act="advance" data-tenant="${esc(tenant)}" data-to="${esc(nextAt)}">Next step</button>` : "";
  return `<form class="clock" data-form="advance" data-tenant="${esc(tenant)}">${to}
    <button type="button" class="secondary" data-act="advance" data-tenant="${esc(tenant)}" data-to="next"${hasNext ? "" : " disabled"} title="to this tenant's next scheduled job (a step or a webhook retry)">Next job</button>
    <button type="button" class="secondary" data-act="advance" data-tenant="${esc(tenant)}" data-duration="1m">+1 min</button>
    <button type="button" class="secondary" data-act="advance" data-tenant="${esc(tenant)}" data-duration="1h">+1 h</button>
    <label class="sr" for="adv-${esc(tenant)}">move by</label><input id="adv-${esc(tenant)}" name="duration" size="6" placeholder="15m"><button type="submit" class="secondary">Advance</button></form>`;
}
