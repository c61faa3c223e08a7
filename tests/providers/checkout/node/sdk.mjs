// What the checkout-sdk-node drivers share: loading the package, pointing its Identities clients at
// kycsim, recording each call's outcome, moving kycsim's clock and downloading linked media.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// The package is ESM: NODE_PATH only reaches require(), so resolve the package there and import the file.
const require = createRequire(import.meta.url);
const { Checkout } = await import(pathToFileURL(require.resolve("checkout-sdk-node")).href);

// `host` is the SDK's documented custom host (which also lifts the merchant-subdomain requirement),
// `headers` its documented extra headers for every call, `httpClient` its choice of HTTP client.
// The SDK has no option for the identity-verification host: it fixes it from the environment
// (special-urls.js). So the one thing set by hand is that field of the SDK's own config object,
// which every Identities client reads on each call.
export function identities(baseURL, key, { httpClient = "fetch", headers = {} } = {}) {
  const cko = new Checkout(key, { host: baseURL, headers, ...(httpClient === "axios" ? { httpClient } : {}) });
  const fixed = cko.config.identityVerificationUrl;
  if (typeof fixed !== "string" || !fixed.startsWith("https://identity-verification.")) {
    throw new Error(`checkout-sdk-node no longer keeps its identity host in config.identityVerificationUrl: ${fixed}`);
  }
  cko.config.identityVerificationUrl = baseURL;
  return cko.identities;
}

// Records each call as {ok: true, body} or {ok: false, error: {name, http_code, body}} under its name.
export function recorder(results) {
  return async function step(name, call) {
    try {
      const body = await call();
      // The PDF-report methods hand back the raw response as a Buffer.
      results[name] = { ok: true, body: Buffer.isBuffer(body) ? { buffer: body.toString("utf8") } : body };
    } catch (error) {
      results[name] = { ok: false, error: { name: error.name, http_code: error.http_code, body: error.body } };
    }
    return results[name].body || {};
  };
}

export async function advance(baseURL, seconds) {
  const response = await fetch(`${baseURL}/_sim/clock/advance`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ seconds }),
  });
  if (!response.ok) throw new Error(`clock advance failed: ${response.status}`);
}

// What an app does with a link from a body: download it (before anonymization removes it).
export async function download(url) {
  const response = await fetch(url);
  const bytes = Buffer.from(await response.arrayBuffer());
  const start = bytes.subarray(0, 5).toString("latin1");
  return { status: response.status, type: response.headers.get("content-type"), start };
}
