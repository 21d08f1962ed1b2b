import "./style.css";
import { usersApi } from "./api.js";
import { loadWebConfig, WebConfigError } from "./config.js";
import { mountCreateView } from "./create-view.js";
import { byId, el, showStatus } from "./dom.js";
import { FieldSet } from "./fields.js";
import { mountListView } from "./list-view.js";
import { mountLookupView } from "./lookup-view.js";

/**
 * Starts the app: config.json, then one GET /health to learn whether its apiUrl reaches the API.
 * A missing or wrong config is said once, at the top, with what to check; the forms then stay
 * disabled, so no section repeats the same failure.
 */
async function start(): Promise<void> {
  const appStatus = byId("app-status", HTMLElement);
  const cannotStart = (what: string) => showStatus(appStatus, "error", el("strong", undefined, "The app cannot start. "), what);
  FieldSet.applyMaxLengths();
  let apiUrl: string;
  try {
    ({ apiUrl } = await loadWebConfig());
  } catch (e) {
    cannotStart(e instanceof WebConfigError ? e.message : "Check config.json next to index.html.");
    return;
  }
  const api = usersApi(apiUrl);
  const health = await api.health();
  if (!health.ok && (health.error.status === 0 || health.error.status === 404 || health.error.code === "InvalidResponse")) {
    cannotStart(`Check the apiUrl in config.json (${apiUrl}): no API of this app answered there.`);
    return;
  }
  mountLookupView(api);
  const list = mountListView(api);
  mountCreateView(api, (user) => list.showCreated(user));
  // Buttons ship disabled so nothing submits natively (leaking input into the URL) before this runs.
  for (const b of document.querySelectorAll("button[disabled]")) b.removeAttribute("disabled");
  list.reload();
}

void start();
