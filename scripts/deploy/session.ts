/** What deploy, diff and destroy share: the config, the step runner, the synth and per-stack terraform steps. */
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "../../stacks/config.js";
import { GITHUB_STACK_ID } from "../../stacks/github-stack.js";
import type { Command, CommandResult } from "../lib/process.js";
import { readJsonFile, type TfJson } from "../lib/synth-output.js";
import { TERRAFORM_ENV } from "../lib/terraform.js";
import { isExpression, TfModel } from "../lib/tf-model.js";
import { interruptedStackState } from "./interrupt-report.js";
import { deployOrder, type ManifestStack, readManifest } from "./manifest.js";
import { type CommonOptions, type Project, resolveProject } from "./project.js";
import { Prompter } from "./prompt.js";
import { loadStageConfig, type StageConfig } from "./stage-config.js";
import { DeployFailed, StepRunner } from "./steps.js";
import { PLAN_FILE, PLAN_NO_CHANGES, parseOutputs, planSummary, type Terraform } from "./terraform.js";
import { diagnoseTerraform } from "./terraform-errors.js";

export interface SessionOptions extends CommonOptions {
  /** Overrides the config's `stage`. @default the config's stage */
  stage?: string;
  /** Print the steps with their commands; run nothing but the (local) synth. @default false */
  dryRun?: boolean;
  /** Answer yes to every confirmation. @default false */
  yes?: boolean;
  /** Stream the tools' output as they run. @default false */
  verbose?: boolean;
}

export interface Session {
  project: Project;
  runner: StepRunner;
  stage: StageConfig;
  prompter: Prompter;
  options: SessionOptions;
  /** The command that carries on after a failure or an interrupt, e.g. "npm run deploy -- --stage qa". */
  rerun: string;
  /** Runs at the end whatever happened (e.g. releases the stage lock), latest first. */
  onClose(release: () => Promise<void>): void;
  close(): Promise<void>;
}

/** Loads the config (refusing bad config before anything runs) and prints the heading. */
export function openSession(verb: string, options: SessionOptions): Session {
  const project = resolveProject(options);
  // Until the config is loaded only a refusal can be printed; the real runner needs the config's env.
  const early = new StepRunner({ out: project.out, dryRun: Boolean(options.dryRun), cwd: project.root, env: project.env });
  let stage: StageConfig;
  try {
    stage = loadStageConfig(project.env, options.stage);
  } catch (err) {
    if (err instanceof ConfigError) {
      early.refuse("check the config", err.message, "fix the keys listed above (docs/configuration.md lists every key), then re-run");
    }
    throw err;
  }
  const env = { ...stage.env, ...TERRAFORM_ENV };
  const runner = new StepRunner({ out: project.out, dryRun: Boolean(options.dryRun), verbose: options.verbose, cwd: project.root, env });
  const source = project.env.APP_CONFIG ? `APP_CONFIG=${project.env.APP_CONFIG}` : "defaults (APP_CONFIG not set)";
  runner.say(
    `${verb} stage "${stage.config.stage}" in ${stage.config.aws_region} (config: ${source}${options.stage ? `, --stage ${options.stage}` : ""})`,
  );
  if (options.dryRun) {
    runner.say("Dry run: the steps below would run in this order; only the synth runs (locally). <placeholders> are known at deploy time.");
  }
  const prompter = new Prompter(project.input, project.out);
  const releases: (() => Promise<void>)[] = [];
  return {
    project,
    runner,
    stage,
    prompter,
    options,
    rerun: `npm run ${verb.toLowerCase()}${options.stage ? ` -- --stage ${options.stage}` : ""}`,
    onClose(release) {
      releases.unshift(release);
    },
    async close() {
      try {
        for (const release of releases) await release();
      } finally {
        prompter.close();
        stage.cleanup();
      }
    },
  };
}

