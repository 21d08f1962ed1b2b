/**
 * The container tool that builds and pushes the Lambda image: docker (with buildx) or podman,
 * whichever DEPLOY_CONTAINER_TOOL names or, failing that, whichever is on PATH (docker first).
 */
import type { LambdaArchitecture } from "../../modules/lambda-defaults.js";
import { type Command, findOnPath } from "../lib/process.js";

export type ContainerToolName = "docker" | "podman";
export type { LambdaArchitecture };

/** Lambda's architecture names are not the OCI platform names. */
export function platformOf(architecture: LambdaArchitecture): string {
  return architecture === "arm64" ? "linux/arm64" : "linux/amd64";
}

/** The tool to use, or an explanation of why there is none. */
export function chooseContainerTool(env: NodeJS.ProcessEnv): { tool: ContainerToolName } | { problem: string } {
  const wanted = env.DEPLOY_CONTAINER_TOOL?.trim();
  if (wanted) {
    if (wanted !== "docker" && wanted !== "podman") {
      return { problem: `DEPLOY_CONTAINER_TOOL=${wanted} is not supported: use "docker" or "podman".` };
    }
    return findOnPath(wanted, env) ? { tool: wanted } : { problem: `DEPLOY_CONTAINER_TOOL=${wanted}, but ${wanted} is not on PATH.` };
  }
  if (findOnPath("docker", env)) return { tool: "docker" };
  if (findOnPath("podman", env)) return { tool: "podman" };
  return { problem: "Neither docker nor podman is on PATH; the Lambda image cannot be built." };
}

export class ContainerTool {
  constructor(readonly name: ContainerToolName) {}

  /** Docker needs buildx for --platform/--provenance; podman builds cross-platform itself. */
  pluginCheck(): Command | undefined {
    return this.name === "docker" ? { argv: ["docker", "buildx", "version"] } : undefined;
  }

  /** Asks the engine (not just the CLI) to answer, so a stopped daemon fails before anything changes. */
  engineCheck(): Command {
    return { argv: [this.name, "info", "--format", "{{.ServerVersion}}"] };
  }

  /**
   * One platform and no attestations at all: Lambda runs only a single-platform Docker v2 or OCI
   * image manifest (https://docs.aws.amazon.com/lambda/latest/dg/images-create.html), and buildx
   * otherwise wraps the image and its provenance/SBOM attestations in an image index
   * (docker/buildx#1533). BUILDX_NO_DEFAULT_ATTESTATIONS=1 turns off the defaults as well
   * (https://docs.docker.com/build/building/variables/#buildx_no_default_attestations). Podman's
   * `--format docker` writes a Docker v2 schema 2 manifest instead of its OCI default.
   */
  build(options: { imageRef: string; architecture: LambdaArchitecture; dockerfile: string; context: string }): Command {
    const platform = platformOf(options.architecture);
    const common = ["--platform", platform, "--file", options.dockerfile, "--tag", options.imageRef];
    return this.name === "docker"
      ? {
          argv: ["docker", "buildx", "build", ...common, "--provenance=false", "--sbom=false", "--load", options.context],
          env: { BUILDX_NO_DEFAULT_ATTESTATIONS: "1" },
        }
      : { argv: ["podman", "build", ...common, "--format", "docker", options.context] };
  }

  login(registry: string, password: string): Command {
    return {
      argv: [this.name, "login", "--username", "AWS", "--password-stdin", registry],
      stdin: password,
      stdinLabel: "<ECR token from GetAuthorizationToken>",
    };
  }

  /** Podman pushes a Docker v2 schema 2 manifest with `--format v2s2` (it may convert to OCI otherwise). */
  push(imageRef: string): Command {
    return this.name === "docker" ? { argv: ["docker", "push", imageRef] } : { argv: ["podman", "push", "--format", "v2s2", imageRef] };
  }
}
