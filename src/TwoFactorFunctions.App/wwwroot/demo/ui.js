// Small DOM helpers shared by every screen and the dialogs.
import { accessToken } from "./api.js";
import { describe } from "./messages.js";

export const $ = (id) => document.getElementById(id);

export const el = (tag, props, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

// What act() does when a call answers 401 while signed in. The router sets it (signing out); set here rather than
// imported so this module stays below every screen.
let sessionEnded = () => {};
export const onSessionEnded = (handler) => { sessionEnded = handler; };

// Writes a message; errors become role="alert", everything else role="status".
export function say(node, text, kind = "info") {
  node.textContent = text || "";
  node.classList.remove("is-error", "is-success", "is-info");
  if (text) node.classList.add(`is-${kind}`);
  node.setAttribute("role", kind === "error" ? "alert" : "status");
}

// Runs work with the button (if any) disabled; a failure is shown in messageEl (a 401 of an API call ends the session).
export async function act(button, messageEl, work) {
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  say(messageEl, "");
  try {
    await work();
  } catch (err) {
    if (err.status === 401 && accessToken() && err.code !== "invalid_credentials") {
      sessionEnded("Your session has ended. Please sign in again.");
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

// The 6-digit code from an input, or null after telling the user what is wrong.
export function readCode(input, errorEl) {
  const code = input.value.replace(/\s+/g, "");
  if (/^\d{6}$/.test(code)) return code;
  say(errorEl, "Enter the 6-digit code.", "error");
  input.focus();
  return null;
}

// Opens a modal <dialog> with click handlers by button id. Closing it (close() or Escape) unwires them and calls
// onClose once.
export function modal(dialog, handlers, onClose) {
  const wired = Object.entries(handlers).map(([id, fn]) => [$(id), fn]);
  for (const [node, fn] of wired) node.addEventListener("click", fn);
  const close = () => {
    for (const [node, fn] of wired) node.removeEventListener("click", fn);
    dialog.removeEventListener("close", close);
    if (dialog.open) dialog.close();
    if (onClose) onClose();
  };
  dialog.addEventListener("close", close);
  dialog.showModal();
  return close;
}

// Resolves to true when the admin confirms the text in #confirm-dialog, false when they cancel.
export function confirmDialog(text) {
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

export function browserName() {
  const ua = navigator.userAgent;
  if (/Edg\//.test(ua)) return "Edge";
  if (/Firefox\//.test(ua)) return "Firefox";
  if (/Chrome\//.test(ua)) return "Chrome";
  if (/Safari\//.test(ua)) return "Safari";
  return "browser";
}
