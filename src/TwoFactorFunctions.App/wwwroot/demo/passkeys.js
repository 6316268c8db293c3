// The browser's own passkey dialogs (WebAuthn), in the JSON forms the API speaks: options in through
// PublicKeyCredential.parse…OptionsFromJSON, the credential out through toJSON(). The API checks every answer; this
// module only runs the ceremonies and turns the browser's refusals into errors that messages.js puts in words.
import { api, challengePath } from "./api.js";

// A ceremony the browser did not complete: code is one of the passkey_* codes messages.js knows.
export class PasskeyError extends Error {
  constructor(code, cause) {
    super(code);
    this.code = code;
    this.status = null;
    this.cause = cause;
  }
}

// The browser can run both ceremonies with the JSON forms (every current browser; an old one is told so).
export const passkeysSupported = () => typeof window.PublicKeyCredential === "function"
  && typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function"
  && typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

// The browser's DOMException as a PasskeyError: cancelled or timed out, already on this device, wrong address.
function refusal(err) {
  switch (err && err.name) {
    case "NotAllowedError":
    case "AbortError": return new PasskeyError("passkey_cancelled", err);
    case "InvalidStateError": return new PasskeyError("passkey_already_on_device", err);
    case "SecurityError": return new PasskeyError("passkey_wrong_address", err);
    case "NotSupportedError": return new PasskeyError("passkey_unsupported", err);
    default: return new PasskeyError("passkey_failed", err);
  }
}

async function run(ceremony) {
  if (!passkeysSupported()) throw new PasskeyError("passkey_unsupported");
  let credential;
  try {
    credential = await ceremony();
  } catch (err) {
    throw refusal(err);
  }
  if (!credential) throw new PasskeyError("passkey_cancelled");
  return credential.toJSON();
}

// A new passkey from the registration's options (POST …/passkeys/registrations): the credential to send back.
export const createPasskey = (publicKey) => run(() => navigator.credentials.create({
  publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(publicKey),
}));

// An assertion for a challenge (sign-in or proof): fresh options first (each call is a new ceremony), then the
// browser's dialog. challengeToken is the sign-in's own token; without it the bearer token is sent.
export async function assertPasskey(challengeId, challengeToken) {
  const options = await api(challengePath(challengeId, "passkey-options"), {
    method: "POST", body: { discoverable: false }, ...(challengeToken ? { challengeToken } : {}),
  });
  return run(() => navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey) }));
}
