import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Ecr } from "../modules/ecr.js";
import { type AppConfig, stageName } from "./config.js";
import { awsProviders } from "./providers.js";
import { configureStateBackend } from "./state-backend.js";

/**
 * The bootstrap stack: the ECR repository the function's image is pushed to. Deployed first, so
 * the image exists before anything references it; cheap and rarely changed.
 */
export class RegistryStack extends TerraformStack {
  readonly ecr: Ecr;

  constructor(scope: Construct, id: string, config: AppConfig) {
    super(scope, id);
    configureStateBackend(this, id, config);
    awsProviders(this, config);

    this.ecr = new Ecr(this, "ecr", {
      repositoryName: stageName(config, config.lambda_name),
      keepImages: config.ecr_keep_images,
      kmsEncryption: config.kms_customer_key,
    });

    new TerraformOutput(this, "repository_url", { value: this.ecr.repositoryUrl });
    new TerraformOutput(this, "repository_name", { value: this.ecr.repositoryName });
  }
}