/** Synthesizes all stacks (optionally pinning the image tag) and returns them in deploy order. */
/** `npm run build:web`: the app stack uploads web/dist, so a deploy and a diff build it before the synth. */
export async function buildWebApp(session: Session): Promise<void> {
  await session.runner.exec({
    title: "build the web app",
    command: { argv: session.project.commands.buildWeb },
    hint: "fix the build error above; `npm run build:web` reproduces it",
  });
}

export async function synth(session: Session, imageTag?: string): Promise<{ stacks: ManifestStack[]; order: string[] }> {
  const { project, runner, stage } = session;
  await runner.exec({
    title: imageTag ? `synthesize stacks with image ${imageTag}` : "synthesize stacks",
    command: project.synthCommand(imageTag ? { APP_IMAGE_TAG: imageTag } : {}),
    // The first synth runs even in dry-run: it is local, and proves the config and stacks synthesize.
    runInDryRun: !imageTag,
    hint: "fix the error above (config or stack code); `npm run synth` reproduces it",
  });
  try {
    // The project-wide github stack is an administrator's (npm run bootstrap-github): no stage's deploy, diff or destroy touches it.
    const stacks = readManifest(resolve(project.root, project.outDir)).filter((s) => s.id !== GITHUB_STACK_ID);
    return { stacks, order: deployOrder(stacks, stage.ids.registry) };
  } catch (err) {
    return runner.refuse(
      "read the synthesized stacks",
      (err as Error).message,
      "check that the synth command writes cdktf.out/manifest.json",
    );
  }
}

/** Recognises terraform failures with a known remedy (CloudFront verification, Budgets access, a held lock). */
export const diagnosis = (tf: Terraform, stackId: string) => (r: CommandResult) =>
  diagnoseTerraform(r.output, tf.binary, tf.stackDir(stackId));

/** What an interrupted terraform command left behind (read from its output), for CommandStep.onInterrupt. */
export const afterInterrupt = (session: Session, tf: Terraform, stackId: string, command: Command) => (r: CommandResult) =>
  interruptedStackState(command.argv, r, stackId, tf.stackDir(stackId), session.rerun);

export async function init(session: Session, tf: Terraform, stackId: string): Promise<void> {
  await session.runner.exec({
    title: `terraform init ${stackId}`,
    command: tf.init(stackId),
    diagnose: diagnosis(tf, stackId),
    onInterrupt: afterInterrupt(session, tf, stackId, tf.init(stackId)),
    hint:
      `check the backend settings and access to the provider registry (or your provider mirror). If the backend changed ` +
      `(e.g. after npm run bootstrap-state): ${tf.binary} -chdir=${tf.stackDir(stackId)} init -migrate-state`,
  });
}

const NO_STATE = /No state file was found/;

/** Whether the stack has any resources in its state (a stack never deployed has none). */
export async function hasState(session: Session, tf: Terraform, stackId: string): Promise<boolean> {
  const result = await session.runner.exec({
    title: `read the state of ${stackId}`,
    command: tf.stateList(stackId),
    // A stack never applied has no state file at all: terraform answers exit 1 and says so.
    accept: (r) => r.code === 1 && NO_STATE.test(r.output),
    diagnose: diagnosis(tf, stackId),
    onInterrupt: afterInterrupt(session, tf, stackId, tf.stateList(stackId)),
    hint: `check access to the state backend; ${tf.binary} -chdir=${tf.stackDir(stackId)} state list shows the same`,
  });
  return result.code === 0 && result.stdout.trim().length > 0;
}

export async function outputs(session: Session, tf: Terraform, stackId: string, dryRunValue: Record<string, unknown>) {
  if (session.runner.dryRun) {
    await session.runner.exec({ title: `read the outputs of ${stackId}`, command: tf.output(stackId), hint: "" });
    return dryRunValue;
  }
  const result = await session.runner.exec({
    title: `read the outputs of ${stackId}`,
    command: tf.output(stackId),
    diagnose: diagnosis(tf, stackId),
    onInterrupt: afterInterrupt(session, tf, stackId, tf.output(stackId)),
    hint: `${tf.binary} -chdir=${tf.stackDir(stackId)} output -json shows the same`,
  });
  return parseOutputs(result.stdout);
}

