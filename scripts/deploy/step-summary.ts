/**
 * On GitHub Actions, the deploy's URLs go into the job summary: GitHub names a file in
 * GITHUB_STEP_SUMMARY whose Markdown it shows on the run's page
 * (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#adding-a-job-summary).
 * The preview workflow points it at a file of its own and posts the same Markdown as the pull
 * request's comment.
 */
import { appendFileSync } from "node:fs";
import type { DeploymentRecord } from "./record.js";

/** The deployed stage as Markdown: its URLs, image and commit. */
export function deploySummaryMarkdown(record: DeploymentRecord): string {
  const rows = [
    ["Web", record.web_url ?? "(no web_url output)"],
    ["API", record.api_url ?? "(no api_url output)"],
    ["Image", `\`${record.image.uri}\``],
    ["Commit", record.commit ? `\`${record.commit}\`` : "(unknown)"],
    ["Region", `${record.region} (account ${record.account})`],
  ];
  return [
    `### Stage \`${record.stage}\` deployed`,
    "",
    "| | |",
    "|---|---|",
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    "",
    `Deployed at ${record.deployedAt}.`,
    "",
  ].join("\n");
}

/** Appends the summary when GITHUB_STEP_SUMMARY names a file; returns whether it did. */
export function appendStepSummary(env: NodeJS.ProcessEnv, record: DeploymentRecord): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, deploySummaryMarkdown(record));
  return true;
}
