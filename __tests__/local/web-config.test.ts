/** The web app's reading of /config.json, with and without the sign-in object (web/src/config.ts). */
import { describe, expect, it } from "vitest";
import { parseWebConfig, WebConfigError } from "../../web/src/config.js";

const auth = {
  issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
  clientId: "1example23456789",
  authorizationEndpoint: "https://auth.example.com/oauth2/authorize",
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  logoutEndpoint: "https://auth.example.com/logout",
  scopes: ["openid", "email", "profile"],
};

describe("parseWebConfig", () => {
  it("an anonymous API: no auth", () => {
    expect(parseWebConfig({ apiUrl: "https://api.example.com/" })).toEqual({ apiUrl: "https://api.example.com" });
  });

  it("sign-in on: the auth object as the app stack and npm run dev write it", () => {
    expect(parseWebConfig({ apiUrl: "https://api.example.com", auth })).toEqual({ apiUrl: "https://api.example.com", auth });
  });

  it.each([
    ["a missing endpoint", { ...auth, tokenEndpoint: undefined }, /valid tokenEndpoint/],
    ["an endpoint that is not a URL", { ...auth, authorizationEndpoint: "javascript:alert(1)" }, /valid authorizationEndpoint/],
    ["no client id", { ...auth, clientId: "" }, /valid clientId/],
    ["scopes that are not strings", { ...auth, scopes: "openid" }, /valid scopes/],
    ["not an object", "cognito", /valid issuer, authorizationEndpoint, tokenEndpoint, logoutEndpoint, clientId, scopes/],
  ])("refuses %s, naming what to fix", (_, bad, message) => {
    expect(() => parseWebConfig({ apiUrl: "https://api.example.com", auth: bad })).toThrow(WebConfigError);
    expect(() => parseWebConfig({ apiUrl: "https://api.example.com", auth: bad })).toThrow(message);
  });
});
