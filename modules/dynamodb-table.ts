import { DynamodbTable as AwsDynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import type { PolicyStatement } from "./iam-policy.js";

export type AttributeType = "S" | "N" | "B";

export interface GlobalSecondaryIndexProps {
  readonly name: string;
  /** Partition key attribute of the index; must be among `attributes`. */
  readonly hashKey: string;
  /** Sort key attribute of the index; must be among `attributes`. @default none */
  readonly rangeKey?: string;
  /** What the index copies from the table besides the keys. */
  readonly projectionType: "ALL" | "KEYS_ONLY" | "INCLUDE";
  /** With INCLUDE only: the non-key attributes copied. @default none */
  readonly nonKeyAttributes?: readonly string[];
}

export type StreamViewType = "KEYS_ONLY" | "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES";

export interface DynamodbTableProps {
  /** Table name (the module's `name`). */
  readonly name: string;
  /** Partition key attribute (the module's `hash_key`). */
  readonly hashKey: string;
  /** Sort key attribute (the module's `range_key`). @default none */
  readonly rangeKey?: string;
  /**
   * Key attribute definitions (the module's `attributes`): every key of the table and its indexes,
   * and nothing else (DynamoDB refuses a definition no key uses).
   */
  readonly attributes: ReadonlyArray<{ name: string; type: AttributeType }>;
  /** Global secondary indexes, on demand like the table. @default none */
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndexProps[];
  /** Attribute holding an expiry time in epoch seconds; DynamoDB deletes expired items. @default no TTL */
  readonly ttlAttribute?: string;
  /** A DynamoDB stream of item changes, with this view. @default no stream */
  readonly streamViewType?: StreamViewType;
  /**
   * Point-in-time recovery (CKV_AWS_28). Billed per GB of table, cents for a user table.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /** Deletion protection: `terraform destroy` fails until it is turned off. @default true */
  readonly deletionProtection?: boolean;
  /** Customer managed KMS key (CKV_AWS_119, about $1/month). @default AWS-owned key */
  readonly kmsKeyArn?: string;
  /**
   * Region of the table, for the `kms:ViaService` condition of the KMS grant. Required with
   * `kmsKeyArn`.
   * @default none
   */
  readonly region?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** DynamoDB's quota of global secondary indexes per table. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html */
const MAX_GLOBAL_SECONDARY_INDEXES = 20;
/** Actions that write items (the rest read them); they need the key to encrypt too. */
const WRITE_ACTIONS =
  /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems|PartiQLInsert|PartiQLUpdate|PartiQLDelete)$/;

/**
 * The app's pattern, modelled on terraform-aws-modules/dynamodb-table 4.2 (and SST's `Dynamo`): on
 * demand, hash and optional range key, global secondary indexes, TTL and an optional stream, with
 * point-in-time recovery and deletion protection on by default. Mistakes AWS would refuse at apply
 * time are refused at synth time.
 */
export class DynamodbTable extends Construct {
  readonly tableName: string;
  readonly tableArn: string;
  readonly hashKey: string;
  /** The stream's ARN, when `streamViewType` is set. */
  readonly streamArn?: string;
  /** The aws_dynamodb_table; change any attribute with `addOverride` (docs/constructs.md). */
  readonly table: AwsDynamodbTable;
  private readonly indexNames: string[];
  private readonly kmsKeyArn?: string;
  private readonly region?: string;

  constructor(scope: Construct, id: string, props: DynamodbTableProps) {
    super(scope, id);
    const indexes = props.globalSecondaryIndexes ?? [];
    checkShape(id, props, indexes);
    const table = new AwsDynamodbTable(this, "table", {
      name: props.name,
      billingMode: "PAY_PER_REQUEST",
      hashKey: props.hashKey,
      rangeKey: props.rangeKey,
      attribute: props.attributes.map((a) => ({ name: a.name, type: a.type })),
      globalSecondaryIndex: indexes.length
        ? indexes.map((index) => ({
            name: index.name,
            hashKey: index.hashKey,
            rangeKey: index.rangeKey,
            projectionType: index.projectionType,
            nonKeyAttributes: index.nonKeyAttributes ? [...index.nonKeyAttributes] : undefined,
          }))
        : undefined,
      ttl: props.ttlAttribute ? { enabled: true, attributeName: props.ttlAttribute } : undefined,
      streamEnabled: props.streamViewType ? true : undefined,
      streamViewType: props.streamViewType,
      pointInTimeRecovery: { enabled: props.pointInTimeRecovery ?? true },
      deletionProtectionEnabled: props.deletionProtection ?? true,
      serverSideEncryption: props.kmsKeyArn ? { enabled: true, kmsKeyArn: props.kmsKeyArn } : undefined,
      tags: { ...props.tags, Name: props.name },
    });
    this.table = table;
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.hashKey = props.hashKey;
    this.streamArn = props.streamViewType ? table.streamArn : undefined;
    this.indexNames = indexes.map((index) => index.name);
    this.kmsKeyArn = props.kmsKeyArn;
    this.region = props.region;
  }

  /**
   * IAM statements granting exactly `actions` on this table and its indexes (a Query on an index
   * is authorized against the index's ARN, `<table ARN>/index/<name>`:
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/using-identity-based-policies.html),
   * plus, when a customer managed key encrypts the table, the key's use through DynamoDB only:
   * kms:Decrypt and kms:DescribeKey to read, and kms:Encrypt, kms:ReEncrypt*, kms:GenerateDataKey*
   * to write (the actions of the key policy AWS documents for DynamoDB,
   * https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html). The first
   * statement (Sid TableAccess) is the DynamoDB one, e.g. for a VPC endpoint policy.
   */
  grant(actions: readonly string[]): PolicyStatement[] {
    const statements: PolicyStatement[] = [
      {
        Sid: "TableAccess",
        Effect: "Allow",
        Action: [...actions],
        Resource: [this.tableArn, ...this.indexNames.map((name) => `${this.tableArn}/index/${name}`)],
      },
    ];
    if (this.kmsKeyArn) {
      const writes = actions.some((a) => WRITE_ACTIONS.test(a));
      statements.push({
        Sid: "TableKeyThroughDynamoDb",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:DescribeKey", ...(writes ? ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"] : [])],
        Resource: [this.kmsKeyArn],
        Condition: { StringEquals: { "kms:ViaService": `dynamodb.${this.region}.amazonaws.com` } },
      });
    }
    return statements;
  }
}

