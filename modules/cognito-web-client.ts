import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { Token } from "cdktf";
import { Construct } from "constructs";

export interface CognitoWebClientProps {
  readonly userPoolId: string;
  readonly name: string;
  /** Exact redirect URIs after sign-in (https, or http on localhost only). */
  readonly callbackUrls: string[];
  /** Exact URIs the logout endpoint may send the browser back to. */
  readonly logoutUrls: string[];
  /** OAuth scopes the client may ask for. @default ["openid", "email", "profile"] */
  readonly scopes?: string[];
  /** Lifetime of access and ID tokens, minutes (5 to 1440). @default 60 */
  readonly tokenValidityMinutes?: number;
  /** Lifetime of refresh tokens, days (1 to 3650). @default 1 */
  readonly refreshTokenValidityDays?: number;
}

const LOCALHOST = /^http:\/\/localhost(:\d+)?(\/|$)/;

/**
 * A public app client for a browser app: the authorization-code grant only (the web app adds
 * PKCE: https://docs.aws.amazon.com/cognito/latest/developerguide/using-pkce-in-authorization-code.html),
 * no client secret (a browser cannot keep one), the pool's own users only, exact callback and
 * sign-out URLs, no user-existence hints, revocable refresh tokens, and no direct password flows
 * (users sign in on the login pages, never in the app).
 */
export class CognitoWebClient extends Construct {
  readonly clientId: string;
  readonly scopes: string[];
  /** The aws_cognito_user_pool_client; change any attribute with `addOverride` (docs/constructs.md). */
  readonly client: CognitoUserPoolClient;

  constructor(scope: Construct, id: string, props: CognitoWebClientProps) {
    super(scope, id);
    // Cognito refuses http callback URLs other than localhost, at apply time
    // (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html).
    const bad = [...props.callbackUrls, ...props.logoutUrls].filter(
      (url) => !Token.isUnresolved(url) && !url.startsWith("https://") && !LOCALHOST.test(url),
    );
    if (bad.length) throw new Error(`CognitoWebClient ${id}: URLs must be https (or http://localhost): ${bad.join(", ")}`);
    if (props.callbackUrls.length === 0) throw new Error(`CognitoWebClient ${id}: at least one callback URL is needed`);
    const minutes = props.tokenValidityMinutes ?? 60;
    const days = props.refreshTokenValidityDays ?? 1;
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) {
      throw new Error(`CognitoWebClient ${id}: tokenValidityMinutes must be an integer from 5 to 1440 (Cognito's range)`);
    }
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      throw new Error(`CognitoWebClient ${id}: refreshTokenValidityDays must be an integer from 1 to 3650 (Cognito's range)`);
    }
    const scopes = props.scopes ?? ["openid", "email", "profile"];
    const client = new CognitoUserPoolClient(this, "client", {
      userPoolId: props.userPoolId,
      name: props.name,
      generateSecret: false,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ["code"],
      allowedOauthScopes: scopes,
      supportedIdentityProviders: ["COGNITO"],
      callbackUrls: props.callbackUrls,
      logoutUrls: props.logoutUrls,
      // Only refreshing: sign-in happens on the login pages, never with a password sent by the app.
      explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
      preventUserExistenceErrors: "ENABLED",
      enableTokenRevocation: true,
      accessTokenValidity: minutes,
      idTokenValidity: minutes,
      refreshTokenValidity: days,
      tokenValidityUnits: [{ accessToken: "minutes", idToken: "minutes", refreshToken: "days" }],
    });
    this.client = client;
    this.clientId = client.id;
    this.scopes = scopes;
  }
}
