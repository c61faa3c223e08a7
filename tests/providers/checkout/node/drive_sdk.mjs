// Drives the npm package checkout-sdk-node, unmodified, against kycsim: every Identities method for
// applicants and identity verifications, and the errors the SDK raises, once per HTTP client the SDK
// offers (its default fetch, and axios), each with its own secret key and so its own kycsim tenant.
// Usage: NODE_PATH=<node_modules> node drive_sdk.mjs <baseURL> <fetchKey> <axiosKey>
// Prints {"fetch": {step: result}, "axios": {...}}; a result is {ok: true, body} or {ok: false, error}.
import { advance, download, identities, recorder } from "./sdk.mjs";

const [baseURL, fetchKey, axiosKey] = process.argv.slice(2);
const declared = { name: "Hannah Bret", birth_date: "1994-10-15" };
const redirect_url = "https://merchant.example.com/back";

async function drive(key, httpClient) {
  const results = {};
  const step = recorder(results);
  const client = (headers) => identities(baseURL, key, { httpClient, headers });

  // Applicants
  const api = client();
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
  const approved = client({ "X-KycSim-Scenario": "idv-approved" });
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
  await advance(baseURL, 200);
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
  const declined = client({ "X-KycSim-Scenario": "idv-declined-62304" });
  const opened = await step("createAndStartIdentityVerification", () =>
    declined.createAndStartIdentityVerification({ declared_data: declared, redirect_url }),
  );
  await advance(baseURL, 200);
  await step("getDeclined", () => declined.getIdentityVerification(opened.id));

  // Errors, as the SDK's own error classes.
  await step("notFound", () => api.getIdentityVerification("idv_tkoi5db4hryu5cei5vwoabr7we"));
  await step("invalidIdv", () => api.createIdentityVerification({ applicant_id: person.id, declared_data: {} }));
  await step("invalidApplicant", () => api.createApplicant({ email: "not-an-email" }));
  await step("attemptNotAllowed", () => api.createIdentityVerificationAttempt(idv.id, { redirect_url }));
  const stranger = identities(baseURL, "not-a-checkout-key", { httpClient });
  await step("badCredential", () => stranger.getApplicant(applicant.id));
  return results;
}

const results = { fetch: await drive(fetchKey, "fetch"), axios: await drive(axiosKey, "axios") };
process.stdout.write(JSON.stringify(results));
