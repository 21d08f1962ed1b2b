import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { MonthlyBudget } from "../modules/budget.js";
import { Ecr } from "../modules/ecr.js";
import { type AppConfig, accountWideName, stageName } from "./config.js";
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
      new MonthlyBudget(this, "budget", {
        name: accountWideName(config, config.project_name), // budgets are account-wide
        limitUsd: config.budget_monthly_usd,
        email: budgetEmail,
      });
    }

    new TerraformOutput(this, "repository_url", { value: this.ecr.repositoryUrl });
    new TerraformOutput(this, "repository_name", { value: this.ecr.repositoryName });
  }
}
