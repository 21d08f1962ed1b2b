/**
 * "Exists but no state": before the first apply of a stack whose state is empty, look for the
 * resources it would create by name. If they are already in the account (deployed from another
 * checkout with local state, a lost state, or state in another bucket), terraform would create
 * everything else and then stop half-way on "already exists", leaving a second, partial copy that
 * no state tracks well. So the deploy stops before changing anything, names what exists and how to
 * recover. Only resources with a fixed, account-unique name are looked for: the repository, the
 * table, the buckets and the function (each API's "not found" answer is the evidence).
 */

import { resolve } from "node:path";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { readJsonFile, type TfJson } from "../lib/synth-output.js";
import { isExpression, TfModel } from "../lib/tf-model.js";
import { isNamed, using } from "./aws.js";
import type { Session } from "./session.js";
import type { StateLocation } from "./shared-state.js";
import { bucketStatus } from "./state-store.js";

export interface NamedResource {
  stack: string;
  /** Terraform address, e.g. aws_ecr_repository.ecr_repository_795B33D4 (for `terraform import`). */
  address: string;
  /** What it is, e.g. "ECR repository". */
  kind: string;
  name: string;
}

/** Resource types looked for, the attribute holding their name, and how to ask AWS whether it exists. */
const LOOKUPS: { type: string; attribute: string; kind: string; exists: (region: string, name: string) => Promise<boolean> }[] = [
  {
    type: "aws_ecr_repository",
    attribute: "name",
    kind: "ECR repository",
    exists: (region, name) =>
      using(new ECRClient({ region }), async (ecr) => {
        try {
          await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
          return true;
        } catch (err) {
          if (isNamed(err, "RepositoryNotFoundException")) return false;
          throw err;
        }
      }),
  },
  {
    type: "aws_dynamodb_table",
    attribute: "name",
    kind: "DynamoDB table",
    exists: (region, name) =>
      using(new DynamoDBClient({ region }), async (ddb) => {
        try {
          await ddb.send(new DescribeTableCommand({ TableName: name }));
          return true;
        } catch (err) {
          if (isNamed(err, "ResourceNotFoundException")) return false;
          throw err;
        }
      }),
  },
  {
    type: "aws_s3_bucket",
    attribute: "bucket",
    kind: "S3 bucket",
    // 403: the name exists (ours without access, or another account's); either way terraform cannot create it.
    exists: async (region, name) => (await bucketStatus(region, name)) !== "missing",
  },
  {
    type: "aws_lambda_function",
    attribute: "function_name",
    kind: "Lambda function",
    exists: (region, name) =>
      using(new LambdaClient({ region }), async (lambda) => {
        try {
          await lambda.send(new GetFunctionCommand({ FunctionName: name }));
          return true;
        } catch (err) {
          if (isNamed(err, "ResourceNotFoundException")) return false;
          throw err;
        }
      }),
  },
];

/** The named resources a synthesized stack would create (literal names only). */
export function namedResources(stackId: string, json: TfJson): NamedResource[] {
  const model = new TfModel({ [stackId]: json });
  return LOOKUPS.flatMap((l) =>
    model
      .resources(l.type)
      .filter((b) => typeof b.body[l.attribute] === "string" && !isExpression(b.body[l.attribute]))
      .map((b) => ({ stack: stackId, address: `${l.type}.${b.name}`, kind: l.kind, name: b.body[l.attribute] as string })),
  );
}

/** Refuses when any stack without state would create something that already exists. */
export async function refuseUnmanagedResources(
  session: Session,
  withoutState: string[],
  state: StateLocation,
  account: string,
): Promise<void> {
  if (!withoutState.length) return;
  const { runner, project, stage } = session;
  const region = stage.config.aws_region;
  const wanted = withoutState.flatMap((id) =>
    namedResources(id, readJsonFile<TfJson>(resolve(project.root, project.stackDir(id), "cdk.tf.json"), `stack ${id}`)),
  );
  if (!wanted.length) return;
  const found = await runner.act({
    title: `check that nothing of stage "${stage.config.stage}" exists outside its state (${withoutState.join(", ")})`,
    action: wanted.map((r) => `${r.kind} ${r.name}`).join(", "),
    hint: "check that your credentials may describe ECR repositories, DynamoDB tables, S3 buckets and Lambda functions",
    dryRunValue: [] as NamedResource[],
    run: async () => {
      const present: NamedResource[] = [];
      for (const r of wanted) if (await LOOKUPS.find((l) => l.kind === r.kind)!.exists(region, r.name)) present.push(r);
      return present;
    },
    summary: (present) => (present.length ? `${present.length} already exist` : "none exists yet"),
  });
  if (!found.length) return;
  const where =
    state.kind === "s3"
      ? `s3://${state.bucket}/${state.prefix} holds no state for ${withoutState.join(", ")}`
      : `${withoutState.join(", ")} ha${withoutState.length > 1 ? "ve" : "s"} no local state in .state/`;
  const tf = project.env.TERRAFORM_BINARY_NAME || "terraform";
  const first = found[0]!;
  runner.refuse(
    "check for resources that exist without state",
    `${where}, but these resources of stage "${stage.config.stage}" already exist in account ${account}, ${region}:\n` +
      found.map((r) => `  - ${r.kind} ${r.name} (${r.stack}: ${r.address})`).join("\n") +
      '\nApplying would create the rest and then stop half-way on "already exists". Nothing was changed.',
    [
      "if this stage was deployed from another checkout with local state, run npm run deploy there once: it moves that state into the bucket;",
      "if its state is in another bucket, set state_bucket (or export APP_STATE_BUCKET) to that bucket;",
      `to adopt what exists: npm run synth with APP_STATE_BUCKET set, then per resource e.g. ${tf} -chdir=${project.stackDir(first.stack)} import ${first.address} ${first.name} (docs/team.md);`,
      "or deploy under another stage name: --stage <name>",
    ].join(" "),
  );
}
