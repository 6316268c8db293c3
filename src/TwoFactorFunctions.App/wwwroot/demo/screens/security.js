// The admin's Enhanced Security screen: the company-wide switch, confirmed first, with a step-up code when the change
// weakens two-step sign-in; a change that enrols users is watched live (enrolment-run.js).
import { api, tenantPath } from "../api.js";
import { proveWithCode } from "../code-dialog.js";
import { channel } from "../messages.js";
import { enterView } from "../router.js";
import { $, act, confirmDialog, say } from "../ui.js";
import { runPath, stopWatching, watchRun } from "./enrolment-run.js";

const INPUTS = ["security-disable", "security-enable", "security-mode", "security-channel", "security-save"];

export const securityScreen = {
  // The form stays disabled until the current settings are in, so nothing typed early is overwritten.
  enter() {
    $("run-progress").hidden = true;
    for (const id of INPUTS) $(id).disabled = true;
    enterView("Enhanced Security", "security-heading");
    return act(null, $("security-message"), async () => {
      const settings = await api(tenantPath("/two-factor"));
      showSettings(settings);
      for (const id of INPUTS) $(id).disabled = false;
      if (settings.activeRunId && !$("view-security").hidden) watchRun(runPath(settings.activeRunId), refreshSettings);
    });
  },
  leave: stopWatching,
};

function showSettings(s) {
  $(s.enabled ? "security-enable" : "security-disable").checked = true;
  $("security-mode").value = s.mode;
  $("security-channel").value = s.channel;
}

// After a run the form shows what was saved; if that read fails the form keeps the admin's choice.
async function refreshSettings() {
  try {
    showSettings(await api(tenantPath("/two-factor")));
  } catch { /* the form keeps the admin's choice */ }
}

function explainChange(change) {
  const by = channel(change.channel).by;
  if (!change.enabled) {
    return "Two-step sign-in will be switched off for your whole company. Users will sign in with their password "
      + "only, every remembered device will be forgotten, and users who had it will get an email about the change.";
  }
  if (change.mode === "RequiredForAll") {
    return `Every active user will be enrolled and asked for a code by ${by} when signing in. Each user gets an `
      + "email about it, and you will get a summary email once everyone is done. This can take a few minutes.";
  }
  return `Users will be able to turn on two-step sign-in for themselves, with codes sent by ${by}. `
    + "They will get an email inviting them to do so.";
}

async function onSecuritySave(event) {
  event.preventDefault();
  const message = $("security-message");
  if (!$("security-enable").checked && !$("security-disable").checked) {
    say(message, "Choose Disable or Enable first.", "error");
    return;
  }
  const change = $("security-enable").checked
    ? { enabled: true, mode: $("security-mode").value, channel: $("security-channel").value }
    : { enabled: false };
  if (await confirmDialog(explainChange(change))) await act($("security-save"), message, () => saveSettings(change));
}

// PUT the change: 200 (nothing to run), 202 (a run started: watch it), or a step-up first when it weakens 2FA.
async function saveSettings(change) {
  const message = $("security-message");
  let response;
  try {
    response = await api(tenantPath("/two-factor"), { method: "PUT", body: change, full: true });
  } catch (err) {
    if (err.code !== "verification_required") throw err;
    // The admin proves presence: the code goes out as the pop-up opens.
    const challengeId = await proveWithCode({
      title: "Confirm it's you",
      request: () => api(tenantPath("/two-factor/step-up"), { method: "POST" }),
      sendAtOnce: true,
    });
    if (challengeId) return saveSettings({ ...change, verifiedChallengeId: challengeId });
    say(message, "The change was not saved: it needs your confirmation code.", "error");
    return undefined;
  }
  if (response.status === 202) {
    say(message, "Saved. The change is now being applied to every user; this can take a few minutes.", "success");
    const location = response.headers.get("Location");
    watchRun(location ? location.replace(/^https?:\/\/[^/]+/, "") : runPath(response.data.id), refreshSettings);
  } else {
    showSettings(response.data);
    say(message, "Saved. No user needed to change.", "success");
  }
  return undefined;
}

export function wireSecurity() {
  $("security-form").addEventListener("submit", onSecuritySave);
}
