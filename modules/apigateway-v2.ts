import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2ApiMapping } from "@cdktf/provider-aws/lib/apigatewayv2-api-mapping";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import { Apigatewayv2DomainName } from "@cdktf/provider-aws/lib/apigatewayv2-domain-name";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";
import { Acm } from "./acm.js";
import { Route53Records } from "./route53-records.js";

/** The one stage, deployed automatically and served at the API's root. */
const DEFAULT_STAGE = "$default";

export interface ApiCustomDomainProps {
  /** e.g. `api.example.com`; gets its own certificate (just this name: no `api.api.` SAN). */
  readonly domainName: string;
  /** Route53 zone for the certificate's validation records and the A/AAAA aliases. */
  readonly zoneId: string;
}

export interface ApiCorsProps {
  /** Exact origins allowed (the web app's). */
  readonly allowOrigins: string[];
  /** @default the route keys' methods plus OPTIONS */
  readonly allowMethods?: readonly string[];
  /** @default ["content-type"] */
  readonly allowHeaders?: readonly string[];
  /** Response headers scripts of the allowed origins may read. @default [] */
  readonly exposeHeaders?: readonly string[];
  /** Seconds a browser may cache a preflight answer. @default 3600 */
  readonly maxAgeSeconds?: number;
}

/**
 * A JWT authorizer and the routes it guards. API Gateway checks the bearer token of the
 * `Authorization` header before the function runs: signature (the issuer's JWKS), `iss`, `aud`
 * (or `client_id` when there is no `aud`), `exp`, `nbf`, `iat`, and the route's scopes; it answers
 * 401 `{"message":"Unauthorized"}` otherwise
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
 */
export interface JwtAuthorizerProps {
  /** Authorizer name. */
  readonly name: string;
  /** The token issuer (`iss`), e.g. `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuer: string;
  /** Accepted audiences: the `aud` claim, or `client_id` for tokens without `aud` (Cognito access tokens). */
  readonly audience: string[];
  /**
   * The guarded routes, by route key, each with the scopes its token must carry one of ([]: any
   * valid token). Routes not named here stay open.
   */
  readonly routes: Readonly<Record<string, readonly string[]>>;
}

export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface ApiGatewayV2Props {
  /** API name (the module's `name`). */
  readonly name: string;
  /** @default "" */
  readonly description?: string;
  /** Route keys ("POST /users", ...), each routed to the function; anything else is a gateway 404. */
  readonly routeKeys: readonly string[];
  /** The function's invoke ARN (AWS_PROXY integration, payload format 2.0). */
  readonly functionInvokeArn: string;
  /** CORS, answered by the gateway itself (preflights never reach the function). */
  readonly cors: ApiCorsProps;
  /**
   * Steady-state requests per second of each route (the stage's default route settings: every
   * route has its own bucket); never 0 (0 answers every request 429). @default 5
   */
  readonly throttlingRateLimit?: number;
  /** Burst bucket of each route. @default 10 */
  readonly throttlingBurstLimit?: number;
  /** Per-route limits replacing the defaults, by route key (e.g. a lower one for "POST /users"). @default {} */
  readonly routeThrottling?: Readonly<Record<string, RouteThrottle>>;
  /** Access-log retention, in days. @default 30 */
  readonly accessLogRetentionDays?: number;
  /** KMS key of the access-log group. @default AWS-owned encryption */
  readonly accessLogKmsKeyArn?: string;
  /** Guard some routes with a JWT authorizer. @default none: every route is open */
  readonly jwtAuthorizer?: JwtAuthorizerProps;
  /** Custom domain; when set, the default execute-api endpoint is disabled. @default none */
  readonly domain?: ApiCustomDomainProps;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The app's pattern, modelled on terraform-aws-modules/apigateway-v2 5.2 as the blog uses it (HTTP
 * API, `$default` stage with auto-deploy and access logs, custom domain with its own certificate
 * and A+AAAA records), with explicit routes instead of a catch-all `$default` route, and a stage
 * throttle that caps the bill.
 */
