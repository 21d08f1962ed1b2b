import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { MonthlyBudget } from "../modules/budget.js";
import { Ecr } from "../modules/ecr.js";
import { SpendStopTopic } from "../modules/spend-stop.js";
import { type AppConfig, accountWideName, spendStopName, stageName } from "./config.js";
import { requirePermissionsBoundary } from "./permissions-boundary.js";
import { awsProvider } from "./providers.js";
import { configureStateBackend } from "./state-backend.js";

/**
 * The bootstrap stack: the ECR repository the function's image is pushed to, and the optional
 * monthly budget. Deployed first, so the image exists before anything references it and the
 * budget watches spending before anything costs money; cheap and rarely changed.
 */
export class RegistryStack extends TerraformStack {
  readonly ecr: Ecr;
  /** The topic the budget's over-the-limit alert reaches, with `spend_stop` (the app stack subscribes its function). */
  readonly spendStopTopic?: SpendStopTopic;

  constructor(scope: Construct, id: string, config: AppConfig) {
    super(scope, id);
    configureStateBackend(this, id, config);
    awsProvider(this, config);
    requirePermissionsBoundary(this, config);

    this.ecr = new Ecr(this, "ecr", {
      // ECR takes only lower-case repository names; Lambda function names may be mixed-case.
      repositoryName: stageName(config, config.lambda_name).toLowerCase(),
      keepImages: config.ecr_keep_images,
    });

    // Without a budget_email of its own, the budget alerts the address the alarms mail.
    const budgetEmail = config.budget_email ?? config.alarm_email;
    if (config.budget_monthly_usd !== undefined && budgetEmail) {
      if (config.spend_stop) {
        this.spendStopTopic = new SpendStopTopic(this, "spend_stop_topic", {
          name: spendStopName(config),
          accountId: new DataAwsCallerIdentity(this, "current").accountId,
        });
      }
      new MonthlyBudget(this, "budget", {
        name: accountWideName(config, config.project_name), // budgets are account-wide
        limitUsd: config.budget_monthly_usd,
        email: budgetEmail,
        actualOverLimitTopicArn: this.spendStopTopic?.topicArn,
        dependsOn: this.spendStopTopic ? [this.spendStopTopic.policy] : undefined,
      });
    }

    new TerraformOutput(this, "repository_url", { value: this.ecr.repositoryUrl });
    new TerraformOutput(this, "repository_name", { value: this.ecr.repositoryName });
  }
}
