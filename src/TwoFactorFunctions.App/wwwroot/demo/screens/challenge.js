// The sign-in's second step: a sent code, the authenticator app, a recovery code or a passkey, with "remember this
// device". Answered with the challenge's own token (no session yet); the portal's server then opens the session.
import { KEYS, api, challengePath, deviceKey, session } from "../api.js";
import { channel, date, secondsUntil, time } from "../messages.js";
import { assertPasskey } from "../passkeys.js";
import { enterView, signOut, startSession } from "../router.js";
import { $, act, browserName, readCode, say } from "../ui.js";

// The typed ways to answer a sign-in challenge (ChallengeView.factors): the option label in #challenge-factor. A
// passkey is no typed answer: it has its own button, "Use a passkey".
const FACTORS = {
  Code: "A code sent to me",
  Authenticator: "My authenticator app",
  RecoveryCode: "A recovery code",
};

// The typed factors the challenge can be answered with (older answers carry none: a code only; none at all when only a
// passkey will do), and the one to start with (null: none).
const offeredFactors = (challenge) => (challenge.factors || ["Code"]).filter((f) => FACTORS[f]);
const passkeyOffered = (challenge) => (challenge.factors || []).includes("Passkey");
const startFactor = (challenge) => {
  const offered = offeredFactors(challenge);
  return offered.includes(challenge.preferredFactor) ? challenge.preferredFactor : offered[0] || null;
};
// The factor being answered with: the choice when there is one, else the only typed factor offered (null: a passkey).
const chosenFactor = (challenge) => (offeredFactors(challenge).length > 1 ? $("challenge-factor").value : startFactor(challenge));

export const challengeScreen = {
  enter() {
    const { challenge } = session.get(KEYS.pending);
    const offered = offeredFactors(challenge);
    const select = $("challenge-factor");
    select.replaceChildren(...offered.map((f) => new Option(FACTORS[f], f)));
    if (offered.length) select.value = startFactor(challenge);
    $("challenge-factor-field").hidden = offered.length < 2;
    $("challenge-send").textContent = channel(challenge.channel).send;
    $("challenge-code").value = "";
    $("challenge-recovery").value = "";
    say($("challenge-error"), "");
    showFactor(challenge);
    enterView($("challenge-title").textContent, "challenge-title");
  },
};

// Title, intro, inputs and buttons for the factor being answered with. A code-only challenge looks as it always did;
// "Use a passkey" is there whenever the challenge lists Passkey, the main button when nothing else will do.
function showFactor(challenge) {
  const factor = chosenFactor(challenge);
  const ch = channel(challenge.channel);
  const other = $("challenge-intro-other");
  $("challenge-passkey").hidden = !passkeyOffered(challenge);
  $("challenge-passkey").className = factor ? "secondary" : "primary";
  $("challenge-verify").hidden = !factor;
  if (!factor) {
    $("challenge-title").textContent = "Passkey";
    $("challenge-intro").hidden = true;
    other.hidden = false;
    other.textContent = "Sign in with your passkey: your browser asks for this device's screen lock or your phone.";
    for (const id of ["challenge-code-field", "challenge-recovery-field", "challenge-send"]) $(id).hidden = true;
    say($("challenge-info"), "");
    return;
  }
  $("challenge-title").textContent = factor === "Authenticator" ? "Authenticator app"
    : factor === "RecoveryCode" ? "Recovery code" : ch.title;
  $("challenge-intro").hidden = factor !== "Code";
  other.hidden = factor === "Code";
  other.textContent = factor === "Authenticator"
    ? "Open your authenticator app and enter the 6-digit code it shows for this portal."
    : factor === "RecoveryCode" ? "Lost your phone? Enter one of the recovery codes you saved. Each one works only once." : "";
  $("challenge-code-label").textContent = factor === "Authenticator" ? "Code from your authenticator app" : "Verification code";
  $("challenge-code-field").hidden = factor === "RecoveryCode";
  $("challenge-recovery-field").hidden = factor !== "RecoveryCode";
  $("challenge-send").hidden = factor !== "Code";
  if (factor === "Code") renderChallenge(challenge);
  else say($("challenge-info"), "");
}

function onChallengeFactorChange() {
  const { challenge } = session.get(KEYS.pending);
  say($("challenge-error"), "");
  showFactor(challenge);
  document.title = `${$("challenge-title").textContent} · Business Portal`;
  $(chosenFactor(challenge) === "RecoveryCode" ? "challenge-recovery" : "challenge-code").focus();
}

