/**
 * IAM and resource policies as plain JSON documents (never opaque `jsonencode(...)` expressions),
 * so the synthesized JSON, tests and auditors can read them.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** A policy document as the JSON string IAM, S3, ECR and KMS take. */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Trust policy letting one AWS service assume a role, optionally only on behalf of resources
 * matching a condition (the confused-deputy guard AWS recommends, e.g. aws:SourceAccount).
 */
export function assumeRolePolicy(service: string, condition?: PolicyStatement["Condition"]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) },
    ],
  });
}
