// Drives checkout-sdk-node's other Identities clients against kycsim: Face Authentication, ID and
// Address Document Verification (every method the SDK has for them) and AML Screening.
// Usage: NODE_PATH=<node_modules> node drive_products.mjs <baseURL> <secretKey>
// Prints {step: result}; a result is {ok: true, body} or {ok: false, error}.
import { advance, download, identities, recorder } from "./sdk.mjs";

const [baseURL, key] = process.argv.slice(2);
const results = {};
const step = recorder(results);
const client = (scenario) => identities(baseURL, key, { headers: scenario ? { "X-KycSim-Scenario": scenario } : {} });
const redirect_url = "https://merchant.example.com/back";
// A 1x1 PNG, sent as the SDKs send files: a data URL in the JSON body.
const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

// Face authentication and AML screening need an applicant approved by an identity verification.
const api = client();
const applicant = await step("createApplicant", () => api.createApplicant({ email: "hannah.bret@example.com" }));
const idv = await client("idv-approved").createIdentityVerification({
  applicant_id: applicant.id,
  declared_data: { name: "Hannah Bret", birth_date: "1994-10-15" },
});
await client().createIdentityVerificationAttempt(idv.id, { redirect_url });
await advance(baseURL, 600);
const journey = { applicant_id: applicant.id, user_journey_id: idv.user_journey_id };

// Face Authentication
const fa = client("fa-approved");
const fav = await step("createFaceAuthentication", () => fa.createFaceAuthentication(journey));
const fatp = await step("createFaceAuthenticationAttempt", () =>
  fa.createFaceAuthenticationAttempt(fav.id, { redirect_url, client_information: { pre_selected_language: "en-GB" } }),
);
await advance(baseURL, 600);
await step("getFaceAuthentication", () => fa.getFaceAuthentication(fav.id));
await step("listFaceAuthenticationAttempts", () => fa.listFaceAuthenticationAttempts(fav.id));
await step("getFaceAuthenticationAttempt", () => fa.getFaceAuthenticationAttempt(fav.id, fatp.id));
const faAssets = await step("getFaceAuthenticationAttemptAssets", () =>
  fa.getFaceAuthenticationAttemptAssets(fav.id, fatp.id, { skip: 0, limit: 5 }),
);
if (faAssets.data) results.faceDownload = await download(faAssets.data[0]._links.asset_url.href);
await step("anonymizeFaceAuthentication", () => fa.anonymizeFaceAuthentication(fav.id));
const mismatch = client("fa-declined-62321");
const other = await mismatch.createFaceAuthentication(journey);
await mismatch.createFaceAuthenticationAttempt(other.id, { redirect_url });
await advance(baseURL, 600);
await step("getDeclinedFaceAuthentication", () => mismatch.getFaceAuthentication(other.id));

// ID Document Verification
const iddvClient = client("iddv-approved");
const iddv = await step("createIDDocumentVerification", () =>
  iddvClient.createIDDocumentVerification({ ...journey, declared_data: { name: "Hannah Bret" } }),
);
const datp = await step("createIDDocumentVerificationAttempt", () =>
  iddvClient.createIDDocumentVerificationAttempt(iddv.id, { document_front: PNG, document_back: PNG }),
);
await advance(baseURL, 600);
await step("getIDDocumentVerification", () => iddvClient.getIDDocumentVerification(iddv.id));
await step("listIDDocumentVerificationAttempts", () => iddvClient.listIDDocumentVerificationAttempts(iddv.id));
await step("getIDDocumentVerificationAttempt", () => iddvClient.getIDDocumentVerificationAttempt(iddv.id, datp.id));
// Unlike the IDV one, these PDF-report methods return the parsed JSON.
const iddvReport = await step("getIDDocumentVerificationPDFReport", () =>
  iddvClient.getIDDocumentVerificationPDFReport(iddv.id),
);
if (iddvReport.pdf_report) results.iddvReportDownload = await download(iddvReport.pdf_report);
await step("anonymizeIDDocumentVerification", () => iddvClient.anonymizeIDDocumentVerification(iddv.id));

// Address Document Verification
const advClient = client("adv-approved");
const adv = await step("createAddressDocumentVerification", () => advClient.createAddressDocumentVerification(journey));
const adva = await step("createAddressDocumentVerificationAttempt", () =>
  advClient.createAddressDocumentVerificationAttempt(adv.id, { document: PNG }),
);
await advance(baseURL, 600);
await step("getAddressDocumentVerification", () => advClient.getAddressDocumentVerification(adv.id));
await step("listAddressDocumentVerificationAttempts", () => advClient.listAddressDocumentVerificationAttempts(adv.id));
await step("getAddressDocumentVerificationAttempt", () =>
  advClient.getAddressDocumentVerificationAttempt(adv.id, adva.id),
);
const advReport = await step("getAddressDocumentVerificationPDFReport", () =>
  advClient.getAddressDocumentVerificationPDFReport(adv.id),
);
if (advReport.pdf_report) results.advReportDownload = await download(advReport.pdf_report);
await step("anonymizeAddressDocumentVerification", () => advClient.anonymizeAddressDocumentVerification(adv.id));

// AML Screening: a clean one, and one with alerts that waits for a reviewer.
const screening = { applicant_id: applicant.id, search_parameters: { configuration_identifier: "kycsim" } };
const aml = await step("createAMLVerification", () => client("aml-approved").createAMLVerification(screening));
await advance(baseURL, 600);
await step("getAMLScreening", () => api.getAMLScreening(aml.id));
const review = await step("createAMLReview", () =>
  client("aml-review-required").createAMLVerification({ ...screening, monitored: true }),
);
await advance(baseURL, 600);
await step("getAMLReview", () => api.getAMLScreening(review.id));

// Errors: no approved identity behind the applicant; unknown ids; a bad upload.
const newcomer = await api.createApplicant({ email: "newcomer@example.com" });
await step("faceNotVerified", () => api.createFaceAuthentication({ ...journey, applicant_id: newcomer.id }));
await step("faceWithoutJourney", () => api.createFaceAuthentication({ applicant_id: applicant.id }));
await step("faceBadJourney", () =>
  api.createFaceAuthentication({ applicant_id: applicant.id, user_journey_id: "usj_01heqt35wmjrf3wjd7w1wz33p2" }),
);
await step("amlNotVerified", () => api.createAMLVerification({ ...screening, applicant_id: newcomer.id }));
await step("faceNotFound", () => api.getFaceAuthentication("fav_tkoi5db4hryu5cei5vwoabr7we"));
await step("amlNotFound", () => api.getAMLScreening("amlv_tkoi5db4hryu5cei5vwoabr7we"));
const fresh = await api.createIDDocumentVerification(journey);
await step("badUpload", () => api.createIDDocumentVerificationAttempt(fresh.id, { document_front: "not a picture" }));

process.stdout.write(JSON.stringify(results));
