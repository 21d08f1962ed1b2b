import { Construct } from "constructs";
import { DynamodbTable as AwsDynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import type { PolicyStatement } from "./iam-policy.js";

export interface DynamodbTableProps {
  /** Table name (the module's `name`). */
  readonly name: string;
  /** Partition key attribute (the module's `hash_key`). */
  readonly hashKey: string;
  /** Key attribute definitions (the module's `attributes`). Only key attributes belong here. */
  readonly attributes: ReadonlyArray<{ name: string; type: "S" | "N" | "B" }>;
  /**
   * Point-in-time recovery (CKV_AWS_28). Billed per GB of table, cents for a user table.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /** Deletion protection: `terraform destroy` fails until it is turned off. @default true */
  readonly deletionProtection?: boolean;
  /** Customer managed KMS key (CKV_AWS_119, about $1/month). @default AWS-owned key */
  readonly kmsKeyArn?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Mirrors terraform-aws-modules/dynamodb-table 4.2 with the blog's inputs (on-demand, one hash
 * key), with point-in-time recovery and deletion protection on by default.
 */
export class DynamodbTable extends Construct {
  readonly tableName: string;
  readonly tableArn: string;
  readonly hashKey: string;

  constructor(scope: Construct, id: string, props: DynamodbTableProps) {
    super(scope, id);
    if (!props.attributes.some((a) => a.name === props.hashKey)) {
      throw new Error(`DynamodbTable ${id}: hashKey "${props.hashKey}" is not among attributes`);
    }
    const table = new AwsDynamodbTable(this, "table", {
      name: props.name,
      billingMode: "PAY_PER_REQUEST",
      hashKey: props.hashKey,
      attribute: props.attributes.map((a) => ({ name: a.name, type: a.type })),
      pointInTimeRecovery: { enabled: props.pointInTimeRecovery ?? true },
      deletionProtectionEnabled: props.deletionProtection ?? true,
      serverSideEncryption: props.kmsKeyArn ? { enabled: true, kmsKeyArn: props.kmsKeyArn } : undefined,
      tags: { ...props.tags, Name: props.name },
    });
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.hashKey = props.hashKey;
  }

  /** An IAM statement granting exactly `actions` on this table (and nothing else). */
  grant(actions: readonly string[]): PolicyStatement {
    return { Sid: "TableAccess", Effect: "Allow", Action: [...actions], Resource: [this.tableArn] };
  }
}
