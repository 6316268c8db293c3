// My Account → the authenticator app and its recovery codes. Adding, removing and new codes are each proven first in
// the code pop-up; the recovery codes are shown once.
import { api, userPath } from "../api.js";
import { date, time } from "../messages.js";
import { $, act, readCode, say } from "../ui.js";
import { proveItsYou } from "./account.js";

let factors = null;
let recoveryUrl = null;

export const factorsCard = {
  enter() {
    factors = null;
    $("authenticator-enrol").hidden = true;
    $("authenticator-qr").removeAttribute("src");
    $("authenticator-secret").textContent = "";
    hideRecoveryCodes();
    renderFactors();
    loadFactors();
  },
  // The codes must not outlive the screen (nor the session): leaving it forgets them.
  leave: hideRecoveryCodes,
};

const loadFactors = () => act(null, $("factors-message"), async () => {
  factors = await api(userPath("/factors"));
}).then(renderFactors);

function renderFactors() {
  const add = $("authenticator-add");
  if (!factors) {
    $("factors-status").textContent = "";
    add.disabled = true;
    return;
  }
  const on = factors.authenticatorEnrolled;
  const allowed = !factors.policy || !factors.policy.allowed || factors.policy.allowed.includes("Authenticator");
  $("factors-status").textContent = on ? "On" : "Off";
  $("factors-recovery-left").textContent = String(factors.recoveryCodesLeft || 0);
  add.hidden = on;
  add.disabled = on || !factors.authenticatorAvailable || !allowed;
  $("authenticator-remove").hidden = !on;
  $("recovery-regenerate").hidden = !on;
  if (on) $("authenticator-enrol").hidden = true;
  $("factors-note").textContent = !factors.authenticatorAvailable && !on
    ? "Authenticator apps are not available on this site at the moment."
    : !allowed && !on ? "Your company's sign-in rules don't allow authenticator apps."
      : on && factors.recoveryCodesLeft <= 2
        ? "You are running out of recovery codes. Get a new set and keep it somewhere safe."
        : on && factors.authenticatorEnrolledAt ? `Added ${date(factors.authenticatorEnrolledAt)}.` : "";
}

// Proves it's the user in the pop-up, then makes the change with the verified id (the button busy meanwhile);
// nothing happens when the pop-up is cancelled.
async function withProof(title, button, change) {
  const message = $("factors-message");
  say(message, "");
  const challengeId = await proveItsYou(title);
  if (challengeId) await act(button, message, () => change(challengeId, message));
}

// The enrolment starts: the QR code and the secret are shown until the app's first code confirms it.
const onAuthenticatorAdd = () => withProof("Add an authenticator app", $("authenticator-add"), async (challengeId, message) => {
  const enrolment = await api(userPath("/authenticator"), { method: "POST", body: { verifiedChallengeId: challengeId } });
  hideRecoveryCodes();
  $("authenticator-qr").src = enrolment.qrCodePng;
  $("authenticator-secret").textContent = enrolment.secret;
  $("authenticator-expires").textContent = enrolment.expiresAt ? ` before ${time(enrolment.expiresAt)}` : "";
  $("authenticator-code").value = "";
  $("authenticator-enrol").hidden = false;
  say(message, "Scan the QR code with your authenticator app, then enter the code it shows.");
  $("authenticator-code").focus();
});

function onAuthenticatorConfirm() {
  const message = $("factors-message");
  const code = readCode($("authenticator-code"), message);
  if (!code) return undefined;
  return act($("authenticator-confirm"), message, async () => {
    const codes = await api(userPath("/authenticator/confirm"), { method: "POST", body: { code } });
    $("authenticator-enrol").hidden = true;
    $("authenticator-qr").removeAttribute("src");
    $("authenticator-secret").textContent = "";
    showRecoveryCodes(codes);
    await loadFactors();
    say(message, "Your authenticator app is on. Next time you sign in you can use it instead of a sent code.", "success");
  });
}

const onAuthenticatorRemove = () => withProof("Remove your authenticator app", $("authenticator-remove"), async (challengeId, message) => {
  factors = await api(userPath(`/authenticator?verifiedChallengeId=${encodeURIComponent(challengeId)}`), { method: "DELETE" });
  hideRecoveryCodes();
  renderFactors();
  say(message, "Your authenticator app was removed, and your recovery codes no longer work.", "success");
});

const onRecoveryRegenerate = () => withProof("Get new recovery codes", $("recovery-regenerate"), async (challengeId, message) => {
  const codes = await api(userPath("/recovery-codes"), { method: "POST", body: { verifiedChallengeId: challengeId } });
  showRecoveryCodes(codes);
  await loadFactors();
  say(message, "Here is your new set of recovery codes. The old ones no longer work.", "success");
});

// The codes are shown once: they live only in this panel (and the download link) until the screen changes.
function showRecoveryCodes(result) {
  hideRecoveryCodes();
  $("recovery-codes").textContent = result.recoveryCodes.join("\n");
  recoveryUrl = URL.createObjectURL(new Blob([result.downloadText], { type: "text/plain;charset=utf-8" }));
  const link = $("recovery-download");
  link.href = recoveryUrl;
  link.download = result.downloadFileName || "recovery-codes.txt";
  $("recovery-panel").hidden = false;
  $("recovery-panel").scrollIntoView({ block: "nearest" });
}

function hideRecoveryCodes() {
  $("recovery-panel").hidden = true;
  $("recovery-codes").textContent = "";
  $("recovery-download").href = "#";
  if (recoveryUrl) URL.revokeObjectURL(recoveryUrl);
  recoveryUrl = null;
}

export function wireFactors() {
  $("authenticator-add").addEventListener("click", onAuthenticatorAdd);
  $("authenticator-confirm").addEventListener("click", onAuthenticatorConfirm);
  $("authenticator-remove").addEventListener("click", onAuthenticatorRemove);
  $("recovery-regenerate").addEventListener("click", onRecoveryRegenerate);
  $("recovery-done").addEventListener("click", () => {
    hideRecoveryCodes();
    say($("factors-message"), "");
  });
}
