import "./style.css";
import { type TokenSource, usersApi } from "./api.js";
import { Auth, SignInError } from "./auth.js";
import { mountAuthBar } from "./auth-view.js";
import { loadWebConfig, type WebConfig, WebConfigError } from "./config.js";
import { mountCreateView } from "./create-view.js";
import { byId, clearStatus, el, showStatus } from "./dom.js";
import { FieldSet } from "./fields.js";
import { mountListView } from "./list-view.js";
import { mountLookupView } from "./lookup-view.js";
import { mountMeView } from "./me-view.js";

/**
 * Starts the app: config.json, then one GET /health to learn whether its apiUrl reaches the API.
 * A missing or wrong config is said once, at the top, with what to check; the forms then stay
 * disabled, so no section repeats the same failure. With sign-in on (config.json has `auth`), a
 * return from the sign-in page is completed first, and the sections show only to a signed-in user.
 */
async function start(): Promise<void> {
  const appStatus = byId("app-status", HTMLElement);
  const cannotStart = (what: string) => showStatus(appStatus, "error", el("strong", undefined, "The app cannot start. "), what);
  FieldSet.applyMaxLengths();
  let config: WebConfig;
  try {
    config = await loadWebConfig();
  } catch (e) {
    cannotStart(e instanceof WebConfigError ? e.message : "Check config.json next to index.html.");
    return;
  }
  const auth = config.auth ? new Auth(config.auth) : undefined;
  let signInProblem: string | undefined;
  if (auth) {
    try {
      await auth.completeSignIn();
    } catch (e) {
      signInProblem = e instanceof SignInError ? e.message : "The sign-in could not be completed. Please try again.";
    }
  }
  const tokens: TokenSource | undefined = auth && { token: () => auth.accessToken(), rejected: () => auth.rejected() };
  const api = usersApi(config.apiUrl, tokens);
  const health = await api.health();
  if (!health.ok && (health.error.status === 0 || health.error.status === 404 || health.error.code === "InvalidResponse")) {
    cannotStart(`Check the apiUrl in config.json (${config.apiUrl}): no API of this app answered there.`);
    return;
  }
  mountLookupView(api);
  const list = mountListView(api);
  if (!auth) {
    mountCreateView(api, (user) => list.showCreated(user));
    enableButtons();
    list.reload();
    return;
  }

  const bar = mountAuthBar(auth);
  const me = mountMeView(api);
  const cards = ["me-card", "create-card", "lookup-card", "list-card"].map((id) => byId(id, HTMLElement));
  const createCard = byId("create-card", HTMLElement);
  const showProfile = async () => {
    const own = await me.reload();
    createCard.hidden = own !== undefined || auth.state !== "signed-in";
    if (own) bar.showUser(`${own.name} (${own.email})`);
  };
  mountCreateView(
    api,
    (user) => {
      list.showCreated(user);
      void showProfile();
    },
    () => auth.user,
  );
  enableButtons();
  const render = () => {
    const signedIn = auth.state === "signed-in";
    for (const card of cards) card.hidden = !signedIn;
    if (signedIn) {
      clearStatus(appStatus);
      void showProfile();
      list.reload();
    } else if (auth.state === "expired") {
      showStatus(appStatus, "error", el("strong", undefined, "Your session has expired. "), "Sign in again to go on.");
    } else {
      showStatus(appStatus, signInProblem ? "error" : "info", signInProblem ?? "Sign in to create your profile and see the other users.");
    }
  };
  auth.onChange(render);
  render();
}

/** Buttons ship disabled so nothing submits natively (leaking input into the URL) before this runs. */
function enableButtons(): void {
  for (const b of document.querySelectorAll("button[disabled]")) b.removeAttribute("disabled");
}

void start();
