/**
 * A local HTTP stand-in for the AWS APIs the deploy calls (STS, ECR, Route53, DynamoDB, S3, Lambda,
 * Budgets) and the day-two commands call (CloudWatch Logs, CloudWatch, API Gateway's stages). The
 * real SDK talks to it through the standard AWS_ENDPOINT_URL_<SERVICE> variables; it answers in
 * each service's wire protocol and records every call. Pushed images come from the fake
 * `docker push`, which appends `<tag>\t<manifest media type>` to `<stateDir>/ecr-images`; ECR's
 * tag operations (PutImage, BatchDeleteImage by tag) then act on the stub's in-memory repository.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export const ACCOUNT = "123456789012";

export interface StubCall {
  service: string;
  /** The region of the request's SigV4 credential scope. */
  region: string;
  operation: string;
  body: string;
  path: string;
}

/** What the stub's account holds; tests set it per case. */
export interface StubWorld {
  /** Directory of the fake tools' state (ecr-images lives there). */
  stateDir: string;
  credentialsValid: boolean;
  hostedZones: { name: string; private: boolean; nameServers?: string[] }[];
  /** Items per table name (only the count matters). */
  tableItems: Record<string, number>;
  /** Object versions and delete markers per bucket. */
  bucketVersions: Record<string, { key: string; versionId: string; deleteMarker?: boolean }[]>;
  /** The repository's imageTagMutability (DescribeRepositories; PutImage honours it). */
  tagMutability: "MUTABLE" | "IMMUTABLE";
  /** false: every repository call answers RepositoryNotFoundException (deleted by hand). */
  repositoryExists: boolean;
  /** Lambda's GetAccountSettings AccountLimit. */
  lambdaAccount: { concurrentExecutions: number; unreservedConcurrentExecutions: number };
  /** Reserved concurrency per existing function name (GetFunctionConcurrency); absent: no such function. */
  functionReservations: Record<string, number>;
  /** Whether the caller may use AWS Budgets (false: AccessDeniedException, as with billing access off). */
  budgetsAllowed: boolean;
  /** "service:Operation" (its next call) or "service:Operation@n" (its n-th call) that fail once with a 500. */
  failOnce: string[];
  /** CloudWatch Logs: events per log group name (absent group: ResourceNotFoundException). */
  logGroups: Record<string, StubLogEvent[]>;
  /** FilterLogEvents page size (a nextToken when more are left). */
  logsPageSize: number;
  /** CloudWatch alarms per region. */
  alarms: Record<string, StubAlarm[]>;
  /** S3 buckets of the account (HeadBucket, CreateBucket, versioning); "other": another account's (403). */
  buckets: Record<string, { versioning: boolean; owner?: "other"; region?: string }>;
  /** S3 objects as "<bucket>/<key>" -> text (GetObject, PutObject with If-None-Match, DeleteObject). */
  objects: Record<string, string>;
  /** Resources that exist in the account with no state of ours (deployed elsewhere): names per kind. */
  unmanaged: { repositories: string[]; functions: string[] };
  /** HTTP APIs (GetApis) and their stages, by API id then stage name (GetStage, UpdateStage). */
  apis: Record<string, { name: string; stages: Record<string, StubStage> }>;
}

/** Throttle settings of a route, in API Gateway's wire form (camelCase). */
export interface StubRouteSettings {
  throttlingRateLimit?: number;
  throttlingBurstLimit?: number;
  detailedMetricsEnabled?: boolean;
}

export interface StubStage {
  defaultRouteSettings: StubRouteSettings;
  routeSettings: Record<string, StubRouteSettings>;
}

export interface StubLogEvent {
  timestamp: number;
  message: string;
  logStreamName?: string;
  eventId?: string;
}

export interface StubAlarm {
  AlarmName: string;
  StateValue: "OK" | "ALARM" | "INSUFFICIENT_DATA";
  StateReason?: string;
  StateUpdatedTimestamp?: number;
}

