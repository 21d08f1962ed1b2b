import { fileURLToPath } from "node:url";
import { App } from "cdktf";
import type { AssetMetadata } from "../modules/web-assets.js";
import { webAssetMetadata } from "../web/assets.js";
import { AppStack } from "./app-stack.js";
import { type AppConfig, stackIds } from "./config.js";
import { GITHUB_STACK_ID, GithubStack } from "./github-stack.js";
import { RegistryStack } from "./registry-stack.js";
import { localStateDir } from "./state-backend.js";

export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const WEB_DIST_DIR = fileURLToPath(new URL("../web/dist", import.meta.url));

export interface BuildAppOptions {
  /** Where to synthesize. @default CDKTF_OUTDIR, else "cdktf.out" */
  readonly outdir?: string;
  /** The built web app to upload. @default web/dist */
  readonly webDistDir?: string;
  /** Content type and cache header per web file. @default web/assets.ts */
  readonly webAssetMetadata?: (relativePath: string) => AssetMetadata;
}

/**
 * The whole app for one config: the registry stack (deployed first) and the app stack, wired by
 * a cross-stack reference to the repository (remote state); with `github_repository`, the
 * project-wide `github` stack (OIDC roles, applied by `npm run bootstrap-github`, never by deploy).
 */
export function buildApp(config: AppConfig, options: BuildAppOptions = {}): App {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  const ids = stackIds(config);
  const registry = new RegistryStack(app, ids.registry, config);
  new AppStack(app, ids.app, {
    config,
    ecr: registry.ecr,
    spendStopTopicArn: registry.spendStopTopic?.topicArn,
    webDistDir: options.webDistDir ?? WEB_DIST_DIR,
    webAssetMetadata: options.webAssetMetadata ?? webAssetMetadata,
    localStateDir: localStateDir(options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out"),
  });
  if (config.github_repository) new GithubStack(app, GITHUB_STACK_ID, config);
  return app;
}
