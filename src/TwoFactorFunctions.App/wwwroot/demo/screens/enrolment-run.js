// The company-wide change being applied: its counts polled every second until it is over. Leaving the screen stops it.
import { api, tenantPath } from "../api.js";
import { describe } from "../messages.js";
import { $, say } from "../ui.js";

const PHASES = { Enrolling: "Updating users", Notifying: "Emailing users", Done: "Finished" };

let pollTimer = null;
// Bumped by every stop: a poll answered after it (a slow request, a navigation) is dropped.
let pollGeneration = 0;

export const runPath = (runId) => tenantPath(`/enrolment-runs/${encodeURIComponent(runId)}`);

export function stopWatching() {
  pollGeneration += 1;
  clearTimeout(pollTimer);
}

// Polls the run at path; onFinished runs once it is over (Completed or Failed).
export function watchRun(path, onFinished) {
  stopWatching();
  const generation = pollGeneration;
  $("run-progress").hidden = false;
  $("run-summary").hidden = true;
  say($("run-state"), "Processing…");
  $("run-progress").scrollIntoView({ block: "nearest" });
  const tick = async () => {
    try {
      const run = await api(path);
      if (generation !== pollGeneration) return;
      showRun(run);
      if (run.runtimeStatus === "Completed" || run.runtimeStatus === "Failed") {
        stopWatching();
        showFinished(run);
        await onFinished();
        return;
      }
    } catch (err) {
      say($("security-message"), describe(err), "error");
      if (err.status === 401 || err.status === 403 || err.status === 404) return;
    }
    if (generation === pollGeneration) pollTimer = setTimeout(tick, 1000);
  };
  tick();
}

function showRun(run) {
  const c = run.customStatus || {};
  $("run-phase").textContent = PHASES[c.phase] || (run.runtimeStatus === "Pending" ? "Starting" : "Working");
  const counts = { total: c.totalUsers, successful: c.successful, unchanged: c.unchanged,
    notexists: c.notExists, skipped: c.skipped, failed: c.failed };
  for (const [key, value] of Object.entries(counts)) $(`run-${key}`).textContent = String(value ?? 0);
}

function showFinished(run) {
  if (run.runtimeStatus === "Completed") {
    $("run-phase").textContent = PHASES.Done;
    say($("run-state"), "Done.", "success");
    $("run-summary").textContent = "Finished: the change has been applied to every user, and a summary email with "
      + "these numbers has been sent to you, the administrator.";
    $("run-summary").hidden = false;
    say($("security-message"), "Saved.", "success");
  } else {
    say($("run-state"), "Stopped.", "error");
    const reason = run.output && run.output.error ? ` (${run.output.error})` : "";
    say($("security-message"), `The change could not be applied to every user${reason}. `
      + "The platform's security team has been alerted.", "error");
  }
}
