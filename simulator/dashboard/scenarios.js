// The scenario catalogue (it does not change while kycsim runs: read once) and the hosted pages' picker.
import {api, esc} from "./lib.js";

let cached = null;

export function catalogue() {
  if (!cached) {
    cached = api("/scenarios").then((body) => {
      for (const s of body.data) {
        const codes = s.outcome.codes.map((c) => `${c.code} ${c.summary} ${c.meaning}`).join(" ");
        s.haystack = `${s.name} ${s.provider} ${s.product} ${s.outcome.group} ${s.description} ${codes}`.toLowerCase();
      }
      return body;
    }).catch((err) => { cached = null; throw err; });
  }
  return cached;
}

// The markup of toolkit/templates/kycsim/picker.html, so that the same picker.js enhances it: a <select>
// grouped by outcome (per provider, in the provider's order), a filter box and a panel describing the
// chosen scenario with each code's or label's meaning.
export async function pickerBox(id, selected) {
  const {data, groups} = await catalogue();
  const grouped = new Map();
  const detailsOf = {};
  for (const s of [...data].sort((a, b) => a.name.localeCompare(b.name))) {
    const label = `${s.provider} · ${s.outcome.group}`;
    if (!grouped.has(label)) grouped.set(label, []);
    const codes = s.outcome.codes.map((c) => (c.summary ? `${c.code} ${c.summary}` : c.code)).join(", ");
    grouped.get(label).push({name: s.name, text: codes ? `${s.name} · ${codes}` : s.name});
    detailsOf[s.name] = {description: s.description, group: `${s.provider} · ${s.product} · ${s.outcome.group}`, codes: s.outcome.codes.map((c) => c.text)};
  }
  const rank = (label) => {
    const [provider, group] = label.split(" · ");
    const order = (groups && groups[provider]) || [];
    return [provider, order.includes(group) ? order.indexOf(group) : order.length, group];
  };
  const labels = [...grouped.keys()].sort((a, b) => {
    const [pa, ia, ga] = rank(a); const [pb, ib, gb] = rank(b);
    return pa.localeCompare(pb) || ia - ib || ga.localeCompare(gb);
  });
  const optgroups = labels.map((label) => `<optgroup label="${esc(label)} (${grouped.get(label).length})" data-group="${esc(label)}">${
    grouped.get(label).map((c) => `<option value="${esc(c.name)}"${c.name === selected ? " selected" : ""}>${esc(c.text)}</option>`).join("")}</optgroup>`).join("");
  // JSON in a non-executable script element: "<" escaped so that no "</script>" can end it early.
  const detailJson = JSON.stringify(detailsOf).replace(/</g, "\\u003c");
  return `<div class="picker" data-picker><label for="${esc(id)}">Scenario</label>
    <select id="${esc(id)}" name="scenario" size="12" required>${optgroups}</select>
    <div class="picker-detail" data-picker-detail aria-live="polite"><p class="muted">Pick a scenario to see what it does.</p></div>
    <script type="application/json" data-picker-details>${detailJson}</script></div>`;
}
