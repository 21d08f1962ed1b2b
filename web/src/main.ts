import "./style.css";
import { usersApi } from "./api.js";
import { loadWebConfig } from "./config.js";
import { mountCreateView } from "./create-view.js";
import { byId, showStatus } from "./dom.js";
import { mountListView } from "./list-view.js";
import { mountLookupView } from "./lookup-view.js";

async function start(): Promise<void> {
  const appStatus = byId("app-status", HTMLElement);
  let apiUrl: string;
  try {
    ({ apiUrl } = await loadWebConfig());
  } catch (e) {
    showStatus(appStatus, "error", `The app cannot start: ${(e as Error).message}.`);
    return;
  }
  const api = usersApi(apiUrl);
  const lookup = mountLookupView(api);
  const list = mountListView(api, (userId) => lookup.lookUp(userId));
  mountCreateView(api, () => list.reload());
  // Buttons ship disabled so nothing submits natively (leaking input into the URL) before this runs.
  for (const b of document.querySelectorAll("button[disabled]")) b.removeAttribute("disabled");
  list.reload();
}

void start();