export interface DeployStackHooks {
  /** The stack directory was already initialized in this run (stackStates). @default false */
  initialized?: boolean;
  /** Runs on a plan with changes, before the question and the apply (e.g. inspects the saved plan; may refuse). */
  beforeApply?: () => Promise<void>;
}

/** init, plan, and apply the saved plan only when it has changes (asking first unless --yes). */
export async function deployStack(
  session: Session,
  tf: Terraform,
  stackId: string,
  hooks: DeployStackHooks = {},
): Promise<"applied" | "no changes"> {
  const { runner, prompter, options } = session;
  if (!hooks.initialized) await init(session, tf, stackId);
  const plan = await runner.exec({
    title: `terraform plan ${stackId}`,
    command: tf.plan(stackId),
    okCodes: [0, 2],
    diagnose: diagnosis(tf, stackId),
    onInterrupt: afterInterrupt(session, tf, stackId, tf.plan(stackId)),
    hint: `fix what the plan reports; reproduce with ${tf.binary} -chdir=${tf.stackDir(stackId)} plan`,
    summary: (r) => planSummary(r.output),
  });
  // The saved plan is spent once applied (or unneeded); a stale one must not linger for a hand-run apply.
  const dropPlan = () => rmSync(resolve(session.project.root, tf.stackDir(stackId), PLAN_FILE), { force: true });
  if (!runner.dryRun && plan.code === PLAN_NO_CHANGES) {
    dropPlan();
    runner.skip(`terraform apply ${stackId}`, "no changes");
    return "no changes";
  }
  try {
    await hooks.beforeApply?.();
  } catch (err) {
    dropPlan(); // a refused plan must not be left for a hand-run `terraform apply tfplan`
    throw err;
  }
  if (!runner.dryRun && !options.yes) {
    runner.say(indentPlan(plan.output));
    if (!(await prompter.confirm(`Apply these changes to ${stackId}?`))) {
      runner.refuse(`apply ${stackId}`, "not confirmed: nothing was applied to this stack", "re-run and answer y, or pass --yes");
    }
  }
  await runner.exec({
    title: `terraform apply ${stackId}`,
    command: tf.apply(stackId),
    condition: "only when the plan has changes; asks first unless --yes",
    diagnose: diagnosis(tf, stackId),
    onInterrupt: afterInterrupt(session, tf, stackId, tf.apply(stackId)),
    hint: `see the error above; the state keeps what was created. Fix it and re-run (or ${tf.binary} -chdir=${tf.stackDir(stackId)} plan to inspect)`,
  });
  if (!runner.dryRun) dropPlan();
  return "applied";
}

function indentPlan(output: string): string {
  const start = output.search(/^(Terraform|OpenTofu) will perform|^Terraform used the selected providers/m);
  return (start >= 0 ? output.slice(start) : output).trimEnd().replace(/^/gm, "    ");
}

/** A literal attribute of the first resource of a type in a synthesized stack (for dry-run placeholders). */
export function synthesizedAttribute(session: Session, stackId: string, type: string, attribute: string): string | undefined {
  try {
    const json = readJsonFile<TfJson>(resolve(session.project.root, session.project.stackDir(stackId), "cdk.tf.json"), `stack ${stackId}`);
    const value = new TfModel({ [stackId]: json }).resources(type)[0]?.body[attribute];
    return typeof value === "string" && !isExpression(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a command body with the session, turning a reported failure into exit code 1. */
export async function withSession<T>(verb: string, options: SessionOptions, body: (s: Session) => Promise<T>): Promise<T> {
  const session = openSession(verb, options);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

export { DeployFailed };
