import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { DataAwsEcrImage } from "@cdktf/provider-aws/lib/data-aws-ecr-image";
import { DataAwsRouteTables } from "@cdktf/provider-aws/lib/data-aws-route-tables";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Fn, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { API_CORS, DYNAMODB_ACTIONS, ENV, LAMBDA_IMAGE } from "../backend/src/contract.js";
import { CORS_METHODS, ROUTE_KEYS, ROUTES, type RouteName, routeKey } from "../backend/src/routes.js";
import { usersTableShape } from "../backend/src/table-definition.js";
import { Acm } from "../modules/acm.js";
import { AlarmTopic } from "../modules/alarm-topic.js";
import { ApiGatewayV2 } from "../modules/apigateway-v2.js";
import { AppAlarms } from "../modules/app-alarms.js";
import { Cloudfront } from "../modules/cloudfront.js";
import { CognitoLoginDomain } from "../modules/cognito-login-domain.js";
import { CognitoUserPool } from "../modules/cognito-user-pool.js";
import { CognitoWebClient } from "../modules/cognito-web-client.js";
import { DynamodbTable } from "../modules/dynamodb-table.js";
import type { Ecr } from "../modules/ecr.js";
import { KmsKey } from "../modules/kms-key.js";
import { LambdaFunction, type LambdaVpcProps } from "../modules/lambda.js";
import { Route53Records } from "../modules/route53-records.js";
import { S3Bucket } from "../modules/s3-bucket.js";
import { SpendStop } from "../modules/spend-stop.js";
import { Vpc } from "../modules/vpc.js";
import { DynamodbGatewayEndpoint } from "../modules/vpc-endpoints.js";
import { CloudfrontWaf } from "../modules/waf.js";
import { type AssetMetadata, WebAssets } from "../modules/web-assets.js";
import { AUTH_CALLBACK_PATH, AUTH_LOGOUT_PATH, AUTH_SCOPES, type WebAuthConfig } from "../web/src/auth-config.js";
import { stageThrottles } from "./api-throttles.js";
import { type AppConfig, accountWideName, flowLogRoleName, lambdaRoleName, spendStopName, spendStopRoleName, stageName } from "./config.js";
import { lastApplyReader } from "./last-apply.js";
import { requirePermissionsBoundary } from "./permissions-boundary.js";
import { awsProvider, stateRegionProvider, usEast1Provider } from "./providers.js";
import { configureStateBackend } from "./state-backend.js";

export interface AppStackProps {
  readonly config: AppConfig;
  /** The registry stack's repository (a cross-stack reference: read through remote state). */
  readonly ecr: Ecr;
  /** The registry stack's spend-stop topic, with `spend_stop` (a cross-stack reference). */
  readonly spendStopTopicArn?: string;
  /** Absolute path of the built web app (web/dist). */
  readonly webDistDir: string;
  /** Content type and cache header per web file. */
  readonly webAssetMetadata: (relativePath: string) => AssetMetadata;
  /** Where `state_backend: "local"` keeps state: the last apply's web release is read from there. */
  readonly localStateDir: string;
}