function checkShape(id: string, props: DynamodbTableProps, indexes: readonly GlobalSecondaryIndexProps[]): void {
  const fail = (why: string): never => {
    throw new Error(`DynamodbTable ${id}: ${why}`);
  };
  const defined = new Map(props.attributes.map((a) => [a.name, a.type]));
  if (defined.size !== props.attributes.length) fail("an attribute is defined twice");
  const keys = [
    ["hashKey", props.hashKey],
    ["rangeKey", props.rangeKey],
    ...indexes.flatMap((index) => [
      [`index ${index.name} hashKey`, index.hashKey],
      [`index ${index.name} rangeKey`, index.rangeKey],
    ]),
  ].filter((k): k is [string, string] => k[1] !== undefined);
  for (const [what, name] of keys) if (!defined.has(name)) fail(`${what} "${name}" is not among attributes`);
  const used = new Set(keys.map(([, name]) => name));
  for (const name of defined.keys()) {
    if (!used.has(name)) fail(`attribute "${name}" is no key of the table or an index (DynamoDB refuses unused attribute definitions)`);
  }
  if (indexes.length > MAX_GLOBAL_SECONDARY_INDEXES) fail(`at most ${MAX_GLOBAL_SECONDARY_INDEXES} global secondary indexes`);
  if (new Set(indexes.map((i) => i.name)).size !== indexes.length) fail("two indexes have the same name");
  for (const index of indexes) {
    const include = index.projectionType === "INCLUDE";
    if (include !== Boolean(index.nonKeyAttributes?.length)) {
      fail(`index ${index.name}: nonKeyAttributes go with projectionType INCLUDE, and INCLUDE needs them`);
    }
  }
  if (props.ttlAttribute && used.has(props.ttlAttribute)) fail(`ttlAttribute "${props.ttlAttribute}" is a key attribute`);
  if (props.kmsKeyArn && !props.region) fail("region is required with kmsKeyArn (the KMS grant is conditioned on DynamoDB in that region)");
}