/** One image in the stub's repository. */
export interface StubImage {
  digest: string;
  tags: string[];
  mediaType: string;
  /** Order of pushes (stands in for imagePushedAt). */
  pushed: number;
}

export const DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json";

/** The digest of the first image pushed under a tag (a later push of the same tag: `digestOf(tag, n)`). */
export const digestOf = (tag: string, pushNumber = 0) =>
  `sha256:${createHash("sha256")
    .update(pushNumber ? `${tag}#${pushNumber}` : tag)
    .digest("hex")}`;

export class AwsStub {
  calls: StubCall[] = [];
  world: StubWorld = AwsStub.emptyWorld("");
  private server: Server | undefined;
  /** The repository's images by digest; pushes come in through the fake tools' `ecr-images` file. */
  private ecrImages = new Map<string, StubImage>();
  private pushLinesSeen = 0;
  private pushesPerTag = new Map<string, number>();

  static emptyWorld(stateDir: string): StubWorld {
    return {
      stateDir,
      credentialsValid: true,
      hostedZones: [],
      tableItems: {},
      bucketVersions: {},
      lambdaAccount: { concurrentExecutions: 1000, unreservedConcurrentExecutions: 1000 },
      functionReservations: {},
      budgetsAllowed: true,
      failOnce: [],
      logGroups: {},
      logsPageSize: 50,
      alarms: {},
      buckets: {},
      objects: {},
      unmanaged: { repositories: [], functions: [] },
      apis: {},
      tagMutability: "IMMUTABLE",
      repositoryExists: true,
    };
  }

  reset(stateDir: string): void {
    this.calls = [];
    this.ecrImages.clear();
    this.pushLinesSeen = 0;
    this.pushesPerTag.clear();
    this.world = AwsStub.emptyWorld(stateDir);
  }

  /** The repository's images now (after the pushes so far), oldest push first. */
  images(): StubImage[] {
    this.syncPushes();
    return [...this.ecrImages.values()].sort((a, b) => a.pushed - b.pushed);
  }

  /** The image a tag names, if any. */
  imageTagged(tag: string): StubImage | undefined {
    return this.images().find((i) => i.tags.includes(tag));
  }

  /** Stands in for lifecycle expiry or a manual delete: the image and all its tags go. */
  deleteImage(digest: string): void {
    this.syncPushes();
    this.ecrImages.delete(digest);
  }

  /** Operations called so far, as "service:Operation". */
  operations(): string[] {
    return this.calls.map((c) => `${c.service}:${c.operation}`);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks).toString("utf8"), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Environment that points the SDK here with dummy credentials. */
  static env(url: string): Record<string, string> {
    return {
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "dummy-secret",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_STS: url,
      AWS_ENDPOINT_URL_ECR: url,
      AWS_ENDPOINT_URL_S3: url,
      AWS_ENDPOINT_URL_DYNAMODB: url,
      AWS_ENDPOINT_URL_ROUTE_53: url,
      AWS_ENDPOINT_URL_LAMBDA: url,
      AWS_ENDPOINT_URL_BUDGETS: url,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url,
      AWS_ENDPOINT_URL_CLOUDWATCH: url,
      AWS_ENDPOINT_URL_APIGATEWAYV2: url,
      AWS_MAX_ATTEMPTS: "1",
    };
  }

  /** Each line the fake push appended (`<tag>\t<manifest media type>`) is one more image. */
  private syncPushes(): void {
    const file = join(this.world.stateDir, "ecr-images");
    if (!existsSync(file)) return;
    const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
    for (const line of lines.slice(this.pushLinesSeen)) {
      const [tag = "", mediaType = DOCKER_V2] = line.split("\t");
      const n = this.pushesPerTag.get(tag) ?? 0;
      this.pushesPerTag.set(tag, n + 1);
      this.moveTag(tag);
      const digest = digestOf(tag, n);
      this.ecrImages.set(digest, { digest, tags: [tag], mediaType, pushed: this.pushLinesSeen++ });
    }
  }

  /**
   * Whether the fake terraform has applied the registry stack that creates this repository (it touches
   * <stack>.applied in the state dir): the fixture's `backend-api<suffix>` lives in `registry<suffix>`.
   */
  private registryApplied(repository: string): boolean {
    const suffix = repository.startsWith("backend-api") ? repository.slice("backend-api".length) : "";
    return existsSync(join(this.world.stateDir, `registry${suffix}.applied`));
  }

  /** Takes a tag off whichever image holds it (the image stays, maybe untagged). */
  private moveTag(tag: string): void {
    for (const image of this.ecrImages.values()) image.tags = image.tags.filter((t) => t !== tag);
  }

  private ecr(operation: string, input: EcrInput, json: (status: number, value: unknown) => void) {
    const images = this.images();
    const find = (id: { imageTag?: string; imageDigest?: string }) =>
      images.find((i) => (id.imageDigest ? i.digest === id.imageDigest : i.tags.includes(id.imageTag ?? "")));
    const detail = (i: StubImage) => ({
      repositoryName: input.repositoryName,
      imageDigest: i.digest,
      imageTags: i.tags.length ? i.tags : undefined,
      imageManifestMediaType: i.mediaType,
      imagePushedAt: 1_700_000_000 + i.pushed,
    });
    if (!this.world.repositoryExists && operation !== "GetAuthorizationToken") {
      return json(400, {
        __type: "RepositoryNotFoundException",
        message: `The repository with name '${input.repositoryName ?? input.repositoryNames?.[0]}' does not exist in the registry with id '${ACCOUNT}'`,
      });
    }
    const notFound = (id: unknown) =>
      json(400, {
        __type: "ImageNotFoundException",
        message: `The image with imageId ${JSON.stringify(id)} does not exist within the repository`,
      });
    switch (operation) {
      case "GetAuthorizationToken":
        return json(200, {
          authorizationData: [
            {
              authorizationToken: Buffer.from("AWS:stub-ecr-password").toString("base64"),
              proxyEndpoint: `https://${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`,
              expiresAt: Date.now() / 1000 + 3600,
            },
          ],
        });
      case "DescribeRepositories": {
        // The repository exists once terraform applied a registry stack, or when a test put it there.
        const name = input.repositoryNames?.[0] ?? "";
        if (!this.world.unmanaged.repositories.includes(name) && !this.registryApplied(name)) {
          return json(400, {
            __type: "RepositoryNotFoundException",
            message: `The repository with name '${name}' does not exist in the registry with id '${ACCOUNT}'`,
          });
        }
        return json(200, { repositories: [{ repositoryName: input.repositoryNames?.[0], imageTagMutability: this.world.tagMutability }] });
      }
      case "DescribeImages": {
        if (input.imageIds?.length) {
          const found = find(input.imageIds[0]!);
          return found ? json(200, { imageDetails: [detail(found)] }) : notFound(input.imageIds[0]);
        }
        const wanted = input.filter?.tagStatus;
        const selected = images.filter((i) =>
          wanted === "TAGGED" ? i.tags.length > 0 : wanted === "UNTAGGED" ? i.tags.length === 0 : true,
        );
        return json(200, { imageDetails: selected.map(detail) });
      }
      case "ListImages":
        return json(200, {
          imageIds: images.flatMap((i) =>
            i.tags.length ? i.tags.map((t) => ({ imageTag: t, imageDigest: i.digest })) : [{ imageDigest: i.digest }],
          ),
        });
      case "BatchGetImage": {
        const id = input.imageIds?.[0] ?? {};
        const found = find(id);
        if (!found)
          return json(200, {
            images: [],
            failures: [{ imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" }],
          });
        return json(200, {
          images: [
            {
              imageId: { imageDigest: found.digest, imageTag: id.imageTag },
              imageManifest: JSON.stringify({ schemaVersion: 2, mediaType: found.mediaType }),
              imageManifestMediaType: found.mediaType,
            },
          ],
          failures: [],
        });
      }
      case "PutImage": {
        const image = images.find((i) => i.digest === input.imageDigest);
        const tag = input.imageTag ?? "";
        if (!image)
          return json(400, { __type: "ImageNotFoundException", message: "stub: PutImage needs the digest of an image in the repository" });
        if (image.tags.includes(tag)) {
          return json(400, {
            __type: "ImageAlreadyExistsException",
            message: `Image with digest '${image.digest}' and tag '${tag}' already exists in the repository`,
          });
        }
        if (this.world.tagMutability === "IMMUTABLE" && images.some((i) => i.tags.includes(tag))) {
          return json(400, {
            __type: "ImageTagAlreadyExistsException",
            message: `The image tag '${tag}' already exists in the repository and cannot be overwritten because the tag is immutable.`,
          });
        }
        this.moveTag(tag);
        image.tags.push(tag);
        return json(200, {
          image: {
            repositoryName: input.repositoryName,
            imageId: { imageDigest: image.digest, imageTag: tag },
            imageManifestMediaType: image.mediaType,
          },
        });
      }
      case "BatchDeleteImage": {
        const deleted: unknown[] = [];
        const failures: unknown[] = [];
        for (const id of input.imageIds ?? []) {
          const found = find(id);
          if (!found) {
            failures.push({ imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" });
            continue;
          }
          // By digest: the image goes. By tag: just the tag, unless it was the image's last one.
          if (!id.imageDigest) found.tags = found.tags.filter((t) => t !== id.imageTag);
          if (id.imageDigest || found.tags.length === 0) this.ecrImages.delete(found.digest);
          deleted.push({ imageDigest: found.digest, imageTag: id.imageTag });
        }
        return json(200, { imageIds: deleted, failures });
      }
    }
    json(400, { __type: "UnknownOperationException", message: `stub: ecr ${operation} is not implemented` });
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse) {
    // The SigV4 credential scope names the service: Credential=<key>/<date>/<region>/<service>/aws4_request
    const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? "unknown";
    const target = String(req.headers["x-amz-target"] ?? "");
    const url = new URL(req.url ?? "/", "http://stub");
    const operation = target ? target.split(".").pop()! : `${req.method} ${url.pathname}${url.search}`;
    const region = /Credential=[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? "unknown";
    const call: StubCall = { service, region, operation, body, path: url.pathname };
    if (service === "sts") call.operation = new URLSearchParams(body).get("Action") ?? "?";
    if (service === "s3") call.operation = s3Operation(req.method ?? "", url);
    if (service === "lambda") call.operation = lambdaOperation(url.pathname);
    if (service === "route53" && /\/hostedzone\/[^/]+$/.test(url.pathname)) call.operation = "GetHostedZone";
    if (service === "apigateway") call.operation = apigatewayOperation(req.method ?? "", url.pathname);
    this.calls.push(call);

    const json = (status: number, value: unknown, type = "application/x-amz-json-1.1") => {
      res.writeHead(status, { "content-type": type, "x-amzn-requestid": "stub" });
      res.end(JSON.stringify(value));
    };
    const xml = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": "stub" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
    };
    const xmlStatus = xml;

    const op = `${service}:${call.operation}`;
    const nth = this.calls.filter((c) => `${c.service}:${c.operation}` === op).length;
    const failing = this.world.failOnce.findIndex((f) => f === op || f === `${op}@${nth}`);
    if (failing >= 0) {
      this.world.failOnce.splice(failing, 1);
      res.writeHead(500, { "content-type": "application/json", "x-amzn-requestid": "stub", "x-amzn-errortype": "ServiceException" });
      return void res.end(JSON.stringify({ __type: "ServiceException", message: "stub: failing once" }));
    }

    if (service === "sts") {
      if (!this.world.credentialsValid) {
        return xml(
          403,
          `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>stub</RequestId></ErrorResponse>`,
        );
      }
      return xml(
        200,
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/deployer</Arn><UserId>AIDASTUB</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    }
    if (service === "ecr") return this.ecr(call.operation, JSON.parse(body || "{}") as EcrInput, json);
    if (service === "dynamodb") {
      const input = JSON.parse(body || "{}") as { TableName?: string };
      const items = this.world.tableItems[input.TableName ?? ""];
      const type = "application/x-amz-json-1.0";
      if (items === undefined)
        return json(
          400,
          { __type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", message: "Requested resource not found" },
          type,
        );
      if (call.operation === "DescribeTable") return json(200, { Table: { TableName: input.TableName, TableStatus: "ACTIVE" } }, type);
      if (call.operation === "Scan") return json(200, { Count: Math.min(items, 1), ScannedCount: Math.min(items, 1) }, type);
      if (call.operation === "UpdateTable")
        return json(200, { TableDescription: { TableName: input.TableName, DeletionProtectionEnabled: false } }, type);
    }
    if (service === "lambda") {
      const restJson = (status: number, value: unknown, errorType?: string) => {
        res.writeHead(status, {
          "content-type": "application/json",
          "x-amzn-requestid": "stub",
          ...(errorType ? { "x-amzn-errortype": errorType } : {}),
        });
        res.end(JSON.stringify(value));
      };
      if (call.operation === "GetAccountSettings") {
        const a = this.world.lambdaAccount;
        return restJson(200, {
          AccountLimit: {
            ConcurrentExecutions: a.concurrentExecutions,
            UnreservedConcurrentExecutions: a.unreservedConcurrentExecutions,
            CodeSizeUnzipped: 262144000,
            CodeSizeZipped: 52428800,
            TotalCodeSize: 80530636800,
          },
          AccountUsage: { FunctionCount: Object.keys(this.world.functionReservations).length, TotalCodeSize: 0 },
        });
      }
      if (call.operation.startsWith("GetFunction ")) {
        const name = decodeURIComponent(call.operation.slice("GetFunction ".length));
        if (!this.world.unmanaged.functions.includes(name) && this.world.functionReservations[name] === undefined)
          return restJson(404, { Type: "User", Message: `Function not found: ${name}` }, "ResourceNotFoundException");
        return restJson(200, { Configuration: { FunctionName: name } });
      }
      if (call.operation.startsWith("GetFunctionConcurrency ")) {
        const name = decodeURIComponent(call.operation.slice("GetFunctionConcurrency ".length));
        const reserved = this.world.functionReservations[name];
        if (reserved === undefined)
          return restJson(404, { Type: "User", Message: `Function not found: ${name}` }, "ResourceNotFoundException");
        return restJson(200, reserved ? { ReservedConcurrentExecutions: reserved } : {});
      }
    }
    if (service === "budgets" && call.operation === "DescribeBudgets") {
      if (!this.world.budgetsAllowed) {
        return json(400, {
          __type: "AccessDeniedException",
          Message: `User: arn:aws:iam::${ACCOUNT}:user/deployer is not authorized to perform: budgets:ViewBudget on resource: arn:aws:budgets::${ACCOUNT}:budget/*`,
        });
      }
      return json(200, { Budgets: [] });
    }
    if (service === "route53" && call.operation === "GetHostedZone") {
      const index = Number(/\/hostedzone\/Z(\d+)$/.exec(url.pathname)?.[1] ?? -1);
      const zone = this.world.hostedZones[index];
      if (!zone)
        return xml(
          404,
          `<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found</Message></Error></ErrorResponse>`,
        );
      const servers = (zone.nameServers ?? []).map((n) => `<NameServer>${n}</NameServer>`).join("");
      return xml(
        200,
        `<GetHostedZoneResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZone><Id>/hostedzone/Z${index}</Id><Name>${zone.name}.</Name><CallerReference>r${index}</CallerReference><Config><PrivateZone>${zone.private}</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone><DelegationSet><NameServers>${servers}</NameServers></DelegationSet></GetHostedZoneResponse>`,
      );
    }
    if (service === "route53" && url.pathname.endsWith("/hostedzonesbyname")) {
      const zones = this.world.hostedZones
        .map(
          (z, i) =>
            `<HostedZone><Id>/hostedzone/Z${i}</Id><Name>${z.name}.</Name><CallerReference>r${i}</CallerReference><Config><PrivateZone>${z.private}</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone>`,
        )
        .join("");
      return xml(
        200,
        `<ListHostedZonesByNameResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones>${zones}</HostedZones><IsTruncated>false</IsTruncated><MaxItems>10</MaxItems></ListHostedZonesByNameResponse>`,
      );
    }
    if (service === "s3") {
      const bucket = url.pathname.split("/")[1] ?? "";
      const key = decodeURIComponent(url.pathname.split("/").slice(2).join("/"));
      const s3Error = (status: number, code: string, message: string) =>
        xmlStatus(status, `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>stub</RequestId></Error>`);
      const known = this.world.buckets[bucket];
      switch (call.operation) {
        case "ListBuckets": {
          const prefix = url.searchParams.get("prefix") ?? "";
          const listed = Object.entries(this.world.buckets)
            .filter(([name, b]) => name.startsWith(prefix) && b.owner !== "other")
            .map(
              ([name, b]) =>
                `<Bucket><Name>${name}</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate>${b.region ? `<BucketRegion>${b.region}</BucketRegion>` : ""}</Bucket>`,
            )
            .join("");
          return xml(
            200,
            `<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Buckets>${listed}</Buckets></ListAllMyBucketsResult>`,
          );
        }
        case "HeadBucket":
          res.writeHead(!known ? 404 : known.owner === "other" ? 403 : 200, { "x-amzn-requestid": "stub" });
          return void res.end();
        case "CreateBucket":
          if (known) return s3Error(409, "BucketAlreadyExists", "The requested bucket name is not available.");
          this.world.buckets[bucket] = { versioning: false, region };
          break;
        case "GetBucketVersioning":
          return xml(
            200,
            `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${known?.versioning ? "<Status>Enabled</Status>" : ""}</VersioningConfiguration>`,
          );
        case "PutBucketVersioning":
          if (known) known.versioning = body.includes("<Status>Enabled</Status>");
          break;
        case "GetObject": {
          const text = this.world.objects[`${bucket}/${key}`];
          if (text === undefined) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
          res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "stub" });
          return void res.end(text);
        }
        case "PutObject":
          if (!known) return s3Error(404, "NoSuchBucket", "The specified bucket does not exist");
          if (req.headers["if-none-match"] === "*" && this.world.objects[`${bucket}/${key}`] !== undefined)
            return s3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
          this.world.objects[`${bucket}/${key}`] = body;
          break;
        case "DeleteObject":
          delete this.world.objects[`${bucket}/${key}`];
          res.writeHead(204, { "x-amzn-requestid": "stub" });
          return void res.end();
      }
      if (call.operation === "ListObjectVersions") {
        const entries = (this.world.bucketVersions[bucket] ?? [])
          .map((v) =>
            v.deleteMarker
              ? `<DeleteMarker><Key>${v.key}</Key><VersionId>${v.versionId}</VersionId><IsLatest>true</IsLatest></DeleteMarker>`
              : `<Version><Key>${v.key}</Key><VersionId>${v.versionId}</VersionId><IsLatest>true</IsLatest></Version>`,
          )
          .join("");
        return xml(
          200,
          `<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><IsTruncated>false</IsTruncated>${entries}</ListVersionsResult>`,
        );
      }
      if (call.operation === "DeleteObjects") {
        const deleted = [...body.matchAll(/<Key>([^<]*)<\/Key>\s*<VersionId>([^<]*)<\/VersionId>/g)].map((m) => `${m[1]}@${m[2]}`);
        this.world.bucketVersions[bucket] = (this.world.bucketVersions[bucket] ?? []).filter(
          (v) => !deleted.includes(`${v.key}@${v.versionId}`),
        );
        return xml(200, `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>`);
      }
      res.writeHead(200, { "x-amzn-requestid": "stub" });
      return void res.end();
    }
    if (service === "logs") {
      if (!this.world.credentialsValid)
        return json(400, { __type: "UnrecognizedClientException", message: "The security token included in the request is invalid." });
      if (call.operation === "FilterLogEvents") {
        const input = JSON.parse(body || "{}") as {
          logGroupName: string;
          startTime?: number;
          endTime?: number;
          filterPattern?: string;
          nextToken?: string;
        };
        const events = this.world.logGroups[input.logGroupName];
        if (!events) return json(400, { __type: "ResourceNotFoundException", message: "The specified log group does not exist." });
        // Plain quoted terms only: the commands pass text as one quoted term.
        const term = input.filterPattern?.replace(/^"(.*)"$/, "$1").replace(/\\"/g, '"');
        const matching = events
          .map((e, i) => ({
            ...e,
            eventId: e.eventId ?? `${input.logGroupName}#${i}`,
            logStreamName: e.logStreamName ?? "2026/11/30/[$LATEST]stub",
          }))
          .filter(
            (e) =>
              (input.startTime === undefined || e.timestamp >= input.startTime) &&
              (input.endTime === undefined || e.timestamp <= input.endTime),
          )
          .filter((e) => !term || e.message.includes(term))
          .sort((a, b) => a.timestamp - b.timestamp);
        const from = Number(input.nextToken ?? 0);
        const page = matching.slice(from, from + this.world.logsPageSize);
        const next = from + page.length < matching.length ? String(from + page.length) : undefined;
        return json(200, {
          events: page.map((e) => ({ ...e, ingestionTime: e.timestamp })),
          searchedLogStreams: [],
          ...(next ? { nextToken: next } : {}),
        });
      }
    }
    if (service === "monitoring") {
      const type = "application/x-amz-json-1.0";
      if (!this.world.credentialsValid)
        return json(400, { __type: "InvalidClientTokenId", message: "The security token included in the request is invalid." }, type);
      if (call.operation === "DescribeAlarms") {
        const input = JSON.parse(body || "{}") as { AlarmNames?: string[]; AlarmNamePrefix?: string };
        const alarms = (this.world.alarms[region] ?? []).filter(
          (a) =>
            (!input.AlarmNames || input.AlarmNames.includes(a.AlarmName)) &&
            (!input.AlarmNamePrefix || a.AlarmName.startsWith(input.AlarmNamePrefix)),
        );
        return json(
          200,
          {
            MetricAlarms: alarms.map((a) => ({ ...a, StateUpdatedTimestamp: (a.StateUpdatedTimestamp ?? Date.now()) / 1000 })),
            CompositeAlarms: [],
          },
          type,
        );
      }
    }
    if (service === "apigateway") return this.apigateway(call.operation, url.pathname, body, res);
    json(400, { __type: "UnknownOperationException", message: `stub: ${service} ${call.operation} is not implemented` });
  }

  /** API Gateway v2 (REST-JSON): GetApis, GetStage, UpdateStage (route settings merge by key). */
  private apigateway(operation: string, path: string, body: string, res: ServerResponse) {
    const send = (status: number, value: unknown, errorType?: string) => {
      res.writeHead(status, {
        "content-type": "application/json",
        "x-amzn-requestid": "stub",
        ...(errorType ? { "x-amzn-errortype": errorType } : {}),
      });
      res.end(JSON.stringify(value));
    };
    if (!this.world.credentialsValid)
      return send(403, { message: "The security token included in the request is invalid." }, "UnrecognizedClientException");
    if (operation === "GetApis") {
      return send(200, { items: Object.entries(this.world.apis).map(([apiId, a]) => ({ apiId, name: a.name, protocolType: "HTTP" })) });
    }
    const [, apiId = "", stageName = ""] = /^\/v2\/apis\/([^/]+)\/stages\/([^/]+)$/.exec(path) ?? [];
    const stage = this.world.apis[apiId]?.stages[decodeURIComponent(stageName)];
    if (!stage) return send(404, { message: `Invalid stage identifier specified`, resourceType: "Stage" }, "NotFoundException");
    const view = () => ({ stageName: decodeURIComponent(stageName), ...structuredClone(stage) });
    if (operation === "GetStage") return send(200, view());
    if (operation === "UpdateStage") {
      const input = JSON.parse(body || "{}") as Partial<StubStage>;
      if (input.defaultRouteSettings) stage.defaultRouteSettings = { ...stage.defaultRouteSettings, ...input.defaultRouteSettings };
      for (const [key, settings] of Object.entries(input.routeSettings ?? {})) {
        stage.routeSettings[key] = { ...stage.routeSettings[key], ...settings };
      }
      return send(200, view());
    }
    send(400, { message: `stub: apigateway ${operation} is not implemented` }, "BadRequestException");
  }
}

/** The API Gateway v2 operation a REST request stands for. */
function apigatewayOperation(method: string, path: string): string {
  if (method === "GET" && /^\/v2\/apis\/?$/.test(path)) return "GetApis";
  if (/^\/v2\/apis\/[^/]+\/stages\/[^/]+$/.test(path)) return method === "PATCH" ? "UpdateStage" : method === "GET" ? "GetStage" : method;
  return `${method} ${path}`;
}

interface EcrInput {
  repositoryName?: string;
  repositoryNames?: string[];
  imageIds?: { imageTag?: string; imageDigest?: string }[];
  imageTag?: string;
  imageDigest?: string;
  filter?: { tagStatus?: string };
}

/** The Lambda operation a REST path stands for ("GetFunctionConcurrency <name>" carries the function). */
function lambdaOperation(path: string): string {
  if (/\/account-settings\/?$/.test(path)) return "GetAccountSettings";
  const fn = /\/functions\/([^/]+)\/concurrency$/.exec(path);
  if (fn) return `GetFunctionConcurrency ${fn[1]}`;
  const get = /\/functions\/([^/]+)\/?$/.exec(path);
  return get ? `GetFunction ${get[1]}` : `GET ${path}`;
}

/** The S3 operation a REST request stands for (by method and sub-resource). */
function s3Operation(method: string, url: URL): string {
  const sub = ["versions", "delete", "versioning", "encryption", "publicAccessBlock", "ownershipControls", "policy"].find((s) =>
    url.searchParams.has(s),
  );
  // Path style: /<bucket>/<key...>; a key makes it an object operation.
  const hasKey = url.pathname.split("/").slice(2).join("/") !== "";
  if (hasKey && !sub) {
    const objectOps: Record<string, string> = { GET: "GetObject", PUT: "PutObject", DELETE: "DeleteObject", HEAD: "HeadObject" };
    if (objectOps[method]) return objectOps[method];
  }
  if (method === "HEAD") return "HeadBucket";
  if (method === "GET" && url.pathname.replace(/\/+$/, "") === "") return "ListBuckets";
  const names: Record<string, string> = {
    "GET versions": "ListObjectVersions",
    "POST delete": "DeleteObjects",
    "PUT versioning": "PutBucketVersioning",
    "GET versioning": "GetBucketVersioning",
    "PUT encryption": "PutBucketEncryption",
    "PUT publicAccessBlock": "PutPublicAccessBlock",
    "PUT ownershipControls": "PutBucketOwnershipControls",
    "PUT policy": "PutBucketPolicy",
    "PUT none": "CreateBucket",
  };
  return names[`${method} ${sub ?? "none"}`] ?? `${method} ${url.pathname}${url.search}`;
}