/** Network, data, API, frontend, certificates and DNS: everything but the image registry. */
export class AppStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id);
    const { config } = props;
    configureStateBackend(this, id, config);
    awsProvider(this, config);
    requirePermissionsBoundary(this, config);
    const usEast1 = usEast1Provider(this, config);
    const name = (base: string) => stageName(config, base);
    const accountId = new DataAwsCallerIdentity(this, "current").accountId;
    const region = config.aws_region;

    const zone = config.domain ? new DataAwsRoute53Zone(this, "zone", { name: config.domain, privateZone: false }) : undefined;
    const webHost = config.domain ? `${config.frontend_subdomain}.${config.domain}` : undefined;
    const apiHost = config.domain ? `${config.backend_subdomain}.${config.domain}` : undefined;
    const key = config.kms_customer_key
      ? new KmsKey(this, "kms", {
          alias: name(config.project_name),
          accountId,
          region,
          allowCloudWatchAlarms: config.alarm_email !== undefined,
        })
      : undefined;

    // --- data ------------------------------------------------------------------------------
    // The shape the backend reads and writes, defined once (local and test tables use it too).
    const tableShape = usersTableShape(config.table_hash_key);
    const table = new DynamodbTable(this, "table", {
      name: name(config.table_name),
      hashKey: tableShape.hashKey,
      attributes: tableShape.attributes,
      globalSecondaryIndexes: tableShape.globalSecondaryIndexes,
      pointInTimeRecovery: config.table_point_in_time_recovery,
      deletionProtection: config.table_deletion_protection,
      kmsKeyArn: key?.keyArn,
      region,
    });
    const tableGrant = table.grant(DYNAMODB_ACTIONS);
    const tableAccess = tableGrant.find((s) => s.Sid === "TableAccess")!;

    // --- network: the function joins the VPC and reaches DynamoDB through a free gateway endpoint
    let lambdaVpc: LambdaVpcProps | undefined;
    if (config.vpc_deploy || config.vpc_id) {
      const network = config.vpc_deploy
        ? new Vpc(this, "vpc", {
            name: name(config.vpc_name),
            cidr: config.vpc_cidr,
            enableFlowLog: config.vpc_flow_logs,
            flowLogScope: { region, accountId },
            flowLogRoleName: flowLogRoleName(config),
            flowLogRetentionDays: config.logs_retention,
            flowLogKmsKeyArn: key?.keyArn,
          })
        : undefined;
      const vpcId = network?.vpcId ?? config.vpc_id!;
      const subnetIds = network?.privateSubnetIds ?? config.vpc_subnet_ids;
      let dynamodbPrefixListId: string;
      if (config.vpc_dynamodb_endpoint) {
        // Only the route tables of the function's own subnets: in a VPC the user already has, the
        // endpoint's table-scoped policy must not cut other workloads off their DynamoDB tables.
        const routeTableIds =
          network?.privateRouteTableIds ??
          config.vpc_subnet_ids.map((subnetId, i) => subnetRouteTableId(this, `existing_vpc_route_table_${i}`, config.vpc_id!, subnetId));
        dynamodbPrefixListId = new DynamodbGatewayEndpoint(this, "vpc_endpoints", {
          vpcId,
          region,
          routeTableIds,
          policyStatements: [{ ...tableAccess, Sid: "OnlyThisTable", Principal: "*" }],
        }).prefixListId;
      } else {
        dynamodbPrefixListId = new DataAwsEc2ManagedPrefixList(this, "dynamodb_prefix_list", { name: `com.amazonaws.${region}.dynamodb` })
          .id;
      }
      lambdaVpc = { vpcId, subnetIds, egressPrefixListIds: [dynamodbPrefixListId], region, accountId };
    }

    // --- backend: the image is pinned by digest, so every new push rolls the function --------
    const image = new DataAwsEcrImage(this, "backend_image", {
      repositoryName: props.ecr.repositoryName,
      ...(config.image_tag ? { imageTag: config.image_tag } : { mostRecent: true }),
    });
    const backend = new LambdaFunction(this, "api_function", {
      functionName: name(config.lambda_name),
      roleName: lambdaRoleName(config),
      description: "Lambda Function based API serving as backend for the app",
      imageUri: `${props.ecr.repositoryUrl}@${image.imageDigest}`,
      imageCommand: LAMBDA_IMAGE.command,
      architecture: config.lambda_architecture,
      memorySize: config.lambda_memory,
      timeout: config.lambda_timeout,
      environment: { [ENV.tableName]: table.tableName, [ENV.tableKeyAttribute]: table.hashKey },
      logRetentionDays: config.logs_retention,
      policyStatements: tableGrant,
      vpc: lambdaVpc,
      reservedConcurrency: config.lambda_reserved_concurrency,
      tracingMode: config.xray_tracing ? "Active" : "PassThrough",
      kmsKeyArn: key?.keyArn,
    });

    // --- frontend --------------------------------------------------------------------------
    const accessLogs = config.access_logging
      ? new S3Bucket(this, "access_logs", {
          bucket: `${name(config.project_name)}-logs-${accountId}`,
          objectOwnership: "BucketOwnerPreferred", // CloudFront standard logs are written with ACLs
          expirationDays: 90,
          forceDestroy: true,
          serverAccessLogsSourceAccount: accountId, // the web bucket's logs
        })
      : undefined;
    const webBucket = new S3Bucket(this, "web_bucket", {
      bucket: config.frontend_bucket_name ?? `${name(config.project_name)}-web-${accountId}`,
      kmsKeyArn: key?.keyArn,
      accessLogs: accessLogs
        ? { bucketName: accessLogs.bucketName, prefix: "s3/", bucketWriteSettings: accessLogs.writeSettings }
        : undefined,
    });
    // --- sign-in (auth: "cognito"): the pool and its login pages; the app client needs the web origin below
    const users =
      config.auth === "cognito"
        ? new CognitoUserPool(this, "user_pool", {
            name: name(`${config.project_name}-users`),
            // The pool holds the users' accounts: protected exactly as the table holding their records.
            deletionProtection: config.table_deletion_protection,
          })
        : undefined;
    const login = users
      ? new CognitoLoginDomain(this, "login_domain", {
          userPoolId: users.userPoolId,
          region,
          prefix: loginDomainPrefix(config, accountId),
          customDomain: zone ? { domainName: loginHost(config)!, zoneId: zone.zoneId, usEast1Provider: usEast1 } : undefined,
        })
      : undefined;

    const webCertificate =
      zone && webHost ? new Acm(this, "web_certificate", { domainName: webHost, zoneId: zone.zoneId, provider: usEast1 }) : undefined;
    // CloudFront's policies, origin access control and web ACL are account-wide (not regional).
    const cdnName = accountWideName(config, `${config.project_name}-web`);
    const waf = config.waf ? new CloudfrontWaf(this, "waf", { name: cdnName, provider: usEast1 }) : undefined;
    const cdn = new Cloudfront(this, "cdn", {
      name: cdnName,
      comment: "CDN of Frontend",
      originDomainName: webBucket.bucketRegionalDomainName,
      aliases: webHost ? [webHost] : undefined,
      acmCertificateArn: webCertificate?.certificateArn,
      priceClass: config.cloudfront_price_class,
      // Without a domain the API's id is unknown to the headers policy (naming it would be a cycle:
      // policy -> distribution -> API CORS origin -> distribution), so allow the region's execute-api hosts.
      // With sign-in, the web app also calls the login domain's token endpoint (the authorize and
      // logout endpoints are page navigations, which connect-src does not govern).
      connectSrc: [apiHost ? `https://${apiHost}` : `https://*.execute-api.${region}.amazonaws.com`, ...(login ? [login.origin] : [])],
      logging: accessLogs
        ? { bucketDomainName: accessLogs.bucketDomainName, prefix: "cloudfront/", bucketWriteSettings: accessLogs.writeSettings }
        : undefined,
      webAclArn: waf?.webAclArn,
    });
    // OAC-only reads: CloudFront, for this distribution only.
    webBucket.addToResourcePolicy({
      Sid: "AllowCloudFrontServicePrincipal",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Resource: webBucket.objectsArn,
      Condition: { StringEquals: { "AWS:SourceArn": cdn.distributionArn } },
    });
    // Listing lets S3 answer a missing key with 404 instead of 403 (without s3:ListBucket S3 hides
    // whether a key exists), so a missing asset is a 404 and a 403 always means access was refused.
    webBucket.addToResourcePolicy({
      Sid: "AllowCloudFrontToTellMissingKeys",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:ListBucket",
      Resource: webBucket.bucketArn,
      Condition: { StringEquals: { "AWS:SourceArn": cdn.distributionArn } },
    });
    const webOrigin = webHost ? `https://${webHost}` : `https://${cdn.domainName}`;
    if (zone && webHost) {
      new Route53Records(this, "web_records", {
        zoneId: zone.zoneId,
        name: webHost,
        alias: { name: cdn.domainName, zoneId: cdn.hostedZoneId },
      });
    }

    const webClient = users
      ? new CognitoWebClient(this, "web_client", {
          userPoolId: users.userPoolId,
          name: name(`${config.project_name}-web`),
          callbackUrls: [`${webOrigin}${AUTH_CALLBACK_PATH}`],
          logoutUrls: [`${webOrigin}${AUTH_LOGOUT_PATH}`],
          scopes: [...AUTH_SCOPES],
        })
      : undefined;

    // --- API -------------------------------------------------------------------------------
    const throttles = stageThrottles(config, ROUTE_KEYS);
    const api = new ApiGatewayV2(this, "api", {
      name: name(`${config.project_name}-api`),
      description: "HTTP API Gateway for the Lambda-based API",
      routeKeys: ROUTE_KEYS,
      functionInvokeArn: backend.invokeArn,
      cors: {
        allowOrigins: [webOrigin],
        allowMethods: CORS_METHODS,
        allowHeaders: API_CORS.allowHeaders,
        exposeHeaders: API_CORS.exposeHeaders,
        maxAgeSeconds: API_CORS.maxAgeSeconds,
      },
      throttlingRateLimit: throttles.default.rateLimit,
      throttlingBurstLimit: throttles.default.burstLimit,
      routeThrottling: throttles.routes,
      accessLogRetentionDays: config.logs_retention,
      accessLogKmsKeyArn: key?.keyArn,
      // Every route the route table marks "jwt" needs a token of the pool, for this client.
      jwtAuthorizer:
        users && webClient ? { name: "cognito", issuer: users.issuer, audience: [webClient.clientId], routes: guardedRoutes() } : undefined,
      domain: zone && apiHost ? { domainName: apiHost, zoneId: zone.zoneId } : undefined,
    });
    backend.allowInvoke("AllowApiGatewayInvoke", "apigateway.amazonaws.com", `${api.executionArn}/*/*`);

    new WebAssets(this, "web_assets", {
      // The previous release's files stay until the next deploy (docs/aws-behaviour.md).
      lastApply: lastApplyReader(this, {
        config,
        stackId: id,
        localStateDir: props.localStateDir,
        stateRegionProvider: stateRegionProvider(this, config, usEast1),
      }),
      bucketName: webBucket.bucketName,
      bucketWriteSettings: webBucket.writeSettings,
      encryption: webBucket.objectEncryption,
      distDir: props.webDistDir,
      metadata: props.webAssetMetadata,
      runtimeConfig: {
        apiUrl: api.apiUrl,
        ...(users && login && webClient
          ? {
              auth: {
                issuer: users.issuer,
                clientId: webClient.clientId,
                authorizationEndpoint: login.authorizationEndpoint,
                tokenEndpoint: login.tokenEndpoint,
                logoutEndpoint: login.logoutEndpoint,
                scopes: webClient.scopes,
              } satisfies WebAuthConfig,
            }
          : {}),
      },
    });

    // --- spend stop: the budget's over-the-limit alert throttles this stage to zero ------------
    let spendStop: SpendStop | undefined;
    if (config.spend_stop) {
      if (!props.spendStopTopicArn) throw new Error("AppStack: spend_stop needs the registry stack's spend-stop topic");
      spendStop = new SpendStop(this, "spend_stop", {
        functionName: spendStopName(config),
        roleName: spendStopRoleName(config),
        topicArn: props.spendStopTopicArn,
        api: { id: api.apiId, stageName: api.stageName },
        region,
        logRetentionDays: config.logs_retention,
        kmsKeyArn: key?.keyArn,
        tracingMode: config.xray_tracing ? "Active" : "PassThrough",
      });
      new TerraformOutput(this, "spend_stop_function", { value: spendStop.function.functionName });
    }

    // --- alarms: one topic per region that has alarms (CloudWatch only notifies topics of its own region)
    if (config.alarm_email) {
      const topicName = name(`${config.project_name}-alarms`);
      const topic = new AlarmTopic(this, "alarm_topic", {
        name: topicName,
        email: config.alarm_email,
        accountId,
        region,
        kmsKeyArn: key?.keyArn,
      });
      // CloudFront's metrics exist in us-east-1 only. The customer key is regional, so a second
      // topic there is unencrypted unless the stack itself is in us-east-1 (docs/operations.md).
      const usEast1Topic =
        region === "us-east-1"
          ? topic
          : new AlarmTopic(this, "alarm_topic_us_east_1", {
              name: topicName,
              email: config.alarm_email,
              accountId,
              region: "us-east-1",
              provider: usEast1,
            });
      const alarms = new AppAlarms(this, "alarms", {
        namePrefix: name(config.project_name),
        topicArn: topic.topicArn,
        function: { name: backend.functionName, timeoutSeconds: config.lambda_timeout },
        api: { id: api.apiId, stage: api.stageName },
        table: { name: table.tableName, operations: DYNAMODB_ACTIONS.map((a) => a.replace(/^dynamodb:/, "")) },
        cdn: { distributionId: cdn.distributionId, topicArn: usEast1Topic.topicArn, provider: usEast1 },
        spendStopFunctionName: spendStop?.function.functionName,
        thresholds: {
          errorCount: config.alarm_error_count,
          apiLatencyMs: config.alarm_api_latency_ms,
          durationPercent: config.alarm_duration_percent,
          cdn5xxPercent: config.alarm_cdn_5xx_percent,
        },
      });
      // `npm run status` reads every alarm's state from these names.
      const alarmNames: Record<string, string[]> = { [region]: [...alarms.regionalAlarmNames] };
      alarmNames["us-east-1"] = [...(alarmNames["us-east-1"] ?? []), ...alarms.usEast1AlarmNames];
      new TerraformOutput(this, "alarm_names", { value: alarmNames });
    }

    // --- outputs (the deploy saves them; `terraform output` shows them) ----------------------
    new TerraformOutput(this, "web_url", { value: webOrigin });
    new TerraformOutput(this, "api_url", { value: api.apiUrl });
    // `npm run status` and `npm run resume` read the stage's throttle through it.
    new TerraformOutput(this, "api_id", { value: api.apiId });
    new TerraformOutput(this, "frontend_bucket_name", { value: webBucket.bucketName });
    new TerraformOutput(this, "distribution_id", { value: cdn.distributionId });
    new TerraformOutput(this, "table_name", { value: table.tableName });
    new TerraformOutput(this, "function_name", { value: backend.functionName });
    // `npm run logs` reads these two.
    new TerraformOutput(this, "function_log_group", { value: backend.logGroupName });
    new TerraformOutput(this, "api_log_group", { value: api.accessLogGroupName });
    if (accessLogs) new TerraformOutput(this, "access_log_bucket_name", { value: accessLogs.bucketName });
    if (users && login && webClient) {
      new TerraformOutput(this, "user_pool_id", { value: users.userPoolId });
      new TerraformOutput(this, "user_pool_client_id", { value: webClient.clientId });
      new TerraformOutput(this, "login_url", { value: login.origin });
    }
  }
}

