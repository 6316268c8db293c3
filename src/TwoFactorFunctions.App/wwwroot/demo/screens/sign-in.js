// Sign in (the portal's own password check, on its server) and the home page it lands on.
import { KEYS, api, config, currentUser, deviceKey, session } from "../api.js";
import { enterView, go, renderOutboxLink, startSession } from "../router.js";
import { $, act, say } from "../ui.js";

const REASONS = {
  TrustedDevice: "No code was needed: this device is remembered.",
  TenantTwoFactorDisabled: "No code was needed: two-step sign-in is switched off for your company.",
  UserNotEnrolled: "No code was needed: two-step sign-in is not turned on for your account.",
  FirstSignIn: "No code was needed for your first sign-in. Next time you will be asked for one.",
};

export const signInScreen = {
  enter() {
    document.title = "Sign in · Business Portal";
    const select = $("signin-user");
    if (!select.options.length) {
      for (const u of config.users) select.add(new Option(`${u.displayName} (${u.role})`, u.userId));
    }
    if (!$("signin-password").value) $("signin-password").value = config.demoPassword || "";
    $("signin-password-hint").textContent = config.demoPassword ? `Demo password for every user: ${config.demoPassword}` : "";
    renderOutboxLink();
  },
};

function onSignIn(event) {
  event.preventDefault();
  const userId = $("signin-user").value;
  return act($("signin-submit"), $("signin-error"), async () => {
    const result = await api("/demo/api/sign-in", {
      method: "POST", local: true,
      body: {
        userId,
        password: $("signin-password").value,
        deviceToken: localStorage.getItem(deviceKey(userId)),
        sendAutomatically: $("signin-auto").checked,
      },
    });
    if (result.signedIn) {
      startSession(result.accessToken, result.user, REASONS[result.reason] || "");
    } else {
      session.set(KEYS.pending, { userId, challenge: result.challenge, challengeToken: result.challengeToken });
      go("challenge");
    }
  });
}

export const homeScreen = {
  enter() {
    const user = currentUser();
    $("home-name").textContent = user.displayName;
    $("home-tile-security").hidden = user.role !== "Admin";
    say($("home-reason"), session.get(KEYS.reason) || "");
    enterView("Home", "home-heading");
  },
};

export function wireSignIn() {
  $("signin-form").addEventListener("submit", onSignIn);
  $("signin-user").addEventListener("change", renderOutboxLink);
}
