// Demo business portal: sign-in with a second step, the admin's company-wide switch and the user's own settings.
// Plain browser JavaScript, no build step. Session data lives in sessionStorage, the remembered-device token in
// localStorage. The API may be on another origin: every call there is CORS, without cookies.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const KEYS = { token: "tff.accessToken", user: "tff.user", pending: "tff.pendingChallenge", reason: "tff.homeReason" };
  const CHANNELS = {
    Email: { title: "Email Authentication", send: "Send email", name: "Email", by: "email" },
    Sms: { title: "Text message authentication", send: "Send text", name: "Text message (SMS)", by: "text message" },
    Voice: { title: "Phone call authentication", send: "Call me", name: "Phone call", by: "phone call" },
  };
  const REASONS = {
    TrustedDevice: "No code was needed: this device is remembered.",
    TenantTwoFactorDisabled: "No code was needed: two-step sign-in is switched off for your company.",
    UserNotEnrolled: "No code was needed: two-step sign-in is not turned on for your account.",
    FirstSignIn: "No code was needed for your first sign-in. Next time you will be asked for one.",
  };
  // The ways to answer a sign-in challenge (ChallengeView.factors): the option label in #challenge-factor.
  const FACTORS = {
    Code: "A code sent to me",
    Authenticator: "My authenticator app",
    RecoveryCode: "A recovery code",
  };
  const PHASES = { Enrolling: "Updating users", Notifying: "Emailing users", Done: "Finished" };

  let config = null;

  // ---------- storage ----------

  const session = {
    get: (key) => JSON.parse(sessionStorage.getItem(key) || "null"),
    set: (key, value) => sessionStorage.setItem(key, JSON.stringify(value)),
    remove: (key) => sessionStorage.removeItem(key),
  };
  const accessToken = () => session.get(KEYS.token);
  const currentUser = () => session.get(KEYS.user);
  const deviceKey = (userId) => `tff.deviceToken.${config.tenantId}.${userId}`;
  const tenantPath = (rest) => `/api/tenants/${encodeURIComponent(config.tenantId)}${rest}`;
  const userPath = (rest) => tenantPath(`/users/${encodeURIComponent(currentUser().userId)}${rest}`);
  const challengePath = (id, action) => tenantPath(`/challenges/${encodeURIComponent(id)}/${action}`);

  // ---------- HTTP ----------

  class ApiError extends Error {
    constructor(status, problem, retryAfter) {
      super(problem.detail || problem.title || `Request failed (${status})`);
      this.status = status;
      this.code = problem.code || (status === 0 ? "network_error" : `http_${status}`);
      this.detail = problem.detail || "";
      this.triesLeft = typeof problem.triesLeft === "number" ? problem.triesLeft : null;
      this.retryAfter = retryAfter;
    }
  }

  // The one helper for every call. opts: method, body, challengeToken (sent instead of the bearer token), local (the
  // portal's own same-origin backend, no bearer token), full (answer { status, data, headers } instead of the data).
  async function api(path, opts = {}) {
    const headers = { Accept: "application/json, application/problem+json" };
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    if (opts.challengeToken) headers["X-Challenge-Token"] = opts.challengeToken;
    else if (!opts.local && accessToken()) headers.Authorization = `Bearer ${accessToken()}`;

    let response;
    try {
      response = await fetch((opts.local ? "" : config.apiBase) + path, {
        method: opts.method || "GET",
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        credentials: opts.local ? "same-origin" : "omit",
        mode: opts.local ? "same-origin" : "cors",
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, {}, null);
    }

    const text = response.status === 204 ? "" : await response.text();
    const data = text && (response.headers.get("Content-Type") || "").includes("json") ? JSON.parse(text) : null;
    if (!response.ok) {
      const retry = parseInt(response.headers.get("Retry-After") || "", 10);
      throw new ApiError(response.status, data || {}, Number.isFinite(retry) ? retry : null);
    }
    return opts.full ? { status: response.status, data, headers: response.headers } : data;
  }

  // Checks a code with the bearer token (step-up, self-service and contact-change challenges); factor defaults to Code.
  const verifyCode = (challengeId, code, factor) =>
    api(challengePath(challengeId, "verify"), { method: "POST", body: factor ? { code, factor } : { code } });

  // Plain words for the problems a user can meet.
  function describe(err) {
    const wait = err.retryAfter ? waitText(err.retryAfter) : "a little while";
    switch (err.code) {
      case "invalid_code":
        return err.triesLeft > 0
          ? `Wrong code — ${err.triesLeft} ${err.triesLeft === 1 ? "try" : "tries"} left.`
          : "Wrong code, and no tries are left. Please start again.";
      case "invalid_code_format": return "Enter the 6-digit code.";
      case "invalid_recovery_code_format": return "A recovery code is 10 letters and digits, like k7m2p-x9qra.";
      case "code_already_used": return "That code was just used — wait for the next one in your authenticator app.";
      case "recovery_code_already_used": return "That recovery code has already been used. Try another one.";
      case "authenticator_unavailable": return "Authenticator apps are not available on this site at the moment.";
      case "factor_not_allowed": return "Your company's sign-in rules don't allow this way of signing in.";
      case "authenticator_not_enrolled": return "You don't have an authenticator app set up.";
      case "authenticator_already_enrolled": return "You already have an authenticator app. Remove it before adding another.";
      case "authenticator_required_for_admins":
        return "Your company requires administrators to sign in with an authenticator app, so it can't be removed.";
      case "no_pending_enrolment": return "That setup has expired or was not started. Press “Add authenticator app” again.";
      case "actor_forbidden": return "Only you can change your own sign-in methods.";
      case "challenge_expired": return "That code has expired. Ask for a new one.";
      case "challenge_failed": return "Too many wrong codes. Please sign in again to get a new code.";
      case "challenge_too_old":
      case "resend_limit_reached": return "No more codes can be sent for this attempt. Please start again.";
      case "challenge_already_used": return "That code was already used.";
      case "code_not_sent": return "No code has been sent yet. Ask for one first.";
      case "account_locked": return `Your account is locked after too many failed attempts. Try again in ${wait}.`;
      case "resend_too_soon": return `A code was just sent. Please wait ${wait} before asking for another.`;
      case "challenge_rate_limited":
      case "number_send_limit":
      case "tenant_send_budget_exhausted": return `Too many codes were requested. Please try again in ${wait}.`;
      case "verification_required": return "Please confirm it's you with a code before making this change.";
      case "stronger_proof_required": return "Confirm this change with your authenticator app (or a recovery code).";
      case "no_usable_factor": return "There is nothing to confirm this change with. Ask your company administrator to reset your sign-in.";
      case "authenticator_enrolment_required": return "Your company accepts only an authenticator app: add one first.";
      case "invalid_credentials": return "The user or password is not correct.";
      case "enrolment_run_active": return "An earlier change is still being applied. Please wait for it to finish.";
      case "two_factor_required_by_tenant": return "Your company requires two-step sign-in for everyone.";
      case "tenant_two_factor_disabled": return "Two-step sign-in is not switched on for your company.";
      case "no_contact_for_channel": return "There is no email address or phone number on file for this delivery method.";
      case "invalid_email": return "Please enter a valid email address.";
      case "invalid_phone": return "Please enter the number in international format, for example +61412345678.";
      case "delivery_failed": return "The code could not be delivered. Please try again shortly.";
      case "network_error": return "The server could not be reached. Check your connection and try again.";
      default: return err.detail || "Something went wrong. Please try again.";
    }
  }

  const waitText = (s) => (s < 90 ? `${s} second${s === 1 ? "" : "s"}` : `${Math.ceil(s / 60)} minutes`);
  const secondsUntil = (iso) => (iso ? Math.max(1, Math.ceil((new Date(iso) - Date.now()) / 1000)) : null);

  // ---------- small UI helpers ----------

  // Writes a message; errors become role="alert", everything else role="status".
  function say(el, text, kind = "info") {
    el.textContent = text || "";
    el.classList.remove("is-error", "is-success", "is-info");
    if (text) el.classList.add(`is-${kind}`);
    el.setAttribute("role", kind === "error" ? "alert" : "status");
  }

  // Runs work with the button (if any) disabled; a failure is shown in messageEl (a 401 of an API call ends the session).
  async function act(button, messageEl, work) {
    if (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    }
    say(messageEl, "");
    try {
      await work();
    } catch (err) {
      if (err.status === 401 && accessToken() && err.code !== "invalid_credentials") {
        signOut("Your session has ended. Please sign in again.");
      } else {
        say(messageEl, describe(err), "error");
      }
    } finally {
      if (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      }
    }
  }

  const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const date = (iso) => new Date(iso).toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" });
  const el = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };
  const channel = (name) => CHANNELS[name] || CHANNELS.Email;
  const sentText = (c) => `Code sent by ${channel(c.channel).by} to ${c.maskedDestination}. It is valid until ${time(c.expiresAt)}.`;

  function browserName() {
    const ua = navigator.userAgent;
    if (/Edg\//.test(ua)) return "Edge";
    if (/Firefox\//.test(ua)) return "Firefox";
    if (/Chrome\//.test(ua)) return "Chrome";
    if (/Safari\//.test(ua)) return "Safari";
    return "browser";
  }

  // The 6-digit code from an input, or null after telling the user what is wrong.
  function readCode(input, errorEl) {
    const code = input.value.replace(/\s+/g, "");
    if (/^\d{6}$/.test(code)) return code;
    say(errorEl, "Enter the 6-digit code.", "error");
    input.focus();
    return null;
  }

  // Opens a modal <dialog> with click handlers by button id. Closing it (close() or Escape) unwires them and calls
  // onClose once.
  function modal(dialog, handlers, onClose) {
    const wired = Object.entries(handlers).map(([id, fn]) => [$(id), fn]);
    for (const [el, fn] of wired) el.addEventListener("click", fn);
    const close = () => {
      for (const [el, fn] of wired) el.removeEventListener("click", fn);
      dialog.removeEventListener("close", close);
      if (dialog.open) dialog.close();
      if (onClose) onClose();
    };
    dialog.addEventListener("close", close);
    dialog.showModal();
    return close;
  }

  // ---------- routing ----------

  const VIEWS = ["sign-in", "challenge", "home", "security", "account"];
  const ENTER = {};

  function route() {
    let name = location.hash.replace(/^#\/?/, "") || "sign-in";
    const user = currentUser();
    if (!VIEWS.includes(name)) name = "sign-in";
    if (name === "challenge" && !session.get(KEYS.pending)) name = "sign-in";
    if (name !== "challenge" && !accessToken()) name = "sign-in";
    if (name === "sign-in" && accessToken()) name = "home";
    if (name === "security" && user.role !== "Admin") name = "home";
    if (location.hash !== `#/${name}`) history.replaceState(null, "", `#/${name}`);
    stopPolling();
    for (const view of VIEWS) $(`view-${view}`).hidden = view !== name;
    renderNav();
    ENTER[name]();
  }

  function go(name) {
    if (location.hash === `#/${name}`) route();
    else location.hash = `#/${name}`;
  }

  function renderNav() {
    const user = accessToken() ? currentUser() : null;
    $("main-nav").hidden = !user;
    $("nav-security").hidden = !(user && user.role === "Admin");
    $("signed-in-as").textContent = user ? user.displayName : "";
    $("link-maildev").href = config.mailDevUrl;
    renderOutboxLink();
  }

  // The outbox of the signed-in user's phone, else of the user signing in (the portal's server reads it).
  function renderOutboxLink() {
    const pending = session.get(KEYS.pending);
    const userId = accessToken() ? currentUser().userId : pending ? pending.userId : $("signin-user").value;
    const phone = accessToken() ? currentUser().phone : (config.users.find((u) => u.userId === userId) || {}).phone;
    const link = $("link-outbox");
    $("outbox-hint").hidden = !phone;
    if (phone) {
      link.href = `/demo/api/outbox/${encodeURIComponent(userId)}`;
      link.textContent = `the dev outbox for ${phone}`;
    }
  }

  function signOut(message) {
    for (const key of Object.values(KEYS)) session.remove(key);
    hideRecoveryCodes();
    go("sign-in");
    if (message) say($("signin-error"), message, "error");
  }

  function enterView(title, headingId) {
    document.title = `${title} · Business Portal`;
    $(headingId).focus({ preventScroll: true });
  }

  // ---------- sign in ----------

  ENTER["sign-in"] = () => {
    document.title = "Sign in · Business Portal";
    const select = $("signin-user");
    if (!select.options.length) {
      for (const u of config.users) select.add(new Option(`${u.displayName} (${u.role})`, u.userId));
    }
    if (!$("signin-password").value) $("signin-password").value = config.demoPassword || "";
    $("signin-password-hint").textContent = config.demoPassword ? `Demo password for every user: ${config.demoPassword}` : "";
    renderOutboxLink();
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

  function startSession(token, user, reason) {
    const known = config.users.find((u) => u.userId === user.userId) || {};
    session.set(KEYS.token, token);
    session.set(KEYS.user, { ...known, ...user });
    session.set(KEYS.reason, reason);
    session.remove(KEYS.pending);
    go("home");
  }

  // ---------- challenge (the sign-in's second step) ----------

  // The factors the challenge can be answered with (older answers carry none: a code only), and the one to start with.
  const offeredFactors = (challenge) => {
    const offered = (challenge.factors || ["Code"]).filter((f) => FACTORS[f]);
    return offered.length ? offered : ["Code"];
  };
  const startFactor = (challenge) => {
    const offered = offeredFactors(challenge);
    return offered.includes(challenge.preferredFactor) ? challenge.preferredFactor : offered[0];
  };
  // The factor being answered with: the choice when there is one, else the only factor offered.
  const chosenFactor = (challenge) => (offeredFactors(challenge).length > 1 ? $("challenge-factor").value : startFactor(challenge));

  ENTER.challenge = () => {
    const { challenge } = session.get(KEYS.pending);
    const offered = offeredFactors(challenge);
    const select = $("challenge-factor");
    select.replaceChildren(...offered.map((f) => new Option(FACTORS[f], f)));
    select.value = startFactor(challenge);
    $("challenge-factor-field").hidden = offered.length < 2;
    $("challenge-send").textContent = channel(challenge.channel).send;
    $("challenge-code").value = "";
    $("challenge-recovery").value = "";
    say($("challenge-error"), "");
    showFactor(challenge);
    enterView($("challenge-title").textContent, "challenge-title");
  };

  // Title, intro, inputs and buttons for the factor being answered with. A code-only challenge looks as it always did.
  function showFactor(challenge) {
    const factor = chosenFactor(challenge);
    const ch = channel(challenge.channel);
    const other = $("challenge-intro-other");
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

  function onChallengeVerify(event) {
    event.preventDefault();
    const pending = session.get(KEYS.pending);
    const factor = chosenFactor(pending.challenge);
    const code = factor === "RecoveryCode"
      ? readRecoveryCode($("challenge-recovery"), $("challenge-error"))
      : readCode($("challenge-code"), $("challenge-error"));
    if (!code) return undefined;
    const id = pending.challenge.challengeId;
    const body = { code, rememberDevice: $("challenge-remember").checked, deviceLabel: `Demo portal (${browserName()})` };
    // A code-only challenge is answered exactly as before; otherwise the factor says what the code is.
    if (offeredFactors(pending.challenge).length > 1 || factor !== "Code") body.factor = factor;
    return act($("challenge-verify"), $("challenge-error"), async () => {
      const result = await api(challengePath(id, "verify"), {
        method: "POST", challengeToken: pending.challengeToken, body,
      });
      if (result.deviceToken) localStorage.setItem(deviceKey(pending.userId), result.deviceToken);
      const signed = await api("/demo/api/session", {
        method: "POST", local: true, body: { challengeId: id, challengeToken: pending.challengeToken },
      });
      const note = result.deviceToken && result.deviceTokenExpiresAt
        ? ` This device is remembered until ${date(result.deviceTokenExpiresAt)}.` : "";
      const how = factor === "Authenticator" ? "your authenticator app"
        : factor === "RecoveryCode" ? "a recovery code (it can't be used again — see My Account for how many are left)"
          : "a verification code";
      startSession(signed.accessToken, signed.user, `You signed in with ${how}.${note}`);
    });
  }

  // ---------- home ----------

  ENTER.home = () => {
    const user = currentUser();
    $("home-name").textContent = user.displayName;
    $("home-tile-security").hidden = user.role !== "Admin";
    say($("home-reason"), session.get(KEYS.reason) || "");
    enterView("Home", "home-heading");
  };

  // ---------- admin: Enhanced Security ----------

  let pollTimer = null;
  let pollGeneration = 0;
  const runPath = (runId) => tenantPath(`/enrolment-runs/${encodeURIComponent(runId)}`);

  const SECURITY_INPUTS = ["security-disable", "security-enable", "security-mode", "security-channel", "security-save"];

  // The form stays disabled until the current settings are in, so nothing typed early is overwritten.
  ENTER.security = () => {
    $("run-progress").hidden = true;
    for (const id of SECURITY_INPUTS) $(id).disabled = true;
    enterView("Enhanced Security", "security-heading");
    return act(null, $("security-message"), async () => {
      const settings = await api(tenantPath("/two-factor"));
      showSettings(settings);
      for (const id of SECURITY_INPUTS) $(id).disabled = false;
      if (settings.activeRunId && !$("view-security").hidden) watchRun(runPath(settings.activeRunId));
    });
  };

  function showSettings(s) {
    $(s.enabled ? "security-enable" : "security-disable").checked = true;
    $("security-mode").value = s.mode;
    $("security-channel").value = s.channel;
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
      const challengeId = await stepUp();
      if (challengeId) return saveSettings({ ...change, verifiedChallengeId: challengeId });
      say(message, "The change was not saved: it needs your confirmation code.", "error");
      return undefined;
    }
    if (response.status === 202) {
      say(message, "Saved. The change is now being applied to every user; this can take a few minutes.", "success");
      const location = response.headers.get("Location");
      watchRun(location ? location.replace(/^https?:\/\/[^/]+/, "") : runPath(response.data.id));
    } else {
      showSettings(response.data);
      say(message, "Saved. No user needed to change.", "success");
    }
    return undefined;
  }

  function confirmDialog(text) {
    $("confirm-text").textContent = text;
    return new Promise((resolve) => {
      let answer = false;
      const close = modal($("confirm-dialog"), {
        "confirm-yes": () => { answer = true; close(); },
        "confirm-no": () => close(),
      }, () => resolve(answer));
      $("confirm-no").focus();
    });
  }

  // The admin proves presence: a code goes to them and they enter it. Resolves to the verified challenge id, or null.
  function stepUp() {
    const [info, error, input] = [$("stepup-info"), $("stepup-error"), $("stepup-code")];
    let challengeId = null;
    let verified = null;
    let close;
    const send = () => act($("stepup-resend"), error, async () => {
      say(info, "Sending a code…");
      const challenge = await api(tenantPath("/two-factor/step-up"), { method: "POST" });
      challengeId = challenge.challengeId;
      say(info, sentText(challenge));
    });
    const verify = () => {
      const code = readCode(input, error);
      if (!code) return undefined;
      if (!challengeId) return say(error, "No code has been sent yet. Press “Send a new code”.", "error");
      return act($("stepup-verify"), error, async () => {
        await verifyCode(challengeId, code);
        verified = challengeId;
        close();
      });
    };
    input.value = "";
    say(error, "");
    const result = new Promise((resolve) => {
      close = modal($("stepup-dialog"), {
        "stepup-verify": verify,
        "stepup-resend": send,
        "stepup-cancel": () => close(),
      }, () => resolve(verified));
    });
    input.focus();
    send();
    return result;
  }

  // Polls the enrolment run every second until it is over; leaving the page stops it.
  function watchRun(path) {
    stopPolling();
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
          finishRun(run);
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

  function stopPolling() {
    pollGeneration += 1;
    clearTimeout(pollTimer);
  }

  function showRun(run) {
    const c = run.customStatus || {};
    $("run-phase").textContent = PHASES[c.phase] || (run.runtimeStatus === "Pending" ? "Starting" : "Working");
    const counts = { total: c.totalUsers, successful: c.successful, unchanged: c.unchanged,
      notexists: c.notExists, skipped: c.skipped, failed: c.failed };
    for (const [key, value] of Object.entries(counts)) $(`run-${key}`).textContent = String(value ?? 0);
  }

  async function finishRun(run) {
    stopPolling();
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
    try {
      showSettings(await api(tenantPath("/two-factor")));
    } catch { /* the form keeps the admin's choice */ }
  }

  // ---------- My Account → User Settings ----------

  let account = null;
  let contactChallengeId = null;

  ENTER.account = () => {
    account = null;
    contactChallengeId = null;
    $("account-2fa-toggle").disabled = true;
    $("account-2fa-status").textContent = "";
    for (const id of ["account-message", "contact-message", "devices-message", "factors-message"]) say($(id), "");
    factors = null;
    $("authenticator-enrol").hidden = true;
    $("authenticator-qr").removeAttribute("src");
    $("authenticator-secret").textContent = "";
    hideRecoveryCodes();
    renderFactors();
    enterView("My Account", "account-heading");
    loadAccount();
    loadFactors();
    loadDevices();
  };

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
    verifyItsYou(turningOn ? "Turn on two-step sign-in" : "Turn off two-step sign-in", async (challengeId) => {
      account = await api(userPath("/two-factor"), { method: "PUT", body: { enabled: turningOn, verifiedChallengeId: challengeId } });
      renderAccount();
      say($("account-message"), `Two-step sign-in is now ${account.enabled ? "on" : "off"}.`, "success");
      loadDevices();
    });
  }

  // The user proves the channel in the pop-up (a SelfService challenge, code sent on request). Resolves to the verified
  // challenge id once the pop-up closes, or null when it was cancelled. save(challengeId), if given, runs before the
  // pop-up closes: its failure is shown there.
  function verifyItsYou(title, save) {
    const [info, error, input, sendButton] = [$("verify-info"), $("verify-error"), $("verify-code"), $("verify-send")];
    let challengeId = null;
    let factor = null;
    let verified = null;
    $("verify-title").textContent = title;
    $("verify-destination").textContent = (account && account.maskedDestination) || "your contact on file";
    sendButton.textContent = "Send code";
    input.value = "";
    say(info, "");
    say(error, "");

    const send = () => act(sendButton, error, async () => {
      const challenge = await api(userPath("/two-factor/challenges"), { method: "POST" });
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
    });
    const submit = () => {
      if (!challengeId) return say(error, "Send a code first.", "error");
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
    sendButton.focus();
    return result;
  }

  // ---------- My Account → authenticator app and recovery codes ----------

  let factors = null;
  let recoveryUrl = null;

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

  // Verify it's you, then start the enrolment: the QR code and the secret are shown until the first code confirms it.
  async function onAuthenticatorAdd() {
    const message = $("factors-message");
    say(message, "");
    const challengeId = await verifyItsYou("Add an authenticator app");
    if (!challengeId) return;
    await act($("authenticator-add"), message, async () => {
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
  }

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

  async function onAuthenticatorRemove() {
    const message = $("factors-message");
    say(message, "");
    const challengeId = await verifyItsYou("Remove your authenticator app");
    if (!challengeId) return;
    await act($("authenticator-remove"), message, async () => {
      factors = await api(userPath(`/authenticator?verifiedChallengeId=${encodeURIComponent(challengeId)}`), { method: "DELETE" });
      hideRecoveryCodes();
      renderFactors();
      say(message, "Your authenticator app was removed, and your recovery codes no longer work.", "success");
    });
  }

  async function onRecoveryRegenerate() {
    const message = $("factors-message");
    say(message, "");
    const challengeId = await verifyItsYou("Get new recovery codes");
    if (!challengeId) return;
    await act($("recovery-regenerate"), message, async () => {
      const codes = await api(userPath("/recovery-codes"), { method: "POST", body: { verifiedChallengeId: challengeId } });
      showRecoveryCodes(codes);
      await loadFactors();
      say(message, "Here is your new set of recovery codes. The old ones no longer work.", "success");
    });
  }

  // The codes are shown once: they live only in this panel (and the download link) until the page changes.
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

  // First a proof over what the user already has (the pop-up: the app, or a code to the current contact), then a code
  // goes to the new contact; it replaces the old one once that code is verified and the change completed.
  async function onContactStart(event) {
    event.preventDefault();
    const message = $("contact-message");
    const email = $("contact-email").value.trim();
    const phone = $("contact-phone").value.replace(/[\s()-]/g, "");
    if (!email && !phone) return say(message, "Enter a new email address or mobile number.", "error");
    const proof = await verifyItsYou("Change your contact details");
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

  // ---------- start ----------

  function wire() {
    $("signin-form").addEventListener("submit", onSignIn);
    $("signin-user").addEventListener("change", renderOutboxLink);
    $("challenge-form").addEventListener("submit", onChallengeVerify);
    $("challenge-send").addEventListener("click", onChallengeSend);
    $("challenge-factor").addEventListener("change", onChallengeFactorChange);
    $("challenge-cancel").addEventListener("click", () => signOut());
    $("nav-signout").addEventListener("click", () => signOut());
    $("security-form").addEventListener("submit", onSecuritySave);
    $("account-2fa-toggle").addEventListener("click", onAccountToggle);
    $("authenticator-add").addEventListener("click", onAuthenticatorAdd);
    $("authenticator-confirm").addEventListener("click", onAuthenticatorConfirm);
    $("authenticator-remove").addEventListener("click", onAuthenticatorRemove);
    $("recovery-regenerate").addEventListener("click", onRecoveryRegenerate);
    $("recovery-done").addEventListener("click", () => {
      hideRecoveryCodes();
      say($("factors-message"), "");
    });
    $("contact-form").addEventListener("submit", onContactStart);
    $("contact-complete").addEventListener("click", onContactComplete);
    $("devices-revoke-all").addEventListener("click", onRevokeAll);
    window.addEventListener("hashchange", route);
  }

  async function start() {
    try {
      const response = await fetch("/demo/config.json", { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error(`config.json answered ${response.status}`);
      config = await response.json();
      config.apiBase = (config.apiBase || "").replace(/\/+$/, "");
      config.users = config.users || [];
    } catch (err) {
      $("app-error").textContent = `The portal could not load its settings: ${err.message}`;
      $("app-error").hidden = false;
      return;
    }
    wire();
    route();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
