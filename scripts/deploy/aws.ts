/**
 * The AWS API calls the deploy makes itself, through the SDK's default credential chain and the
 * standard endpoint variables (AWS_ENDPOINT_URL_<SERVICE>), so nothing here knows where it points.
 */
import { DynamoDBClient, ScanCommand, UpdateTableCommand } from "@aws-sdk/client-dynamodb";
import {
  BatchDeleteImageCommand,
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  paginateListImages,
} from "@aws-sdk/client-ecr";
import { ListHostedZonesByNameCommand, Route53Client } from "@aws-sdk/client-route-53";
import { DeleteObjectsCommand, ListObjectVersionsCommand, type ObjectIdentifier, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

/** Runs one use of an SDK client and frees it. */
export async function using<C extends { destroy(): void }, T>(client: C, use: (client: C) => Promise<T>): Promise<T> {
  try {
    return await use(client);
  } finally {
    client.destroy(); // frees keep-alive sockets so the CLI exits promptly
  }
}

/** Whether an SDK error has one of these names (e.g. AccessDeniedException). */
export const isNamed = (err: unknown, ...names: string[]) => err instanceof Error && names.includes(err.name);

export async function callerIdentity(region: string): Promise<{ account: string; arn: string }> {
  return using(new STSClient({ region }), async (sts) => {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    return { account: id.Account ?? "", arn: id.Arn ?? "" };
  });
}

/** A registry login: host name for `docker login` and the decoded password. */
export async function ecrLogin(region: string): Promise<{ registry: string; password: string }> {
  return using(new ECRClient({ region }), async (ecr) => {
    const data = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint) throw new Error("ECR returned no authorization data");
    const [user, password] = Buffer.from(data.authorizationToken, "base64").toString("utf8").split(":", 2);
    if (user !== "AWS" || !password) throw new Error("ECR returned an authorization token in an unexpected form");
    return { registry: data.proxyEndpoint.replace(/^https?:\/\//, ""), password };
  });
}

/** The digest of `<repository>:<tag>`, or undefined when the repository has no such tag. */
export async function imageDigest(region: string, repositoryName: string, tag: string): Promise<string | undefined> {
  return using(new ECRClient({ region }), async (ecr) => {
    try {
      const found = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }));
      return found.imageDetails?.[0]?.imageDigest;
    } catch (err) {
      if (isNamed(err, "ImageNotFoundException")) return undefined;
      throw err;
    }
  });
}

/** Deletes every image (by digest) so the repository can be destroyed; returns how many. */
export async function emptyRepository(region: string, repositoryName: string): Promise<number> {
  return using(new ECRClient({ region }), async (ecr) => {
    const digests = new Set<string>();
    try {
      for await (const page of paginateListImages({ client: ecr }, { repositoryName })) {
        for (const id of page.imageIds ?? []) if (id.imageDigest) digests.add(id.imageDigest);
      }
    } catch (err) {
      if (isNamed(err, "RepositoryNotFoundException")) return 0;
      throw err;
    }
    const all = [...digests];
    for (let i = 0; i < all.length; i += 100) {
      const batch = all.slice(i, i + 100).map((imageDigest) => ({ imageDigest }));
      const result = await ecr.send(new BatchDeleteImageCommand({ repositoryName, imageIds: batch }));
      const failures = (result.failures ?? []).filter((f) => f.failureCode !== "ImageNotFound");
      if (failures.length) throw new Error(`ECR could not delete ${failures.length} image(s): ${failures[0]?.failureReason}`);
    }
    return all.length;
  });
}

/** Whether the account has a public hosted zone for exactly this domain. */
export async function hasPublicHostedZone(domain: string): Promise<boolean> {
  return using(new Route53Client({ region: "us-east-1" }), async (route53) => {
    const zones = await route53.send(new ListHostedZonesByNameCommand({ DNSName: domain, MaxItems: 10 }));
    return (zones.HostedZones ?? []).some((z) => z.Name === `${domain}.` && !z.Config?.PrivateZone);
  });
}

/** Whether the table holds at least one item; undefined when it does not exist. */
export async function tableHasItems(region: string, tableName: string): Promise<boolean | undefined> {
  return using(new DynamoDBClient({ region }), async (ddb) => {
    try {
      const page = await ddb.send(new ScanCommand({ TableName: tableName, Limit: 1, Select: "COUNT" }));
      return (page.Count ?? 0) > 0 || page.LastEvaluatedKey !== undefined;
    } catch (err) {
      if (isNamed(err, "ResourceNotFoundException")) return undefined;
      throw err;
    }
  });
}

/** Lets terraform delete a protected table (only ever after the user said --force). */
export async function disableDeletionProtection(region: string, tableName: string): Promise<void> {
  await using(new DynamoDBClient({ region }), async (ddb) => {
    try {
      await ddb.send(new UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: false }));
    } catch (err) {
      if (!isNamed(err, "ResourceNotFoundException")) throw err;
    }
  });
}

const s3Client = (region: string) => new S3Client({ region, followRegionRedirects: true });

/** Deletes every object version and delete marker of a versioned bucket; returns how many. */
export async function emptyBucket(region: string, bucket: string): Promise<number> {
  return using(s3Client(region), async (s3) => {
    let deleted = 0;
    try {
      let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
      for (;;) {
        const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, ...markers }));
        const ids: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
          .filter((v) => v.Key !== undefined)
          .map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
        for (let i = 0; i < ids.length; i += 1000) {
          const batch = ids.slice(i, i + 1000);
          const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
          if (result.Errors?.length) {
            const first = result.Errors[0]!;
            throw new Error(
              `S3 could not delete ${result.Errors.length} object version(s), e.g. ${first.Key}: ${first.Code} ${first.Message}`,
            );
          }
          deleted += batch.length;
        }
        if (!page.IsTruncated) break;
        markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
      }
    } catch (err) {
      if (isNamed(err, "NoSuchBucket")) return deleted;
      throw err;
    }
    return deleted;
  });
}
