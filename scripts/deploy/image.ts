/**
 * The image step of `npm run deploy`: find the image the current sources make (by content tag) or
 * build and push it, then check its manifest is one Lambda runs. `--rebuild` replaces the image a
 * tag holds: in an immutable repository (ours) that takes a new tag `<tag>-rebuild-<n>`, which later
 * deploys of the same sources then prefer over the original.
 */

import { ecrLogin } from "./aws.js";
import type { ContainerTool } from "./container.js";
import {
  describeImage,
  type EcrImage,
  LAMBDA_MANIFEST_TYPES,
  listTaggedImages,
  MULTI_PLATFORM_TYPES,
  tagMutability,
} from "./ecr-images.js";
import { PROJECT_PATHS } from "./project.js";
import type { Session } from "./session.js";
import { StepProblem } from "./steps.js";

export interface Repository {
  region: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` */
  url: string;
  name: string;
}

/** The image the app stack deploys. */
export interface DeployImage {
  tag: string;
  digest: string;
  mediaType?: string;
  /** Every tag the image has (e.g. its deployed- marker). */
  tags: string[];
}

const REBUILD = /^(.*)-rebuild-(\d+)$/;

/** `<tag>-rebuild-<n>`: the tag --rebuild pushes to in an immutable repository. */
export const rebuildTag = (tag: string, n: number) => `${tag}-rebuild-${n}`;

/** Of the images in the repository, the one to deploy for `tag`: its newest rebuild, else the tag itself. */
export function newestFor(tag: string, images: EcrImage[]): { tag: string; image: EcrImage; rebuilds: number } | undefined {
  let best: { tag: string; image: EcrImage; rebuilds: number } | undefined;
  for (const image of images) {
    for (const t of image.tags) {
      const m = REBUILD.exec(t);
      const n = t === tag ? 0 : m && m[1] === tag ? Number(m[2]) : -1;
      if (n >= 0 && (!best || n > best.rebuilds)) best = { tag: t, image, rebuilds: n };
    }
  }
  return best;
}

/** Why a manifest type is refused, or undefined when Lambda runs it. */
export function manifestProblem(mediaType: string | undefined): string | undefined {
  if (mediaType && (LAMBDA_MANIFEST_TYPES as readonly string[]).includes(mediaType)) return undefined;
  if (mediaType && (MULTI_PLATFORM_TYPES as readonly string[]).includes(mediaType)) {
    return (
      `its manifest is a ${mediaType} (a manifest list / image index: several platforms, or an image plus ` +
      "attestations, under one tag). Lambda runs only a single-platform image and refuses this one when the function is created or updated"
    );
  }
  return `its manifest media type is ${mediaType ?? "not reported by ECR"}; Lambda runs only ${LAMBDA_MANIFEST_TYPES.join(" or ")}`;
}

export interface ImageOptions {
  /** Build and push again even though the tag is in the repository. @default false */
  rebuild?: boolean;
}

/** Finds or builds the image for `tag`, checks its manifest, and returns what the app stack should run. */
export async function provideImage(
  session: Session,
  container: ContainerTool,
  repo: Repository,
  tag: string,
  options: ImageOptions,
): Promise<DeployImage> {
  const { runner } = session;
  const { region, name } = repo;

  let mutable = false;
  if (options.rebuild) {
    const mutability = await runner.act({
      title: `check whether ${name} allows a tag to be replaced (--rebuild)`,
      action: `AWS ECR DescribeRepositories (repository ${name}): imageTagMutability`,
      hint: "check that your credentials may call ecr:DescribeRepositories",
      dryRunValue: "IMMUTABLE",
      run: () => tagMutability(region, name),
      summary: (m) => (m === "MUTABLE" ? "MUTABLE: the rebuilt image replaces the tag" : `${m}: the rebuilt image gets a new tag`),
    });
    // Anything but plain MUTABLE (IMMUTABLE, or a *_WITH_EXCLUSION variant) may refuse the push: use a new tag.
    mutable = mutability === "MUTABLE";
  }

  const found = await runner.act({
    title: `look up image ${tag} (and its rebuilds)`,
    action: `AWS ECR DescribeImages (repository ${name}, tagged images)`,
    hint: "check that your credentials may call ecr:DescribeImages on the repository",
    dryRunValue: undefined as ReturnType<typeof newestFor>,
    run: async () => newestFor(tag, await listTaggedImages(region, name)),
    summary: (f) => (f ? `already pushed as ${f.tag} (${f.image.digest})` : "not in the repository yet"),
  });

  let target: string;
  if (found && !options.rebuild) {
    runner.skip(
      "build and push the image",
      `${found.tag} is already in ${name}; tags are immutable (npm run deploy -- --rebuild replaces it)`,
    );
    target = found.tag;
  } else {
    target = !found || mutable ? tag : rebuildTag(tag, found.rebuilds + 1);
    if (found)
      runner.say(
        `--rebuild: ${found.tag} is replaced by a new build${target === tag ? " under the same tag (the repository is MUTABLE)" : ` tagged ${target}`}.`,
      );
    await buildAndPush(session, container, repo, target, options.rebuild ? "--rebuild" : undefined);
  }
  const skipNote = options.rebuild ? undefined : "skipped when the tag is already in the repository";

  const image = await runner.act({
    title: `confirm ${target} is in the repository`,
    action: `AWS ECR DescribeImages (repository ${name}, tag ${target}): digest and imageManifestMediaType`,
    hint: "the push reported success but ECR does not list the tag; re-run npm run deploy",
    condition: skipNote ? "after a push; otherwise the lookup above answered" : undefined,
    dryRunValue: { digest: "<digest>", tags: [target], mediaType: LAMBDA_MANIFEST_TYPES[0] } as EcrImage,
    run: async () => {
      if (found && found.tag === target && !options.rebuild) return found.image;
      const described = await describeImage(region, name, { tag: target });
      if (!described) throw new StepProblem(`ECR does not list ${name}:${target} after the push`);
      return described;
    },
    summary: (i) => i.digest,
  });

  await runner.act({
    title: `check that Lambda can run ${target} (single-platform manifest)`,
    action: `compare imageManifestMediaType with ${LAMBDA_MANIFEST_TYPES.join(" | ")}`,
    hint:
      "rebuild a single-platform image without attestations: npm run deploy -- --rebuild " +
      "(docker: buildx with --provenance=false --sbom=false; podman: --format docker, pushed as v2s2)",
    dryRunValue: undefined,
    run: async () => {
      const problem = manifestProblem(image.mediaType);
      if (problem)
        throw new StepProblem(`${name}:${target} cannot run on Lambda: ${problem}. Nothing after the registry stack was changed.`);
    },
    summary: () => image.mediaType,
  });
  return { tag: target, digest: image.digest, mediaType: image.mediaType, tags: image.tags };
}

async function buildAndPush(session: Session, container: ContainerTool, repo: Repository, tag: string, why?: string): Promise<void> {
  const { runner, project, stage } = session;
  const condition = why ? undefined : "skipped when the tag is already in the repository";
  const imageRef = `${repo.url}:${tag}`;
  const architecture = stage.config.lambda_architecture;
  await runner.exec({
    title: "build the backend bundle",
    command: { argv: project.commands.buildBackend },
    condition,
    hint: "fix the build error above; `npm run build:backend` reproduces it",
  });
  await runner.exec({
    title: `build the image for linux/${architecture === "arm64" ? "arm64" : "amd64"}`,
    command: container.build({ imageRef, architecture, dockerfile: PROJECT_PATHS.dockerfile, context: PROJECT_PATHS.backendDir }),
    condition,
    hint: "fix the build error above; building for another architecture than this machine's needs QEMU/binfmt (docker run --privileged --rm tonistiigi/binfmt --install all)",
  });
  const login = await runner.act({
    title: "get an ECR login token",
    action: `AWS ECR GetAuthorizationToken (region ${repo.region})`,
    condition,
    hint: "check that your credentials may call ecr:GetAuthorizationToken",
    dryRunValue: { registry: repo.url.split("/")[0]!, password: "<token>" },
    run: () => ecrLogin(repo.region),
  });
  await runner.exec({
    title: `log ${container.name} in to ${login.registry}`,
    command: container.login(login.registry, login.password),
    condition,
    hint: `check that ${container.name} can reach ${login.registry}`,
  });
  await runner.exec({
    title: `push ${imageRef}`,
    command: container.push(imageRef),
    condition,
    hint: "nothing after the registry stack was changed; check the error above (network, permissions, repository), then re-run npm run deploy",
  });
}
