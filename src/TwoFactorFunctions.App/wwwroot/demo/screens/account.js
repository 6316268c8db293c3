// My Account → User Settings: the user's own two-step sign-in, a contact change and the remembered devices. Every
// change is proven first in the code pop-up (proveItsYou); the authenticator app's card is screens/factors.js, the
// passkeys' screens/passkeys.js.
import { KEYS, api, currentUser, deviceKey, session, userPath, verifyCode } from "../api.js";
import { proveWithCode } from "../code-dialog.js";
import { channel, date, sentText } from "../messages.js";
import { enterView, renderNav } from "../router.js";
import { $, act, el, readCode, say } from "../ui.js";

let account = null;
let contactChallengeId = null;

export const accountScreen = {
  enter() {
    account = null;
    contactChallengeId = null;
    $("account-2fa-toggle").disabled = true;
    $("account-2fa-status").textContent = "";
    for (const id of ["account-message", "contact-message", "devices-message", "factors-message", "passkeys-message"]) say($(id), "");
    enterView("My Account", "account-heading");
    loadAccount();
    loadDevices();
  },
};

// The user proves the channel (a SelfService challenge, its code sent on request; with an app enrolled, the app's
// code; with a passkey, the passkey). Resolves to the verified challenge id, or null when cancelled. save(challengeId),
// if given, runs before the pop-up closes: its failure is shown there. passkey: the user is known to hold one.
export const proveItsYou = (title, save, passkey = false) => proveWithCode({
  title,
  save,
  passkey,
  destination: (account && account.maskedDestination) || "your contact on file",
  request: () => api(userPath("/two-factor/challenges"), { method: "POST" }),
});

const loadAccount = () => act(null, $("account-message"), async () => {
  account = await api(userPath("/two-factor"));
}).then(renderAccount);

function renderAccount() {
  if (!account) return;
  const ch = channel(account.channel);
  $("account-2fa-status").textContent = account.enabled ? "On" : "Off";
  $("account-2fa-channel").textContent = account.maskedDestination
    ? `${ch.name} to ${account.maskedDestination}` : `${ch.name} (no contact on file)`;
  const toggle = $("account-2fa-toggle");
  toggle.textContent = account.enabled ? "Turn off" : "Turn on";
  toggle.disabled = Boolean(account.requiredByTenant);
  $("account-2fa-note").textContent = account.requiredByTenant
    ? "Your company requires two-step sign-in for every user, so it can't be changed here."
    : account.reverifyPending ? "Your company changed how codes are delivered; you'll confirm it at your next sign-in." : "";
}

// Turning two-step sign-in on or off: the change is saved, with the proof, while the pop-up is still open.
function onAccountToggle() {
  if (!account) return;
  const turningOn = !account.enabled;
  proveItsYou(turningOn ? "Turn on two-step sign-in" : "Turn off two-step sign-in", async (challengeId) => {
    account = await api(userPath("/two-factor"), { method: "PUT", body: { enabled: turningOn, verifiedChallengeId: challengeId } });
    renderAccount();
    say($("account-message"), `Two-step sign-in is now ${account.enabled ? "on" : "off"}.`, "success");
    loadDevices();
  });
}

// First a proof over what the user already has (the pop-up: the app, or a code to the current contact), then a code
// goes to the new contact; it replaces the old one once that code is verified and the change completed.
async function onContactStart(event) {
  event.preventDefault();
  const message = $("contact-message");
  const email = $("contact-email").value.trim();
  const phone = $("contact-phone").value.replace(/[\s()-]/g, "");
  if (!email && !phone) return say(message, "Enter a new email address or mobile number.", "error");
  const proof = await proveItsYou("Change your contact details");
  if (!proof) return undefined;
  return act($("contact-start"), message, async () => {
    const body = email ? { email, verifiedChallengeId: proof } : { phone, verifiedChallengeId: proof };
    const challenge = await api(userPath("/contact-changes"), { method: "POST", body });
    contactChallengeId = challenge.challengeId;
    $("contact-code").disabled = false;
    $("contact-complete").disabled = false;
    $("contact-code").value = "";
    say(message, `${sentText(challenge)} Enter it below to confirm the change.`);
    $("contact-code").focus();
  });
}

function onContactComplete() {
  const message = $("contact-message");
  if (!contactChallengeId) return say(message, "Send a code to the new contact first.", "error");
  const code = readCode($("contact-code"), message);
  if (!code) return undefined;
  return act($("contact-complete"), message, async () => {
    await verifyCode(contactChallengeId, code);
    const updated = await api(userPath(`/contact-changes/${encodeURIComponent(contactChallengeId)}/complete`), { method: "POST" });
    contactChallengeId = null;
    session.set(KEYS.user, { ...currentUser(), email: updated.email, phone: updated.phone });
    localStorage.removeItem(deviceKey(currentUser().userId));
    for (const id of ["contact-email", "contact-phone", "contact-code"]) $(id).value = "";
    say(message, "Your contact details were updated. Remembered devices were forgotten.", "success");
    renderNav();
    loadAccount();
    loadDevices();
  }).then(() => {
    $("contact-complete").disabled = contactChallengeId === null;
    $("contact-code").disabled = contactChallengeId === null;
  });
}

const loadDevices = () => act(null, $("devices-message"), async () => {
  renderDevices(await api(userPath("/devices")));
});

function renderDevices(devices) {
  const items = devices.map((d) => {
    const label = d.label || "Unnamed device";
    const button = el("button", { type: "button", className: "revoke secondary", textContent: "Forget" });
    button.setAttribute("aria-label", `Forget ${label}`);
    button.addEventListener("click", () => revokeDevice(d.deviceId, button));
    return el("li", { className: "device" },
      el("span", { className: "device-label", textContent: label }),
      el("span", { className: "device-dates", textContent: `Remembered since ${date(d.createdAt)} · until ${date(d.expiresAt)}` }),
      button);
  });
  $("devices").replaceChildren(...items);
  $("devices").hidden = items.length === 0;
  $("devices-empty").hidden = items.length > 0;
  $("devices-revoke-all").disabled = items.length === 0;
}

const revokeDevice = (deviceId, button) => act(button, $("devices-message"), async () => {
  await api(userPath(`/devices/${encodeURIComponent(deviceId)}`), { method: "DELETE" });
  await loadDevices();
  say($("devices-message"), "The device was forgotten.", "success");
});

const onRevokeAll = () => act($("devices-revoke-all"), $("devices-message"), async () => {
  const result = await api(userPath("/devices"), { method: "DELETE" });
  localStorage.removeItem(deviceKey(currentUser().userId));
  await loadDevices();
  const count = (result && result.count) || 0;
  say($("devices-message"), `${count} device${count === 1 ? " was" : "s were"} forgotten.`, "success");
}).then(() => { $("devices-revoke-all").disabled = $("devices").children.length === 0; });

export function wireAccount() {
  $("account-2fa-toggle").addEventListener("click", onAccountToggle);
  $("contact-form").addEventListener("submit", onContactStart);
  $("contact-complete").addEventListener("click", onContactComplete);
  $("devices-revoke-all").addEventListener("click", onRevokeAll);
}
