// The portal's session (sessionStorage; the remembered-device token in localStorage) and the one helper for every
// HTTP call. The API may be on another origin: every call there is CORS, without cookies.

// Filled in once by main.js from /demo/config.json before any screen runs.
export const config = { apiBase: "", tenantId: "", users: [], demoPassword: "", mailDevUrl: "#" };

export const KEYS = { token: "tff.accessToken", user: "tff.user", pending: "tff.pendingChallenge", reason: "tff.homeReason" };

export const session = {
  get: (key) => JSON.parse(sessionStorage.getItem(key) || "null"),
  set: (key, value) => sessionStorage.setItem(key, JSON.stringify(value)),
  remove: (key) => sessionStorage.removeItem(key),
};
export const accessToken = () => session.get(KEYS.token);
export const currentUser = () => session.get(KEYS.user);
export const deviceKey = (userId) => `tff.deviceToken.${config.tenantId}.${userId}`;
export const tenantPath = (rest) => `/api/tenants/${encodeURIComponent(config.tenantId)}${rest}`;
export const userPath = (rest) => tenantPath(`/users/${encodeURIComponent(currentUser().userId)}${rest}`);
export const challengePath = (id, action) => tenantPath(`/challenges/${encodeURIComponent(id)}/${action}`);

// A failed call, from the API's ProblemDetails (code, detail, triesLeft) and its Retry-After; status 0 when the
// server could not be reached.
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.status = status;
    this.code = problem.code || (status === 0 ? "network_error" : `http_${status}`);
    this.detail = problem.detail || "";
    this.triesLeft = typeof problem.triesLeft === "number" ? problem.triesLeft : null;
    this.retryAfter = retryAfter;
  }
}

// The one helper for every call. opts: method, body, challengeToken (sent instead of the bearer token), local (the
// portal's own same-origin backend, no bearer token), full (answer { status, data, headers } instead of the data).
export async function api(path, opts = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (opts.challengeToken) headers["X-Challenge-Token"] = opts.challengeToken;
  else if (!opts.local && accessToken()) headers.Authorization = `Bearer ${accessToken()}`;

  let response;
  try {
    response = await fetch((opts.local ? "" : config.apiBase) + path, {
      method: opts.method || "GET",
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: opts.local ? "same-origin" : "omit",
      mode: opts.local ? "same-origin" : "cors",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, {}, null);
  }

  const text = response.status === 204 ? "" : await response.text();
  const data = text && (response.headers.get("Content-Type") || "").includes("json") ? JSON.parse(text) : null;
  if (!response.ok) {
    const retry = parseInt(response.headers.get("Retry-After") || "", 10);
    throw new ApiError(response.status, data || {}, Number.isFinite(retry) ? retry : null);
  }
  return opts.full ? { status: response.status, data, headers: response.headers } : data;
}

// Checks a code with the bearer token (step-up, self-service and contact-change challenges); factor defaults to Code.
export const verifyCode = (challengeId, code, factor) =>
  api(challengePath(challengeId, "verify"), { method: "POST", body: factor ? { code, factor } : { code } });

// Answers a challenge with a passkey's assertion (PublicKeyCredential.toJSON()) with the bearer token: a step-up or proof.
export const verifyPasskey = (challengeId, credential) =>
  api(challengePath(challengeId, "verify"), { method: "POST", body: { factor: "Passkey", credential } });

// Reads /demo/config.json (the portal's own server) into config.
export async function loadConfig() {
  const response = await fetch("/demo/config.json", { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  const loaded = await response.json();
  Object.assign(config, loaded, {
    apiBase: (loaded.apiBase || "").replace(/\/+$/, ""),
    users: loaded.users || [],
  });
}
