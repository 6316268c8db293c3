// Plain words: the problems a user can meet, the delivery channels, dates and times.

export const CHANNELS = {
  Email: { title: "Email Authentication", send: "Send email", name: "Email", by: "email" },
  Sms: { title: "Text message authentication", send: "Send text", name: "Text message (SMS)", by: "text message" },
  Voice: { title: "Phone call authentication", send: "Call me", name: "Phone call", by: "phone call" },
};
export const channel = (name) => CHANNELS[name] || CHANNELS.Email;

export const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
export const date = (iso) => new Date(iso).toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" });
export const waitText = (s) => (s < 90 ? `${s} second${s === 1 ? "" : "s"}` : `${Math.ceil(s / 60)} minutes`);
export const secondsUntil = (iso) => (iso ? Math.max(1, Math.ceil((new Date(iso) - Date.now()) / 1000)) : null);
export const sentText = (c) => `Code sent by ${channel(c.channel).by} to ${c.maskedDestination}. It is valid until ${time(c.expiresAt)}.`;

// An ApiError in plain words.
export function describe(err) {
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
    case "stronger_proof_required": return "Confirm this change with your passkey or authenticator app (or a recovery code).";
    case "no_usable_factor": return "There is nothing to confirm this change with. Ask your company administrator to reset your sign-in.";
    case "authenticator_enrolment_required": return "Your company accepts only an authenticator app: add one first.";
    case "passkey_unavailable": return "Passkeys are not available on this site at the moment.";
    case "passkey_not_accepted":
      return err.triesLeft > 0
        ? `That passkey was not accepted — ${err.triesLeft} ${err.triesLeft === 1 ? "try" : "tries"} left.`
        : "That passkey was not accepted, and no tries are left. Please start again.";
    case "passkey_registration_failed": return "The new passkey could not be checked, so it was not added. Please try again.";
    case "no_pending_passkey_registration": return "That passkey setup has expired. Press “Add a passkey” again.";
    case "passkey_options_not_requested": return "Press “Use a passkey” again.";
    case "passkey_counter_regressed":
      return "This passkey looks like a copy of the one you registered, so it was refused. Sign in another way and check your passkeys.";
    case "passkey_not_found": return "That passkey is no longer on your account.";
    case "passkey_not_registered": return "You don't have a passkey yet. Add one in My Account.";
    case "passkey_already_registered": return "That passkey is already on your account.";
    case "passkey_limit_reached": return "You have the most passkeys an account can have. Remove one before adding another.";
    case "passkey_required_for_admins":
      return "Your company requires administrators to sign in with a passkey, so your last one can't be removed.";
    case "passkey_assertion_replayed": return "That passkey answer was already used. Press “Use a passkey” again.";
    case "invalid_passkey_name": return "A passkey's name is 1 to 64 characters.";
    case "invalid_passkey_credential": return "The browser's answer was not a passkey. Please try again.";
    case "passkey_cancelled":
      return "The passkey was not used: the browser's dialog was closed, timed out or could not confirm it's you.";
    case "passkey_already_on_device": return "This device already holds a passkey for your account.";
    case "passkey_wrong_address": return "Passkeys can't be used at this address of the portal.";
    case "passkey_unsupported": return "This browser can't use passkeys.";
    case "passkey_failed": return "The browser could not use the passkey. Please try again.";
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
