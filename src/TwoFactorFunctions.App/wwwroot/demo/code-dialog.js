// The one "send a code → enter it → verify" pop-up (#verify-dialog), for every change that needs a fresh proof while
// signed in: the admin's step-up before weakening two-step sign-in, and the user's own changes (turning two-step
// sign-in on or off, adding or removing the authenticator app or a passkey, new recovery codes, a contact change). When
// the challenge lists Passkey, "Use a passkey" answers it instead of a code. The sign-in's second step is a page of its
// own (screens/challenge.js): it also offers the app, recovery codes and "remember me".
import { verifyCode, verifyPasskey } from "./api.js";
import { sentText } from "./messages.js";
import { assertPasskey } from "./passkeys.js";
import { $, act, modal, readCode, say } from "./ui.js";

// Opens the pop-up. Resolves to the verified challenge id once it closes, or null when it was cancelled.
//   title       the pop-up's heading
//   destination where the code will go, shown before the first send; null hides that sentence (the step-up, whose
//               code goes at once, says where in its "Code sent" line)
//   request()   creates the challenge (and sends its code, unless an authenticator app answers it); resolves to it
//   sendAtOnce  the first code goes as the pop-up opens instead of on "Send code"
//   save(id)    optional: the change itself, run with the verified id before the pop-up closes, so its failure shows here
//   passkey     the user is known to hold a passkey: "Use a passkey" shows before any challenge exists (pressing it
//               creates one); otherwise it shows once a challenge lists Passkey
export function proveWithCode({ title, destination = null, request, sendAtOnce = false, save = null, passkey = false }) {
  const [info, error, input, sendButton] = [$("verify-info"), $("verify-error"), $("verify-code"), $("verify-send")];
  const passkeyButton = $("verify-passkey");
  let challengeId = null;
  let factor = null;
  let verified = null;
  $("verify-title").textContent = title;
  $("verify-lead").hidden = destination === null;
  $("verify-destination").textContent = destination || "";
  sendButton.textContent = "Send code";
  passkeyButton.hidden = !passkey;
  input.value = "";
  say(info, "");
  say(error, "");

  // A new challenge: what answers it. With an app or a passkey enrolled, only those prove a change: no code is sent,
  // the app's code or the passkey is asked for. Resolves to whether a passkey can answer it.
  const show = (challenge) => {
    challengeId = challenge.challengeId;
    const passkeyListed = (challenge.factors || []).includes("Passkey");
    passkeyButton.hidden = !passkeyListed;
    factor = challenge.codeSent ? null : challenge.preferredFactor;
    if (factor === "Passkey") {
      $("verify-destination").textContent = "your passkey";
      say(info, "Press “Use a passkey” and confirm with this device's screen lock or your phone.");
    } else if (factor === "Authenticator") {
      $("verify-destination").textContent = "your authenticator app";
      say(info, "Enter the 6-digit code your authenticator app shows.");
    } else {
      $("verify-destination").textContent = challenge.maskedDestination;
      say(info, sentText(challenge));
    }
    sendButton.textContent = "Send a new code";
    (factor === "Passkey" ? passkeyButton : input).focus();
    return passkeyListed;
  };

  const sending = "Sending a code…";
  const send = () => {
    const shown = info.textContent;
    say(info, sending);
    return act(sendButton, error, async () => {
      show(await request());
    }).then(() => {
      // A failed send must not leave the line saying a code is on its way: it goes back to what it said.
      if (info.textContent === sending) say(info, shown);
    });
  };

  const submit = () => {
    if (!challengeId) return say(error, `No code has been sent yet. Press “${sendButton.textContent}”.`, "error");
    const code = readCode(input, error);
    if (!code) return undefined;
    return act($("verify-submit"), error, async () => {
      await verifyCode(challengeId, code, factor === "Passkey" ? null : factor);
      await finish();
    });
  };

  const finish = async () => {
    if (save) await save(challengeId);
    verified = challengeId;
    close();
  };

  // The browser's passkey dialog answers the challenge (created first if the pop-up has none yet; one that does not
  // list Passkey is shown like a sent code).
  const usePasskey = () => act(passkeyButton, error, async () => {
    if (!challengeId && !show(await request())) return;
    await verifyPasskey(challengeId, await assertPasskey(challengeId));
    await finish();
  });

  let close;
  const result = new Promise((resolve) => {
    close = modal($("verify-dialog"), {
      "verify-send": send, "verify-submit": submit, "verify-passkey": usePasskey, "verify-cancel": () => close(),
    }, () => resolve(verified));
  });
  if (sendAtOnce) {
    input.focus();
    send();
  } else {
    sendButton.focus();
  }
  return result;
}