export class ApiGatewayV2 extends Construct {
  readonly apiId: string;
  /** The stage's name (`$default`), the `Stage` dimension of its CloudWatch metrics. */
  readonly stageName: string;
  /** The stage's access-log group. */
  readonly accessLogGroupName: string;
  readonly executionArn: string;
  /** The URL clients use: the custom domain when there is one, else the default endpoint. */
  readonly apiUrl: string;
  /** Scheme + host, the CORS/CSP origin form of `apiUrl`. */
  readonly apiOrigin: string;
  /** The aws_apigatewayv2_api; change any attribute with `addOverride` (docs/constructs.md). */
  readonly api: Apigatewayv2Api;
  /** The AWS_PROXY integration with the function. */
  readonly integration: Apigatewayv2Integration;
  /** One route per entry of `routeKeys`, in order. */
  readonly routes: Apigatewayv2Route[];
  /** The JWT authorizer, when `jwtAuthorizer` is given. */
  readonly authorizer?: Apigatewayv2Authorizer;
  /** The `$default` stage with its throttle and access-log settings. */
  readonly stage: Apigatewayv2Stage;
  /** The stage's access-log group. */
  readonly accessLogGroup: CloudwatchLogGroup;
  /** The custom domain, when `domain` is given. */
  readonly domainName?: Apigatewayv2DomainName;

