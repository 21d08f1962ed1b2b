/**
 * The ECR calls about images the deploy makes itself (SDK default credentials, AWS_ENDPOINT_URL_ECR
 * honoured): what a tag holds, the repository's tag mutability, and adding or removing a tag.
 */
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutImageCommand,
  paginateDescribeImages,
} from "@aws-sdk/client-ecr";

/** One image as ECR describes it. */
export interface EcrImage {
  digest: string;
  tags: string[];
  /** DescribeImages `imageManifestMediaType` (what Lambda checks), when ECR reports one. */
  mediaType?: string;
  pushedAt?: Date;
}

async function withEcr<T>(region: string, use: (ecr: ECRClient) => Promise<T>): Promise<T> {
  const ecr = new ECRClient({ region });
  try {
    return await use(ecr);
  } finally {
    ecr.destroy(); // frees keep-alive sockets so the CLI exits promptly
  }
}

const isNamed = (err: unknown, ...names: string[]) => err instanceof Error && names.includes(err.name);

const toImage = (d: { imageDigest?: string; imageTags?: string[]; imageManifestMediaType?: string; imagePushedAt?: Date }): EcrImage => ({
  digest: d.imageDigest ?? "",
  tags: d.imageTags ?? [],
  mediaType: d.imageManifestMediaType,
  pushedAt: d.imagePushedAt,
});

/** The image a tag (or a digest) names, or undefined when there is no such image (or no such repository). */
export async function describeImage(
  region: string,
  repositoryName: string,
  id: { tag: string } | { digest: string },
): Promise<EcrImage | undefined> {
  return withEcr(region, async (ecr) => {
    try {
      const imageId = "tag" in id ? { imageTag: id.tag } : { imageDigest: id.digest };
      const found = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [imageId] }));
      const detail = found.imageDetails?.[0];
      return detail ? toImage(detail) : undefined;
    } catch (err) {
      // A repository deleted by hand (or by a half-finished destroy) holds no images either.
      if (isNamed(err, "ImageNotFoundException", "RepositoryNotFoundException")) return undefined;
      throw err;
    }
  });
}

/** Every tagged image in the repository (a deploy's repository holds a handful: the lifecycle policy sees to that). */
export async function listTaggedImages(region: string, repositoryName: string): Promise<EcrImage[]> {
  return withEcr(region, async (ecr) => {
    const images: EcrImage[] = [];
    for await (const page of paginateDescribeImages({ client: ecr }, { repositoryName, filter: { tagStatus: "TAGGED" } })) {
      for (const detail of page.imageDetails ?? []) images.push(toImage(detail));
    }
    return images;
  });
}

/** The repository's imageTagMutability: MUTABLE, IMMUTABLE, or one of the *_WITH_EXCLUSION variants. */
export async function tagMutability(region: string, repositoryName: string): Promise<string> {
  return withEcr(region, async (ecr) => {
    const found = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }));
    return found.repositories?.[0]?.imageTagMutability ?? "MUTABLE";
  });
}

/**
 * Adds `newTag` to the image `existingTag` names, by putting the same manifest again under the new
 * tag (ECR's documented way to retag: BatchGetImage, then PutImage with that manifest and media
 * type). "added", or "already" when the tag already names this very image.
 */
export async function addTag(region: string, repositoryName: string, existingTag: string, newTag: string): Promise<"added" | "already"> {
  return withEcr(region, async (ecr) => {
    const got = await ecr.send(
      new BatchGetImageCommand({
        repositoryName,
        imageIds: [{ imageTag: existingTag }],
        acceptedMediaTypes: [...LAMBDA_MANIFEST_TYPES, ...MULTI_PLATFORM_TYPES],
      }),
    );
    const image = got.images?.[0];
    if (!image?.imageManifest)
      throw new Error(`ECR returned no manifest for ${repositoryName}:${existingTag}: ${got.failures?.[0]?.failureReason ?? "not found"}`);
    try {
      await ecr.send(
        new PutImageCommand({
          repositoryName,
          imageManifest: image.imageManifest,
          imageManifestMediaType: image.imageManifestMediaType,
          imageDigest: image.imageId?.imageDigest,
          imageTag: newTag,
        }),
      );
      return "added";
    } catch (err) {
      // "already been pushed, and there were no changes to the manifest or image tag": nothing to do.
      if (isNamed(err, "ImageAlreadyExistsException")) return "already";
      throw err;
    }
  });
}

/**
 * Removes tags (never whole images): BatchDeleteImage by tag takes just that tag off an image that
 * has others; only an image's last tag takes the image with it. Returns how many were removed.
 */
export async function removeTags(region: string, repositoryName: string, tags: string[]): Promise<number> {
  if (!tags.length) return 0;
  return withEcr(region, async (ecr) => {
    let removed = 0;
    for (let i = 0; i < tags.length; i += 100) {
      const batch = tags.slice(i, i + 100).map((imageTag) => ({ imageTag }));
      const result = await ecr.send(new BatchDeleteImageCommand({ repositoryName, imageIds: batch }));
      const failures = (result.failures ?? []).filter(
        (f) => f.failureCode !== "ImageNotFound" && f.failureCode !== "ImageTagDoesNotMatchDigest",
      );
      if (failures.length) throw new Error(`ECR could not remove ${failures.length} tag(s): ${failures[0]?.failureReason}`);
      removed += result.imageIds?.length ?? 0;
    }
    return removed;
  });
}

/**
 * The manifest types Lambda runs: one platform, Docker image manifest V2 schema 2 or OCI image
 * manifest. https://docs.aws.amazon.com/lambda/latest/dg/images-create.html
 */
export const LAMBDA_MANIFEST_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
] as const;

/** Manifest lists / image indexes: several platforms or attestations under one tag; Lambda rejects them. */
export const MULTI_PLATFORM_TYPES = [
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
] as const;
