/**
 * Keeps the image a stage runs out of reach of the repository's lifecycle policy. Before the app
 * stack points the function at an image, that image gets a second tag `deployed-<tag>` (ECR retag:
 * the same manifest put again under the new tag). The policy's top-priority rule selects the
 * `deployed-` prefix and keeps those images, and ECR documents that an image matched by a
 * higher-priority rule's tag selection cannot be expired by a lower-priority rule
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html). So pushes that
 * never reach a successful deploy can no longer push the running image out of "keep the last N".
 * After the app stack is applied, earlier images lose their marker (their own tags stay) and fall
 * back under the count rule.
 */
import { addTag, listTaggedImages, removeTags } from "./ecr-images.js";
import type { DeployImage, Repository } from "./image.js";
import type { Session } from "./session.js";

/** The tag prefix the lifecycle policy keeps (modules/ecr.ts selects it). */
export const DEPLOYED_TAG_PREFIX = "deployed-";

export const deployedTag = (tag: string) => `${DEPLOYED_TAG_PREFIX}${tag}`;

/** Marks the image as deployed before anything may start running it. */
export async function protectImage(session: Session, repo: Repository, image: DeployImage): Promise<void> {
  const marker = deployedTag(image.tag);
  await session.runner.act({
    title: `protect ${image.tag} from the lifecycle policy (tag ${marker})`,
    action: `AWS ECR BatchGetImage + PutImage (repository ${repo.name}, same manifest as ${image.tag}, tag ${marker})`,
    hint: "check that your credentials may call ecr:BatchGetImage and ecr:PutImage on the repository; nothing after the registry stack was changed",
    dryRunValue: "added" as const,
    run: async () => (image.tags.includes(marker) ? "already" : addTag(repo.region, repo.name, image.tag, marker)),
    summary: (outcome) => (outcome === "already" ? "already marked" : "marked"),
  });
}

/** After the app stack runs `image`: earlier deployed images lose their marker (never their own tags). */
export async function releaseEarlierImages(session: Session, repo: Repository, image: DeployImage): Promise<void> {
  const keep = deployedTag(image.tag);
  await session.runner.act({
    title: "let the lifecycle policy expire earlier deployed images",
    action: `AWS ECR DescribeImages + BatchDeleteImage (repository ${repo.name}, tags ${DEPLOYED_TAG_PREFIX}* other than ${keep}; the images keep their own tags)`,
    hint: "never fails the deploy: an old marker only keeps an old image a while longer",
    dryRunValue: { removed: 0 } as { removed: number } | { error: string },
    run: async () => {
      // Best effort: a marker left behind only keeps an old image a while longer; never fail a finished deploy on it.
      try {
        const images = await listTaggedImages(repo.region, repo.name);
        const stale = images.flatMap((i) => i.tags).filter((t) => t.startsWith(DEPLOYED_TAG_PREFIX) && t !== keep);
        return { removed: await removeTags(repo.region, repo.name, stale) };
      } catch (err) {
        return { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
      }
    },
    summary: (r) =>
      "error" in r
        ? `could not release them (${r.error}); the next deploy tries again`
        : r.removed
          ? `${r.removed} marker(s) removed`
          : "none to release",
  });
}