  constructor(scope: Construct, id: string, props: ApiGatewayV2Props) {
    super(scope, id);
    const rateLimit = props.throttlingRateLimit ?? 5;
    const burstLimit = props.throttlingBurstLimit ?? 10;
    const routeThrottling = Object.entries(props.routeThrottling ?? {});
    if (rateLimit <= 0 || burstLimit <= 0 || routeThrottling.some(([, t]) => t.rateLimit <= 0 || t.burstLimit <= 0)) {
      throw new Error(`ApiGatewayV2 ${id}: throttling limits must be positive (0 answers every request 429)`);
    }
    const unknownRoutes = routeThrottling.map(([key]) => key).filter((key) => !props.routeKeys.includes(key));
    if (unknownRoutes.length)
      throw new Error(`ApiGatewayV2 ${id}: routeThrottling names routes the API does not declare: ${unknownRoutes.join(", ")}`);
    const guarded = props.jwtAuthorizer?.routes ?? {};
    const unknownGuarded = Object.keys(guarded).filter((key) => !props.routeKeys.includes(key));
    if (unknownGuarded.length)
      throw new Error(`ApiGatewayV2 ${id}: jwtAuthorizer.routes names routes the API does not declare: ${unknownGuarded.join(", ")}`);
    const tags = props.tags ?? {};
    const methods = props.cors.allowMethods ?? [...new Set([...props.routeKeys.map((k) => k.split(" ")[0]!), "OPTIONS"])];

    const api = new Apigatewayv2Api(this, "api", {
      name: props.name,
      description: props.description ?? "",
      protocolType: "HTTP",
      // Once the custom domain exists, the execute-api endpoint would be a way around it.
      disableExecuteApiEndpoint: props.domain !== undefined,
      corsConfiguration: {
        allowOrigins: props.cors.allowOrigins,
        allowMethods: [...methods],
        allowHeaders: [...(props.cors.allowHeaders ?? ["content-type"])],
        exposeHeaders: props.cors.exposeHeaders?.length ? [...props.cors.exposeHeaders] : undefined,
        maxAge: props.cors.maxAgeSeconds ?? 3600,
      },
      tags,
    });

    const integration = new Apigatewayv2Integration(this, "lambda", {
      apiId: api.id,
      integrationType: "AWS_PROXY",
      integrationUri: props.functionInvokeArn,
      payloadFormatVersion: "2.0",
      timeoutMilliseconds: 30000,
      lifecycle: { createBeforeDestroy: true },
    });
    const authorizer = props.jwtAuthorizer
      ? new Apigatewayv2Authorizer(this, "jwt_authorizer", {
          apiId: api.id,
          name: props.jwtAuthorizer.name,
          authorizerType: "JWT",
          identitySources: ["$request.header.Authorization"],
          jwtConfiguration: { issuer: props.jwtAuthorizer.issuer, audience: props.jwtAuthorizer.audience },
        })
      : undefined;
    this.authorizer = authorizer;
    const routes = props.routeKeys.map((routeKey, i) => {
      const scopes = Object.hasOwn(guarded, routeKey) ? guarded[routeKey] : undefined;
      return new Apigatewayv2Route(this, `route_${i}`, {
        apiId: api.id,
        routeKey,
        ...(authorizer && scopes
          ? {
              authorizationType: "JWT",
              authorizerId: authorizer.id,
              authorizationScopes: scopes.length ? [...scopes] : undefined,
            }
          : { authorizationType: "NONE" }),
        target: `integrations/${integration.id}`,
      });
    });
    this.routes = routes;

    const accessLogs = new CloudwatchLogGroup(this, "access_logs", {
      name: `/aws/apigateway/${props.name}/default`,
      retentionInDays: props.accessLogRetentionDays ?? 30,
      kmsKeyId: props.accessLogKmsKeyArn,
      tags,
    });
    const stage = new Apigatewayv2Stage(this, "stage", {
      apiId: api.id,
      name: DEFAULT_STAGE,
      autoDeploy: true,
      accessLogSettings: {
        destinationArn: accessLogs.arn,
        format: JSON.stringify({
          requestId: "$context.requestId",
          sourceIp: "$context.identity.sourceIp",
          requestTime: "$context.requestTime",
          httpMethod: "$context.httpMethod",
          routeKey: "$context.routeKey",
          status: "$context.status",
          protocol: "$context.protocol",
          responseLength: "$context.responseLength",
          integrationLatency: "$context.integrationLatency",
          integrationErrorMessage: "$context.integrationErrorMessage",
        }),
      },
      defaultRouteSettings: {
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        detailedMetricsEnabled: false, // per-route metrics are billed as custom metrics
      },
      // A route's settings replace the defaults whole, so detailed metrics stay off here too.
      routeSettings: routeThrottling.length
        ? routeThrottling.map(([routeKey, t]) => ({
            routeKey,
            throttlingRateLimit: t.rateLimit,
            throttlingBurstLimit: t.burstLimit,
            detailedMetricsEnabled: false,
          }))
        : undefined,
      // Route settings name existing routes: API Gateway refuses them before the route exists
      // ("Unable to find Route by key", terraform-aws-modules/terraform-aws-apigateway-v2#80).
      dependsOn: routeThrottling.length ? routes : undefined,
      tags,
    });

    this.api = api;
    this.integration = integration;
    this.stage = stage;
    this.accessLogGroup = accessLogs;
    this.apiId = api.id;
    this.stageName = DEFAULT_STAGE;
    this.accessLogGroupName = accessLogs.name;
    this.executionArn = api.executionArn;
    if (props.domain) {
      const cert = new Acm(this, "certificate", { domainName: props.domain.domainName, zoneId: props.domain.zoneId, tags });
      const domainName = new Apigatewayv2DomainName(this, "domain", {
        domainName: props.domain.domainName,
        domainNameConfiguration: { certificateArn: cert.certificateArn, endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
        tags,
      });
      this.domainName = domainName;
      new Apigatewayv2ApiMapping(this, "mapping", { apiId: api.id, domainName: domainName.id, stage: stage.id });
      new Route53Records(this, "records", {
        zoneId: props.domain.zoneId,
        name: props.domain.domainName,
        alias: {
          name: domainName.domainNameConfiguration.targetDomainName,
          zoneId: domainName.domainNameConfiguration.hostedZoneId,
        },
      });
      this.apiOrigin = `https://${props.domain.domainName}`;
      this.apiUrl = this.apiOrigin;
    } else {
      this.apiUrl = api.apiEndpoint;
      this.apiOrigin = api.apiEndpoint;
    }
  }
}
