// Demo business portal: sign-in with a second step, the admin's company-wide switch and the user's own settings.
// Plain browser JavaScript as ES modules, no build step: index.html loads this module, which loads the rest
//   api.js          config, session storage, tokens, the fetch helper (ProblemDetails → ApiError)
//   messages.js     plain words for errors, channels, dates
//   ui.js           DOM helpers, act() (busy button + error message), modal dialogs, the confirm dialog
//   code-dialog.js  the one "send a code → enter it → verify" pop-up (or a passkey)
//   passkeys.js     the browser's passkey dialogs (WebAuthn) in the API's JSON forms
//   router.js       screens by hash, the top bar, session start and sign-out
//   screens/*.js    sign-in and home, the sign-in's second step, Enhanced Security (and its run), My Account
import { loadConfig } from "./api.js";
import { register, route, signOut } from "./router.js";
import { accountScreen, wireAccount } from "./screens/account.js";
import { challengeScreen, wireChallenge } from "./screens/challenge.js";
import { factorsCard, wireFactors } from "./screens/factors.js";
import { passkeysCard, wirePasskeys } from "./screens/passkeys.js";
import { securityScreen, wireSecurity } from "./screens/security.js";
import { homeScreen, signInScreen, wireSignIn } from "./screens/sign-in.js";
import { $, onSessionEnded } from "./ui.js";

register("sign-in", signInScreen);
register("challenge", challengeScreen);
register("home", homeScreen);
register("security", securityScreen);
register("account", {
  enter() {
    accountScreen.enter();
    factorsCard.enter();
    passkeysCard.enter();
  },
  leave: factorsCard.leave,
});

async function start() {
  try {
    await loadConfig();
  } catch (err) {
    $("app-error").textContent = `The portal could not load its settings: ${err.message}`;
    $("app-error").hidden = false;
    return;
  }
  onSessionEnded(signOut);
  wireSignIn();
  wireChallenge();
  wireSecurity();
  wireAccount();
  wireFactors();
  wirePasskeys();
  $("nav-signout").addEventListener("click", () => signOut());
  window.addEventListener("hashchange", route);
  route();
}

// A module script runs after the document is parsed (it is deferred), so the elements are there already.
start();
