// Which screen shows (the hash: #/sign-in, #/challenge, #/home, #/security, #/account), the top bar, and the session's
// start and end.
import { KEYS, accessToken, config, currentUser, session } from "./api.js";
import { $, say } from "./ui.js";

// name -> { enter(), leave() }; leave runs for every screen on every navigation (a screen stops its polling, forgets
// what it showed only once).
const screens = new Map();
export const register = (name, screen) => screens.set(name, screen);

export function route() {
  let name = location.hash.replace(/^#\/?/, "") || "sign-in";
  const user = currentUser();
  if (!screens.has(name)) name = "sign-in";
  if (name === "challenge" && !session.get(KEYS.pending)) name = "sign-in";
  if (name !== "challenge" && !accessToken()) name = "sign-in";
  if (name === "sign-in" && accessToken()) name = "home";
  if (name === "security" && user.role !== "Admin") name = "home";
  if (location.hash !== `#/${name}`) history.replaceState(null, "", `#/${name}`);
  for (const screen of screens.values()) if (screen.leave) screen.leave();
  for (const view of screens.keys()) $(`view-${view}`).hidden = view !== name;
  renderNav();
  screens.get(name).enter();
}

export function go(name) {
  if (location.hash === `#/${name}`) route();
  else location.hash = `#/${name}`;
}

// The page title and the focus follow the screen, for screen readers.
export function enterView(title, headingId) {
  document.title = `${title} · Business Portal`;
  $(headingId).focus({ preventScroll: true });
}

export function renderNav() {
  const user = accessToken() ? currentUser() : null;
  $("main-nav").hidden = !user;
  $("nav-security").hidden = !(user && user.role === "Admin");
  $("signed-in-as").textContent = user ? user.displayName : "";
  $("link-maildev").href = config.mailDevUrl;
  renderOutboxLink();
}

// The outbox of the signed-in user's phone, else of the user signing in (the portal's server reads it).
export function renderOutboxLink() {
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

export function startSession(token, user, reason) {
  const known = config.users.find((u) => u.userId === user.userId) || {};
  session.set(KEYS.token, token);
  session.set(KEYS.user, { ...known, ...user });
  session.set(KEYS.reason, reason);
  session.remove(KEYS.pending);
  go("home");
}

export function signOut(message) {
  for (const key of Object.values(KEYS)) session.remove(key);
  go("sign-in");
  if (message) say($("signin-error"), message, "error");
}
