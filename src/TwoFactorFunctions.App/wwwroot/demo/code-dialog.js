// The one "send a code → enter it → verify" pop-up (#verify-dialog), for every change that needs a fresh proof while
// signed in: the admin's step-up before weakening two-step sign-in, and the user's own changes (turning two-step
// sign-in on or off, adding or removing the authenticator app, new recovery codes, a contact change). The sign-in's
// second step is a page of its own (screens/challenge.js): it also offers the app, recovery codes and "remember me".
import { verifyCode } from "./api.js";
import { sentText } from "./messages.js";
import { $, act, modal, readCode, say } from "./ui.js";

// Opens the pop-up. Resolves to the verified challenge id once it closes, or null when it was cancelled.
//   title       the pop-up's heading
//   destination where the code will go, shown before the first send; null hides that sentence (the step-up, whose
//               code goes at once, says where in its "Code sent" line)
//   request()   creates the challenge (and sends its code, unless an authenticator app answers it); resolves to it
//   sendAtOnce  the first code goes as the pop-up opens instead of on "Send code"
//   save(id)    optional: the change itself, run with the verified id before the pop-up closes, so its failure shows here
export function proveWithCode({ title, destination = null, request, sendAtOnce = false, save = null }) {
  const [info, error, input, sendButton] = [$("verify-info"), $("verify-error"), $("verify-code"), $("verify-send")];
  let challengeId = null;
  let factor = null;
  let verified = null;
  $("verify-title").textContent = title;
  $("verify-lead").hidden = destination === null;
  $("verify-destination").textContent = destination || "";
  sendButton.textContent = "Send code";
  input.value = "";
  say(info, "");
  say(error, "");

  const sending = "Sending a code…";
  const send = () => {
    const shown = info.textContent;
    say(info, sending);
    return act(sendButton, error, async () => {
      const challenge = await request();
      challengeId = challenge.challengeId;
      // With an app enrolled, only the app proves a change: no code is sent, the app's code is asked for.
      factor = challenge.codeSent ? null : challenge.preferredFactor;
      if (factor === "Authenticator") {
        $("verify-destination").textContent = "your authenticator app";
        say(info, "Enter the 6-digit code your authenticator app shows.");
      } else {
        $("verify-destination").textContent = challenge.maskedDestination;
        say(info, sentText(challenge));
      }
      sendButton.textContent = "Send a new code";
      input.focus();
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
      await verifyCode(challengeId, code, factor);
      if (save) await save(challengeId);
      verified = challengeId;
      close();
    });
  };

  let close;
  const result = new Promise((resolve) => {
    close = modal($("verify-dialog"), { "verify-send": send, "verify-submit": submit, "verify-cancel": () => close() },
      () => resolve(verified));
  });
  if (sendAtOnce) {
    input.focus();
    send();
  } else {
    sendButton.focus();
  }
  return result;
}