/** The routes the route table marks "jwt", by route key, with the scopes each one requires. */
export function guardedRoutes(): Record<string, readonly string[]> {
  return Object.fromEntries(
    (Object.keys(ROUTES) as RouteName[]).flatMap((route) => {
      const r: { authorization: "jwt" | "none"; scopes?: readonly string[] } = ROUTES[route];
      return r.authorization === "jwt" ? [[routeKey(route), r.scopes ?? []]] : [];
    }),
  );
}

/** The login pages' host with a domain: `auth.<domain>`. */
export function loginHost(config: Pick<AppConfig, "domain">): string | undefined {
  return config.domain ? `auth.${config.domain}` : undefined;
}

/**
 * The prefix of the Cognito domain without a custom domain: `<project>[-<stage>]-<account id>`,
 * unique per region (the account id keeps other accounts' pools from holding it).
 */
export function loginDomainPrefix(config: Pick<AppConfig, "project_name" | "stage" | "isDefaultStage">, accountId: string): string {
  return `${stageName(config, config.project_name)}-${accountId}`;
}

/**
 * The route table explicitly associated with a subnet of an existing VPC. A subnet on the VPC's
 * main route table has none, and the endpoint's table-scoped policy must not land on a route table
 * other workloads share, so the plan stops with a message saying what to do (the singular
 * `aws_route_table` lookup would only say "query returned no results").
 */
function subnetRouteTableId(scope: Construct, id: string, vpcId: string, subnetId: string): string {
  const lookup = new DataAwsRouteTables(scope, id, {
    vpcId,
    filter: [{ name: "association.subnet-id", values: [subnetId] }],
    lifecycle: {
      postcondition: [
        {
          condition: "${length(self.ids) == 1}",
          errorMessage:
            `Subnet ${subnetId} has no route table of its own (it uses the VPC's main route table). ` +
            "Give the function subnets with their own route table (vpc_subnet_ids), or set " +
            "vpc_dynamodb_endpoint: false if the VPC already routes DynamoDB through an endpoint.",
        },
      ],
    },
  });
  return Fn.element(lookup.ids, 0);
}
