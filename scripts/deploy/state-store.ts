/**
 * The S3 calls behind shared state: the state bucket itself (find, create, secure) and the small
 * objects the deploy keeps beside the state (its records and the stage lock). Through the SDK's
 * default credential chain and AWS_ENDPOINT_URL_S3, like aws.ts.
 */
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { isNamed, using } from "./aws.js";

const s3Client = (region: string) => new S3Client({ region, followRegionRedirects: true });

/** The HTTP status of an SDK error (HeadBucket errors carry no body, so no name beyond "NotFound"/"Forbidden"). */
const statusOf = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/**
 * Whether the bucket exists and this identity may use it. HeadBucket answers 404 for no such bucket and
 * 403 for a bucket that exists but is not ours to use (another account's, or no permission):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 */
export async function bucketStatus(region: string, bucket: string, account?: string): Promise<"ours" | "missing" | "forbidden"> {
  return using(s3Client(region), async (s3) => {
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket, ExpectedBucketOwner: account }));
      return "ours";
    } catch (err) {
      if (statusOf(err) === 404 || isNamed(err, "NotFound", "NoSuchBucket")) return "missing";
      if (statusOf(err) === 403 || isNamed(err, "Forbidden", "AccessDenied")) return "forbidden";
      throw err;
    }
  });
}

/** This account's buckets whose names start with `prefix`, with their regions (ListBuckets, Prefix filter). */
export async function bucketsNamed(prefix: string): Promise<{ name: string; region?: string }[]> {
  return using(s3Client("us-east-1"), async (s3) => {
    const found: { name: string; region?: string }[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListBucketsCommand({ Prefix: prefix, ContinuationToken: token, MaxBuckets: 1000 }));
      for (const b of page.Buckets ?? []) if (b.Name) found.push({ name: b.Name, region: b.BucketRegion });
      token = page.ContinuationToken;
    } while (token);
    return found;
  });
}

/** The state bucket's policy: refuse any request not made over TLS. */
export function tlsOnlyPolicy(bucket: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

export type EnsureOutcome = "created" | "reused" | "repaired";

/**
 * Creates the state bucket, or reuses it: private (all four public-access blocks), owner-enforced, SSE-S3,
 * versioned (state history), TLS-only. HeadBucket comes first because CreateBucket on a bucket we
 * already own answers 200 OK in us-east-1 (and resets its ACLs) instead of BucketAlreadyOwnedByYou
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html). A reused bucket keeps its
 * settings (a team may have added to its policy); only one without versioning, e.g. left half-made by
 * an interrupted first deploy, gets them all again.
 */
export async function ensureStateBucket(
  region: string,
  bucket: string,
  account: string,
  known?: Awaited<ReturnType<typeof bucketStatus>>,
): Promise<EnsureOutcome> {
  const status = known ?? (await bucketStatus(region, bucket, account));
  if (status === "forbidden") {
    throw new Error(`the bucket ${bucket} exists but account ${account} may not use it (HeadBucket answered 403)`);
  }
  return using(s3Client(region), async (s3) => {
    if (status === "ours") {
      const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket, ExpectedBucketOwner: account }));
      if (versioning.Status === "Enabled") return "reused";
    } else {
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ObjectOwnership: "BucketOwnerEnforced",
          // us-east-1 is the one region that refuses an explicit location constraint
          CreateBucketConfiguration: region === "us-east-1" ? undefined : { LocationConstraint: region as BucketLocationConstraint },
        }),
      );
    }
    const owner = { Bucket: bucket, ExpectedBucketOwner: account };
    await s3.send(
      new PutPublicAccessBlockCommand({
        ...owner,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    await s3.send(
      new PutBucketOwnershipControlsCommand({ ...owner, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } }),
    );
    await s3.send(
      new PutBucketEncryptionCommand({
        ...owner,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] },
      }),
    );
    await s3.send(new PutBucketVersioningCommand({ ...owner, VersioningConfiguration: { Status: "Enabled" } }));
    await s3.send(new PutBucketPolicyCommand({ ...owner, Policy: tlsOnlyPolicy(bucket) }));
    return status === "ours" ? "repaired" : "created";
  });
}

/** An object's text, or undefined when there is no such key. */
export async function getText(region: string, bucket: string, key: string): Promise<string | undefined> {
  return using(s3Client(region), async (s3) => {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await object.Body?.transformToString("utf8");
    } catch (err) {
      if (isNamed(err, "NoSuchKey", "NotFound")) return undefined;
      throw err;
    }
  });
}

export async function putText(region: string, bucket: string, key: string, text: string): Promise<void> {
  await using(s3Client(region), (s3) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: "application/json" })),
  );
}

/**
 * Writes the object only if the key is free: S3 conditional writes (If-None-Match: *) answer 412
 * PreconditionFailed when it exists (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html),
 * the same mechanism Terraform's use_lockfile relies on. Returns false when the key was taken.
 */
export async function putTextIfAbsent(region: string, bucket: string, key: string, text: string): Promise<boolean> {
  return using(s3Client(region), async (s3) => {
    try {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: "application/json", IfNoneMatch: "*" }));
      return true;
    } catch (err) {
      // 409 ConditionalRequestConflict: another writer raced us to the same key; it holds it now.
      if (statusOf(err) === 412 || statusOf(err) === 409 || isNamed(err, "PreconditionFailed", "ConditionalRequestConflict")) return false;
      throw err;
    }
  });
}

export async function deleteKey(region: string, bucket: string, key: string): Promise<void> {
  await using(s3Client(region), (s3) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
}