function renderChallenge(challenge, resent) {
  $("challenge-destination").textContent = challenge.maskedDestination;
  say($("challenge-info"), !challenge.codeSent
    ? `No code has been sent yet. Press “${channel(challenge.channel).send}” to get one.`
    : `${resent ? "A new code was sent" : "Code sent"} by ${channel(challenge.channel).by}. `
      + `It is valid until ${time(challenge.expiresAt)}.`);
}

// A recovery code (xxxxx-xxxxx, case and spaces do not matter), or null after telling the user what is wrong.
function readRecoveryCode(input, errorEl) {
  const code = input.value.replace(/[\s-]+/g, "").toLowerCase();
  if (/^[a-z0-9]{10}$/.test(code)) return `${code.slice(0, 5)}-${code.slice(5)}`;
  say(errorEl, input.value.trim() ? "A recovery code is 10 letters and digits, like k7m2p-x9qra." : "Enter one of your recovery codes.", "error");
  input.focus();
  return null;
}

// The first send when the code was not sent automatically, a resend otherwise.
function onChallengeSend() {
  const pending = session.get(KEYS.pending);
  return act($("challenge-send"), $("challenge-error"), async () => {
    try {
      const challenge = await api(challengePath(pending.challenge.challengeId, "send"), {
        method: "POST", challengeToken: pending.challengeToken,
      });
      session.set(KEYS.pending, { ...pending, challenge });
      renderChallenge(challenge, pending.challenge.codeSent);
      $("challenge-code").focus();
    } catch (err) {
      // Retry-After is unreadable cross-origin unless the API exposes it; the challenge says when a resend is allowed.
      if (err.code === "resend_too_soon" && !err.retryAfter) err.retryAfter = secondsUntil(pending.challenge.resendAvailableAt);
      throw err;
    }
  });
}

// "Remember this device" goes with any answer.
const remembered = () => ({ rememberDevice: $("challenge-remember").checked, deviceLabel: `Demo portal (${browserName()})` });

function onChallengeVerify(event) {
  event.preventDefault();
  const pending = session.get(KEYS.pending);
  const factor = chosenFactor(pending.challenge);
  if (!factor) return onChallengePasskey();
  const code = factor === "RecoveryCode"
    ? readRecoveryCode($("challenge-recovery"), $("challenge-error"))
    : readCode($("challenge-code"), $("challenge-error"));
  if (!code) return undefined;
  const id = pending.challenge.challengeId;
  const body = { code, ...remembered() };
  // A code-only challenge is answered exactly as before; otherwise the factor says what the code is.
  if (offeredFactors(pending.challenge).length > 1 || factor !== "Code") body.factor = factor;
  return act($("challenge-verify"), $("challenge-error"), async () => {
    const result = await api(challengePath(id, "verify"), {
      method: "POST", challengeToken: pending.challengeToken, body,
    });
    const how = factor === "Authenticator" ? "your authenticator app"
      : factor === "RecoveryCode" ? "a recovery code (it can't be used again — see My Account for how many are left)"
        : "a verification code";
    await finishSignIn(pending, result, how);
  });
}

// The browser's passkey dialog (fresh options for this challenge first), then the assertion is verified like a code.
function onChallengePasskey() {
  const pending = session.get(KEYS.pending);
  const id = pending.challenge.challengeId;
  return act($("challenge-passkey"), $("challenge-error"), async () => {
    const credential = await assertPasskey(id, pending.challengeToken);
    const result = await api(challengePath(id, "verify"), {
      method: "POST", challengeToken: pending.challengeToken, body: { factor: "Passkey", credential, ...remembered() },
    });
    await finishSignIn(pending, result, "a passkey");
  });
}

// A verified challenge: the remembered device's token is kept, and the portal's server opens the session.
async function finishSignIn(pending, result, how) {
  const id = pending.challenge.challengeId;
  if (result.deviceToken) localStorage.setItem(deviceKey(pending.userId), result.deviceToken);
  const signed = await api("/demo/api/session", {
    method: "POST", local: true, body: { challengeId: id, challengeToken: pending.challengeToken },
  });
  const note = result.deviceToken && result.deviceTokenExpiresAt
    ? ` This device is remembered until ${date(result.deviceTokenExpiresAt)}.` : "";
  const passkeyNeeded = result.passkeyEnrolmentRequired
    ? " Your company requires administrators to sign in with a passkey: add one in My Account." : "";
  startSession(signed.accessToken, signed.user, `You signed in with ${how}.${note}${passkeyNeeded}`);
}

export function wireChallenge() {
  $("challenge-form").addEventListener("submit", onChallengeVerify);
  $("challenge-send").addEventListener("click", onChallengeSend);
  $("challenge-passkey").addEventListener("click", onChallengePasskey);
  $("challenge-factor").addEventListener("change", onChallengeFactorChange);
  $("challenge-cancel").addEventListener("click", () => signOut());
}
