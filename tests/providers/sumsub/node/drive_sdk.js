// Drives the npm package sumsub-node-sdk against kycsim for every call the simulator serves, through the
// API-only flow end to end: create, upload a passport and a selfie, request the check, read the review.
// Usage: node drive_sdk.js <baseURL> <appToken> <secretKey>; prints one JSON object of results.
const { sdk } = require("sumsub-node-sdk");

const [baseURL, appToken, secretKey] = process.argv.slice(2);
const sumsub = sdk({ baseURL, appToken, secretKey });

// A 1x1 PNG: what a client would upload as a passport scan in a test.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC",
  "base64",
);

async function step(results, name, fn) {
  try {
    const response = await fn();
    results[name] = { status: response.status, data: response.data };
  } catch (error) {
    results[name] = error.response
      ? { status: error.response.status, data: error.response.data }
      : { error: String(error) };
  }
  return results[name];
}

async function control(path, body) {
  // kycsim's own control API (not Sumsub's): bind a scenario, move the virtual clock.
  const response = await fetch(baseURL + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, data: await response.json() };
}

(async () => {
  const results = {};
  const externalUserId = `node-sdk-${Date.now()}`;
  await step(results, "getStatus", () => sumsub.getStatus());
  results.bind = await control("/_sim/bindings", { scenario: "red-retry-bad_selfie", match: { externalUserId } });
  const created = await step(results, "createApplicant", () =>
    sumsub.createApplicant(externalUserId, "basic-kyc-level", { email: "node@example.com" }),
  );
  const id = created.data && created.data.id;
  await step(results, "createDuplicate", () => sumsub.createApplicant(externalUserId, "basic-kyc-level"));
  await step(results, "getApplicant", () => sumsub.getApplicant(id));
  await step(results, "getApplicantByExternalUserId", () => sumsub.getApplicantByExternalUserId(externalUserId));
  await step(results, "resetApplicant", () => sumsub.resetApplicant(id));
  await step(results, "requestCheckWithoutDocuments", () => sumsub.requestApplicantCheck(id));
  results.idleHour = await control("/_sim/clock/advance", { seconds: 3600 });
  await step(results, "statusAfterAnIdleHour", () => sumsub.getReviewStatus(id));
  const doc = await step(results, "addIdDocument", () =>
    sumsub.addIdDocument(id, { idDocType: "PASSPORT", country: "USA" }, PNG),
  );
  const selfie = Buffer.concat([PNG, Buffer.from("selfie")]); // another file: same bytes would be a duplicate
  await step(results, "addSelfie", () => sumsub.addIdDocument(id, { idDocType: "SELFIE", country: "USA" }, selfie));
  const inspectionId = created.data && created.data.inspectionId;
  const image = await step(results, "getDocumentImage", () =>
    sumsub.getDocumentImage(inspectionId, doc.data && doc.data.imageId),
  );
  if (image.data) image.data = { length: Buffer.from(image.data).length };
  await step(results, "getRequiredIdDocsStatus", () => sumsub.getRequiredIdDocsStatus(id));
  await step(results, "requestApplicantCheck", () => sumsub.requestApplicantCheck(id));
  await step(results, "getReviewStatus", () => sumsub.getReviewStatus(id));
  await step(results, "requestCheckAgain", () => sumsub.requestApplicantCheck(id));
  results.reviewHour = await control("/_sim/clock/advance", { seconds: 3600 });
  await step(results, "reviewed", () => sumsub.getReviewStatus(id));
  await step(results, "generateAccessToken", () => sumsub.generateAccessToken(externalUserId, "basic-kyc-level", 900));
  await step(results, "generateWebSDKLink", () =>
    sumsub.generateWebSDKLink({ userId: externalUserId, levelName: "basic-kyc-level", ttlInSecs: 900 }),
  );
  const wrong = sdk({ baseURL, appToken, secretKey: "not-the-secret" });
  await step(results, "wrongSecret", () => wrong.getApplicant(id));
  process.stdout.write(JSON.stringify(results));
})();
