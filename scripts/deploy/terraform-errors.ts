/**
 * Terraform failures that have a known remedy, recognised in terraform's output so the deploy
 * prints what to do instead of only the error:
 *
 * - CloudFront on an account AWS has not verified yet refuses new distributions half-way through
 *   the apply with "AccessDenied: Your account must be verified before you can add new CloudFront
 *   resources. To verify your account, please contact AWS Support ... and include this error
 *   message." (as the provider prints it: https://github.com/hashicorp/terraform-provider-aws/pull/36663).
 * - Budgets refuse callers without billing access (see budget-access.ts).
 * - A certificate ACM did not validate within the validation's create timeout (modules/acm.ts):
 *   "waiting for ACM Certificate (<arn>) to be issued: timeout while waiting for state to become
 *   'ISSUED'" (internal/service/acm/certificate_validation.go and the SDK's state waiter). ACM sees
 *   the validation records only through the domain's public delegation, and keeps trying for 72
 *   hours (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html), so a re-run waits again.
 * - A file the web app's previous release kept (modules/web-assets.ts) was deleted from the bucket
 *   outside Terraform: the provider wants to put it back from a source this build does not have,
 *   "opening S3 object source (<path>): open <path>: no such file or directory"
 *   (internal/service/s3/object.go in terraform-provider-aws v5.100.0). One run without keeping
 *   drops the previous release's files and carries on.
 * - A state lock left behind by an interrupted or crashed run: terraform prints "Lock Info:" with
 *   the lock's ID, which `terraform force-unlock <ID>` removes
 *   (https://developer.hashicorp.com/terraform/cli/commands/force-unlock).
 */
import { BUDGET_ACCESS_REMEDY } from "./budget-access.js";

const CLOUDFRONT_UNVERIFIED = /Your account must be verified before you can add new CloudFront resources/i;
const BUDGET_DENIED = /(creating|updating|reading) Budget[\s\S]{0,400}?AccessDenied|AccessDenied[\s\S]{0,400}?budgets:/i;
const ACM_VALIDATION_TIMEOUT = /waiting for ACM Certificate \(([^)]*)\) to be issued:[\s\S]{0,400}?timeout while waiting/i;
const KEPT_SOURCE_GONE = /opening S3 object source \(([^)]*)\)/i;
/** The variable modules/web-assets.ts declares for the app stack's web assets. */
export const KEEP_PREVIOUS_RELEASE_VARIABLE = "web_assets_keep_previous_release";
const LOCK_HELD = /Error acquiring the state lock/i;
const LOCK_NOT_RELEASED = /Error releasing the state lock/i;

/** The ID terraform printed under "Lock Info:", if any. */
export function lockId(output: string): string | undefined {
  return /Lock Info:\s*\n\s*ID:\s*(\S+)/.exec(output)?.[1];
}

/** The command that removes a lock, run where terraform runs for this stack. */
export function forceUnlockCommand(binary: string, stackDir: string, id: string): string {
  return `${binary} -chdir=${stackDir} force-unlock ${id}`;
}

/** A remedy for a recognised failure in terraform's output, or undefined. */
export function diagnoseTerraform(output: string, binary: string, stackDir: string): string | undefined {
  if (CLOUDFRONT_UNVERIFIED.test(output)) {
    return (
      "AWS has not verified this account for CloudFront yet. Open a case with AWS Support " +
      '(https://console.aws.amazon.com/support/home#/, "Account and billing") quoting the error above. ' +
      "Once they confirm, re-run npm run deploy: what was created stays in the state and the apply carries on from there."
    );
  }
  if (BUDGET_DENIED.test(output)) {
    return `this identity may not create the budget (billing access): ${BUDGET_ACCESS_REMEDY}`;
  }
  const certificate = ACM_VALIDATION_TIMEOUT.exec(output)?.[1];
  if (certificate !== undefined) {
    return (
      `ACM did not validate the certificate ${certificate} in time: its validation records are in the hosted zone, but ACM finds them only through ` +
      "the domain's public NS delegation. Check that `dig NS <domain> +short` lists the hosted zone's name servers " +
      "(aws route53 get-hosted-zone --id <zone id> --query DelegationSet.NameServers) and fix them at the registrar, then re-run npm run deploy: " +
      "the certificate stays pending (ACM keeps trying for 72 hours) and the apply waits for it again."
    );
  }
  if (KEPT_SOURCE_GONE.test(output)) {
    return (
      "a file the previous web release kept is gone from the bucket (deleted outside Terraform) and is not in this build, " +
      `so Terraform cannot put it back. Deploy once without keeping it: TF_VAR_${KEEP_PREVIOUS_RELEASE_VARIABLE}=false npm run deploy ` +
      "(the same variable works for cdktf deploy and terraform apply); that deploy deletes the previous release's files."
    );
  }
  const id = lockId(output);
  if (LOCK_HELD.test(output) && id) {
    return (
      `the state is locked by another run (lock ${id}). If no other deploy is running (e.g. the lock was left by an ` +
      `interrupted one), remove it with: ${forceUnlockCommand(binary, stackDir, id)}  then re-run npm run deploy`
    );
  }
  if (LOCK_NOT_RELEASED.test(output) && id) {
    return `terraform could not release its state lock. Once no terraform runs on this stack: ${forceUnlockCommand(binary, stackDir, id)}`;
  }
  return undefined;
}
