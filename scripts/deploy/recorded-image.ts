/**
 * diff and destroy synthesize the app stack against the image the last deploy recorded, and the
 * app stack resolves that tag to a digest at plan time (data.aws_ecr_image). When the tag is gone
 * (deleted by hand, or expired before deploys protected the running image), that lookup fails.
 * This finds what to plan against instead: the same image under another tag (the deployed-
 * marker), or, when the image itself is gone, says so: diff does not plan the app stack (a plan
 * against another image would show a change the config did not make) and destroy skips the
 * refresh that would read the lookup (a destroy plan reads no data sources without it:
 * https://github.com/hashicorp/terraform/pull/27408).
 */
import { DEPLOYED_TAG_PREFIX } from "./deployed-marker.js";
import { describeImage, type EcrImage } from "./ecr-images.js";
import { PROJECT_PATHS } from "./project.js";
import { readRecord } from "./record.js";
import type { Session } from "./session.js";

export type RecordedImage =
  /** No deploy recorded (or APP_IMAGE_TAG given): plan against `tag` as is (undefined: the newest image). */
  | { status: "unchecked"; tag?: string; source: string }
  /** The recorded image is in the repository; `tag` names it (the recorded tag, or another tag of the same digest). */
  | { status: "present"; tag: string; recordedTag: string; source: string }
  /** Neither the recorded tag nor its digest is in the repository any more. */
  | { status: "gone"; tag: string; digest: string; repository: string };

/** The image diff/destroy should synthesize the app stack with. */
export async function recordedImage(session: Session): Promise<RecordedImage> {
  const { project, stage, runner } = session;
  if (project.env.APP_IMAGE_TAG) return { status: "unchecked", tag: project.env.APP_IMAGE_TAG, source: "APP_IMAGE_TAG" };
  const record = readRecord(project.path(PROJECT_PATHS.deployDir), stage.config.stage);
  const repository = record?.stacks?.[stage.ids.registry]?.repository_name;
  if (!record?.image?.tag) return { status: "unchecked", source: `no deploy recorded in ${PROJECT_PATHS.deployDir}/` };
  if (typeof repository !== "string")
    return { status: "unchecked", tag: record.image.tag, source: `the last deploy's, from ${PROJECT_PATHS.deployDir}/` };
  const { tag, digest } = record.image;

  const found = await runner.act({
    title: `check that the deployed image ${tag} is still in ${repository}`,
    action: `AWS ECR DescribeImages (repository ${repository}, tag ${tag}; else digest ${digest})`,
    hint: "check that your credentials may call ecr:DescribeImages on the repository",
    dryRunValue: { digest, tags: [tag] } as EcrImage | undefined,
    run: async () =>
      (await describeImage(record.region, repository, { tag })) ?? (await describeImage(record.region, repository, { digest })),
    summary: (image) =>
      !image
        ? "gone: neither the tag nor its digest is in the repository"
        : image.tags.includes(tag)
          ? "present"
          : `tag gone; the image is still there as ${image.tags.join(", ") || "an untagged image"}`,
  });
  if (!found) return { status: "gone", tag, digest, repository };
  if (found.tags.includes(tag))
    return { status: "present", tag, recordedTag: tag, source: `the last deploy's, from ${PROJECT_PATHS.deployDir}/` };
  const other = found.tags.find((t) => t.startsWith(DEPLOYED_TAG_PREFIX)) ?? found.tags[0];
  if (!other) return { status: "gone", tag, digest, repository }; // untagged: data.aws_ecr_image needs a tag
  return { status: "present", tag: other, recordedTag: tag, source: `the deployed image ${digest}; its tag ${tag} is gone` };
}
