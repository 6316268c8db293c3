// My Account → Passkeys: the user's passkeys, added with the browser's own dialog, renamed and removed. Adding and
// removing change how the user signs in, so each is proven first in the code pop-up; a name is not a factor, so
// renaming asks for no proof.
import { api, userPath } from "../api.js";
import { date } from "../messages.js";
import { createPasskey, passkeysSupported } from "../passkeys.js";
import { $, act, browserName, el, modal, say } from "../ui.js";
import { proveItsYou } from "./account.js";

let listing = null; // { passkeys: [...], available }

export const passkeysCard = {
  enter() {
    listing = null;
    $("passkey-name").value = defaultName();
    say($("passkeys-message"), "");
    renderPasskeys();
    loadPasskeys();
  },
};

const defaultName = () => `${browserName()} on this device`;
const held = () => Boolean(listing && listing.passkeys.length);

const loadPasskeys = () => act(null, $("passkeys-message"), async () => {
  listing = await api(userPath("/passkeys"));
}).then(renderPasskeys);

function renderPasskeys() {
  const items = listing ? listing.passkeys.map(passkeyItem) : [];
  $("passkey-list").replaceChildren(...items);
  $("passkey-list").hidden = items.length === 0;
  $("passkeys-empty").hidden = !listing || items.length > 0;
  $("passkey-add").disabled = !listing || !listing.available || !passkeysSupported();
  $("passkeys-note").textContent = !listing ? ""
    : !listing.available ? "Passkeys are not available on this site at the moment."
      : !passkeysSupported() ? "This browser can't create passkeys." : "";
}

function passkeyItem(passkey) {
  const button = (text, handler) => {
    const node = el("button", { type: "button", className: "revoke secondary", textContent: text });
    node.setAttribute("aria-label", `${text} ${passkey.name}`);
    node.addEventListener("click", () => handler(passkey, node));
    return node;
  };
  const used = passkey.lastUsedAt ? `last used ${date(passkey.lastUsedAt)}` : "not used yet";
  return el("li", { className: "device passkey" },
    el("span", { className: "device-label", textContent: passkey.name }),
    el("span", { className: "device-dates", textContent: `Added ${date(passkey.createdAt)} · ${used}${passkey.backedUp ? " · synced" : ""}` }),
    button("Rename", onRename),
    button("Remove", onRemove));
}

// Proof first (a passkey already held can give it), then the registration's options, the browser's dialog, and the
// new credential back with its name.
async function onAdd() {
  const message = $("passkeys-message");
  const name = $("passkey-name").value.trim() || defaultName();
  say(message, "");
  const proof = await proveItsYou("Add a passkey", null, held());
  if (!proof) return;
  await act($("passkey-add"), message, async () => {
    const registration = await api(userPath("/passkeys/registrations"), { method: "POST", body: { verifiedChallengeId: proof } });
    say(message, "Follow your browser's dialog to create the passkey.");
    const credential = await createPasskey(registration.publicKey);
    const added = await api(userPath("/passkeys"), { method: "POST", body: { ceremonyId: registration.ceremonyId, name, credential } });
    await loadPasskeys();
    say(message, `The passkey “${added.name}” was added. Next time you sign in, press “Use a passkey”.`, "success");
  });
}

async function onRemove(passkey, button) {
  const message = $("passkeys-message");
  say(message, "");
  const proof = await proveItsYou(`Remove the passkey “${passkey.name}”`, null, true);
  if (!proof) return;
  await act(button, message, async () => {
    const path = `/passkeys/${encodeURIComponent(passkey.passkeyId)}?verifiedChallengeId=${encodeURIComponent(proof)}`;
    listing = await api(userPath(path), { method: "DELETE" });
    renderPasskeys();
    say(message, `The passkey “${passkey.name}” was removed. You can delete it from your device's passkey list too.`, "success");
  });
}

// The rename pop-up: its failure shows there; it closes once the new name is saved.
function onRename(passkey) {
  const [input, error] = [$("rename-name"), $("rename-error")];
  input.value = passkey.name;
  say(error, "");
  const save = () => {
    const name = input.value.trim();
    if (!name) return say(error, "Enter a name for the passkey.", "error");
    return act($("rename-save"), error, async () => {
      const renamed = await api(userPath(`/passkeys/${encodeURIComponent(passkey.passkeyId)}`), { method: "PATCH", body: { name } });
      close();
      await loadPasskeys();
      say($("passkeys-message"), `The passkey is now called “${renamed.name}”.`, "success");
    });
  };
  const close = modal($("rename-dialog"), { "rename-save": save, "rename-cancel": () => close() });
  input.select();
}

export function wirePasskeys() {
  $("passkey-add").addEventListener("click", onAdd);
}
