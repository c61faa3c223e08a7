// Drives the npm package checkout-sdk-node, unmodified, against kycsim: every Identities method for
// applicants and identity verifications, and the errors the SDK raises, once per HTTP client the SDK
// offers (its default fetch, and axios), each with its own secret key and so its own kycsim tenant.
// Usage: NODE_PATH=<node_modules> node drive_sdk.mjs <baseURL> <fetchKey> <axiosKey>
// Prints {"fetch": {step: result}, "axios": {...}}; a result is {ok: true, body} or {ok: false, error}.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// The package is ESM: NODE_PATH only reaches require(), so resolve the package there and import the file.
const require = createRequire(import.meta.url);
const { Checkout } = await import(pathToFileURL(require.resolve("checkout-sdk-node")).href);

const [baseURL, fetchKey, axiosKey] = process.argv.slice(2);

// `host` is the SDK's documented custom host (which also lifts the merchant-subdomain requirement),
// `headers` its documented extra headers for every call, `httpClient` its choice of HTTP client.
// The SDK has no option for the identity-verification host: it fixes it from the environment
// (special-urls.js). So the one thing set by hand is that field of the SDK's own config object,
// which every Identities client reads on each call.
function identities(key, httpClient, headers = {}) {
  const cko = new Checkout(key, { host: baseURL, headers, ...(httpClient === "axios" ? { httpClient } : {}) });
  const fixed = cko.config.identityVerificationUrl;
  if (typeof fixed !== "string" || !fixed.startsWith("https://identity-verification.")) {
    throw new Error(`checkout-sdk-node no longer keeps its identity host in config.identityVerificationUrl: ${fixed}`);
  }
  cko.config.identityVerificationUrl = baseURL;
  return cko.identities;
}

async function advance(seconds) {
  const response = await fetch(`${baseURL}/_sim/clock/advance`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ seconds }),
  });
  if (!response.ok) throw new Error(`clock advance failed: ${response.status}`);
}

const declared = { name: "Hannah Bret", birth_date: "1994-10-15" };
const redirect_url = "https://merchant.example.com/back";

// What an app does with a link from a body: download it (before anonymization removes it).
async function download(url) {
  const response = await fetch(url);
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, type: response.headers.get("content-type"), start: bytes.subarray(0, 5).toString("latin1") };
}

async function drive(key, httpClient) {
  const results = {};
  async function step(name, call) {
    try {
      const body = await call();
      // getPDFReport hands back the raw response as a Buffer.
      results[name] = { ok: true, body: Buffer.isBuffer(body) ? { buffer: body.toString("utf8") } : body };
    } catch (error) {
      results[name] = { ok: false, error: { name: error.name, http_code: error.http_code, body: error.body } };
    }
    return results[name].body || {};
  }

  // Applicants
  const api = identities(key, httpClient);
  const applicant = await step("createApplicant", () =>
    api.createApplicant({
      external_applicant_id: "ext_nodesdkapplicant0000000001",
      email: "hannah.bret@example.com",
      external_applicant_name: "Hannah Bret",
    }),
  );
  await step("getApplicant", () => api.getApplicant(applicant.id));
  await step("updateApplicant", () =>
    api.updateApplicant(applicant.id, { email: "h.bret@example.com", external_applicant_name: "H. Bret" }),
  );
  await step("anonymizeApplicant", () => api.anonymizeApplicant(applicant.id));

  // An identity verification through every method, playing the scenario the header names.
  const approved = identities(key, httpClient, { "X-KycSim-Scenario": "idv-approved" });
  const person = await step("createApplicantForIdv", () => approved.createApplicant({ email: "hannah@example.com" }));
  const idv = await step("createIdentityVerification", () =>
    approved.createIdentityVerification({ applicant_id: person.id, declared_data: declared }),
  );
  const attempt = await step("createAttempt", () =>
    approved.createIdentityVerificationAttempt(idv.id, {
      redirect_url,
      client_information: { pre_selected_residence_country: "FR", pre_selected_document_type: "ID" },
    }),
  );
  await advance(200);
  await step("getIdentityVerification", () => approved.getIdentityVerification(idv.id));
  await step("listAttempts", () => approved.listIdentityVerificationAttempts(idv.id));
  await step("getAttempt", () => approved.getIdentityVerificationAttempt(idv.id, attempt.id));
  const assets = await step("getAttemptAssets", () =>
    approved.getIdentityVerificationAttemptAssets(idv.id, attempt.id, { skip: 0, limit: 2 }),
  );
  if (assets.data) results.assetDownload = await download(assets.data[0]._links.asset_url.href);
  const report = await step("getPDFReport", () => approved.getIdentityVerificationPDFReport(idv.id));
  if (report.buffer) results.reportDownload = await download(JSON.parse(report.buffer).pdf_report);
  await step("anonymizeIdentityVerification", () => approved.anonymizeIdentityVerification(idv.id));

  // Create-and-open, playing another scenario: the face does not match the document.
  const declined = identities(key, httpClient, { "X-KycSim-Scenario": "idv-declined-62304" });
  const opened = await step("createAndStartIdentityVerification", () =>
    declined.createAndStartIdentityVerification({ declared_data: declared, redirect_url }),
  );
  await advance(200);
  await step("getDeclined", () => declined.getIdentityVerification(opened.id));

  // Errors, as the SDK's own error classes.
  await step("notFound", () => api.getIdentityVerification("idv_tkoi5db4hryu5cei5vwoabr7we"));
  await step("invalidIdv", () => api.createIdentityVerification({ applicant_id: person.id, declared_data: {} }));
  await step("invalidApplicant", () => api.createApplicant({ email: "not-an-email" }));
  await step("attemptNotAllowed", () => api.createIdentityVerificationAttempt(idv.id, { redirect_url }));
  await step("badCredential", () => identities("not-a-checkout-key", httpClient).getApplicant(applicant.id));
  return results;
}

const results = { fetch: await drive(fetchKey, "fetch"), axios: await drive(axiosKey, "axios") };
process.stdout.write(JSON.stringify(results));
