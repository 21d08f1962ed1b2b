import type { Auth } from "./auth.js";
import { byId } from "./dom.js";

/**
 * The header's sign-in state (auth "cognito" only): who is signed in, and Sign in or Sign out.
 * `describe` is what the page shows for the signed-in user (their profile's name, else the
 * sign-in e-mail).
 */
export function mountAuthBar(auth: Auth): { showUser(label: string): void } {
  const bar = byId("auth-bar", HTMLElement);
  const user = byId("auth-user", HTMLElement);
  const signIn = byId("sign-in", HTMLButtonElement);
  const signOut = byId("sign-out", HTMLButtonElement);
  bar.hidden = false;
  const render = () => {
    const signedIn = auth.state === "signed-in";
    signIn.hidden = signedIn;
    signOut.hidden = !signedIn;
    if (!signedIn) user.textContent = auth.state === "expired" ? "Your session has expired." : "You are not signed in.";
    else user.textContent = `Signed in as ${auth.user?.email ?? "you"}`;
  };
  signIn.addEventListener("click", () => void auth.signIn());
  signOut.addEventListener("click", () => auth.signOut());
  auth.onChange(render);
  render();
  return {
    showUser(label) {
      if (auth.state === "signed-in") user.textContent = `Signed in as ${label}`;
    },
  };
}
