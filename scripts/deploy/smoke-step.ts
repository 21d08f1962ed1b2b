/** The smoke check as the deploy's last step (after the app stack and the saved record). */
import { PROJECT_PATHS } from "./project.js";
import { formatSmokeResults, type SmokeOptions, smokeCheck } from "./smoke-check.js";
import { StepProblem, type StepRunner } from "./steps.js";

export async function runSmokeStep(
  runner: StepRunner,
  stage: string,
  urls: { apiUrl?: string; webUrl?: string; signIn?: boolean },
  options: SmokeOptions = {},
): Promise<void> {
  const deadlineS = Math.round((options.deadlineMs ?? 120_000) / 1000);
  const api = urls.apiUrl ?? "<api_url>";
  const web = urls.webUrl ?? "<web_url>";
  await runner.act({
    title: "smoke check the deployed stage",
    action: `GET ${api}/health, GET ${api}/users?limit=1, GET ${web}/config.json (each retried for up to ${deadlineS} s)`,
    condition: "skipped with --skip-smoke",
    hint: "",
    dryRunValue: undefined,
    run: async () => {
      if (!urls.apiUrl || !urls.webUrl) {
        throw new StepProblem(
          "the app stack has no api_url/web_url outputs to check",
          `check the app stack's outputs (terraform output -json); the stage itself is deployed (see ${PROJECT_PATHS.deployDir}/${stage}.json)`,
        );
      }
      const results = await smokeCheck(
        { apiUrl: urls.apiUrl, webUrl: urls.webUrl, signIn: urls.signIn },
        {
          ...options,
          onRetry: (check, n, problem) => {
            if (n === 1 || n % 5 === 0) runner.say(`  … ${check}: ${problem}; retrying`);
          },
        },
      );
      const failed = results.filter((r) => !r.ok);
      if (failed.length) {
        throw new StepProblem(
          formatSmokeResults(results).join("\n"),
          `the stage is deployed and left as it is (outputs in ${PROJECT_PATHS.deployDir}/${stage}.json). ` +
            (failed.some((r) => r.name.startsWith("API"))
              ? "Check the function's logs (CloudWatch log group /aws/lambda/<function>) for the API's errors; "
              : "Check the CloudFront distribution and the web bucket's objects; ") +
            "fix and re-run npm run deploy (only what changed is applied), or pass --skip-smoke to skip this check.",
        );
      }
      return undefined;
    },
    summary: () => "API and web app answer",
  });
}
