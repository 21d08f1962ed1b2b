import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import {
  AssetType,
  Fn,
  type ITerraformDependable,
  TerraformAsset,
  TerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
} from "cdktf";
import { Construct } from "constructs";
import type { ObjectEncryption } from "./s3-bucket.js";

/** How one uploaded file is stored and served. */
export interface AssetMetadata {
  /** The Content-Type of the S3 object, e.g. "text/html; charset=utf-8". */
  contentType: string;
  /** The Cache-Control of the S3 object. */
  cacheControl: string;
}

/** Reads an output of the stack's own last apply while Terraform plans (see stacks/last-apply.ts). */
export interface LastApplyReader {
  /** A Terraform expression (no `${}`) for the output's string value as the last apply left it, or "" when there is none. */
  output(name: string): string;
}

export interface WebAssetsProps {
  readonly bucketName: string;
  /**
   * The bucket's `writeSettings`: objects uploaded before its default encryption exists keep
   * whatever encryption they got (a KMS default would not apply until the file changes).
   * @default []
   */
  readonly bucketWriteSettings?: ITerraformDependable[];
  /**
   * Encryption each object is uploaded with: the bucket's `objectEncryption`. Part of every
   * object's arguments, so changing the bucket's encryption re-uploads the objects under it.
   * @default the bucket default at upload time (never re-uploaded when it changes)
   */
  readonly encryption?: ObjectEncryption;
  /** Absolute path of the built app (web/dist). Missing: only config.json is uploaded. */
  readonly distDir: string;
  /** Content type and cache header of a file, by its path relative to distDir ("/" separated). */
  readonly metadata: (relativePath: string) => AssetMetadata;
  /** Written as /config.json (not cached), so one build serves every stage. */
  readonly runtimeConfig: Readonly<Record<string, unknown>>;
  /**
   * The stack's own last apply: with it, the files of the release before this one stay in the
   * bucket until the next deploy, so a page loaded before a deploy can still fetch the chunks it
   * loads lazily. Only one WebAssets per stack may have it (it writes the stack's `moved` blocks).
   * @default none: each apply deletes the files the new build no longer has
   */
  readonly lastApply?: LastApplyReader;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** One file of a release as its S3 object's arguments: what the release record keeps per key. */
interface ReleaseFile {
  source: string;
  source_hash: string;
  content_type: string;
  cache_control: string;
  server_side_encryption: string | null;
  kms_key_id: string | null;
  bucket_key_enabled: boolean | null;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const idOf = (file: string) => file.replace(/[^A-Za-z0-9]/g, "_");
const md5 = (data: string | Buffer) => createHash("md5").update(data).digest("hex");

/**
 * The web app's files as S3 objects, so `terraform state list` shows what is live, and content
 * types and cache headers are set per file: hashed assets for a year, index.html and config.json
 * not cached (no CloudFront invalidation needed).
 *
 * Every file but the entry page is one instance of a `for_each` resource keyed by its path. With
 * `lastApply`, the set also holds the previous release's files, read back from the record this
 * construct leaves as a (sensitive) stack output, with the arguments they were uploaded with, so
 * Terraform plans no change for them and needs none of their source files. The record moves on only
 * when the entry page of a new release is up (the output reads the page's etag), so after a failed
 * apply the release still live is the one kept.
 */
export class WebAssets extends Construct {
  /** Relative paths uploaded from distDir (config.json not among them). */
  readonly files: string[];
  /** config.json, written from `runtimeConfig`. */
  readonly configObject: S3Object;
  /** Every uploaded file but the entry page: one instance per key (`for_each`). Undefined without a build. */
  readonly assetObjects?: S3Object;
  /** index.html, uploaded after everything else. Undefined when the build has none. */
  readonly entryPageObject?: S3Object;
  /** The release record (sensitive): this release's files and the ones kept from the release before. Undefined without a build. */
  readonly releaseOutput?: TerraformOutput;
  /** The name of the release record output, when `lastApply` is given. */
  readonly recordName?: string;
  /** The Terraform variable that turns keeping off for a run (`TF_VAR_<name>=false`), when `lastApply` is given. */
  readonly keepPreviousReleaseVariable?: string;

  constructor(scope: Construct, id: string, props: WebAssetsProps) {
    super(scope, id);
    let files: string[] = [];
    try {
      files = listFiles(props.distDir)
        .map((f) => relative(props.distDir, f).split(sep).join("/"))
        .sort();
    } catch {
      files = [];
    }
    this.files = files.filter((f) => f !== "config.json");
    const config = props.metadata("config.json");
    this.configObject = new S3Object(this, "config_json", {
      bucket: props.bucketName,
      key: "config.json",
      content: Fn.jsonencode(props.runtimeConfig),
      contentType: config.contentType,
      cacheControl: config.cacheControl,
      ...props.encryption,
      tags: props.tags,
      dependsOn: props.bucketWriteSettings,
    });
    if (!this.files.length) return;

    // Each file is its own asset, copied under a folder named by its content hash: a file that did
    // not change keeps its source path, so Terraform plans nothing for it.
    const releaseFile = (file: string): ReleaseFile => {
      const path = join(props.distDir, file);
      const asset = new TerraformAsset(this, `asset_${idOf(file)}_${md5(file).slice(0, 6)}`, { path, type: AssetType.FILE });
      const { contentType, cacheControl } = props.metadata(file);
      return {
        source: asset.path,
        source_hash: md5(readFileSync(path)),
        content_type: contentType,
        cache_control: cacheControl,
        server_side_encryption: props.encryption?.serverSideEncryption ?? null,
        kms_key_id: props.encryption?.kmsKeyId ?? null,
        bucket_key_enabled: props.encryption?.bucketKeyEnabled ?? null,
      };
    };
    const assets = this.files.filter((f) => f !== ENTRY_PAGE);
    const current = Object.fromEntries(assets.map((f) => [f, releaseFile(f)]));
    // What identifies a release: its keys, contents and headers, and how they are encrypted.
    const releaseId = createHash("sha256")
      .update(
        JSON.stringify([
          Object.entries(current).map(([k, f]) => [k, f.source_hash, f.content_type, f.cache_control]),
          props.encryption?.serverSideEncryption ?? "",
        ]),
      )
      .digest("hex");
    const currentLocal = new TerraformLocal(this, "release_files", current);
    let keys = `local.${currentLocal.friendlyUniqueId}`;
    let kept: TerraformLocal | undefined;
    if (props.lastApply && assets.length) {
      // The record the last apply left. A re-run of the same release keeps what that run kept;
      // a new release keeps the last one's files.
      const recordName = `${this.node.path.split("/").slice(1).join("_")}_release`;
      const record = new TerraformLocal(this, "release_record", `\${try(jsondecode(${props.lastApply.output(recordName)}), {})}`);
      const last = `local.${record.friendlyUniqueId}`;
      // Off (TF_VAR_<name>=false) for one deploy when a kept file is gone from the bucket: its
      // source is not in this build, so Terraform could not put it back (docs/aws-behaviour.md).
      const keep = new TerraformVariable(this, "keep_previous_release", {
        type: "bool",
        default: true,
        description: "Keep the previous web release's files until the next deploy",
      });
      keep.overrideLogicalId(`${recordName.replace(/_release$/, "")}_keep_previous_release`);
      this.keepPreviousReleaseVariable = keep.friendlyUniqueId;
      kept = new TerraformLocal(
        this,
        "release_kept",
        `\${jsondecode(!var.${keep.friendlyUniqueId} ? "{}" : try(${last}.id, "") == "${releaseId}" ? jsonencode(try(${last}.previous, {})) : jsonencode(try(${last}.files, {})))}`,
      );
      keys = `merge(local.${kept.friendlyUniqueId}, local.${currentLocal.friendlyUniqueId})`;
      this.recordName = recordName;
    }
    const each = TerraformIterator.fromMap(new TerraformLocal(this, "release_set", `\${${keys}}`).asAnyMap);
    const assetObjects = new S3Object(this, "files", {
      forEach: each,
      bucket: props.bucketName,
      key: each.key,
      source: each.getString("source"),
      sourceHash: each.getString("source_hash"),
      contentType: each.getString("content_type"),
      cacheControl: each.getString("cache_control"),
      serverSideEncryption: each.getString("server_side_encryption"),
      kmsKeyId: each.getString("kms_key_id"),
      bucketKeyEnabled: each.getAny("bucket_key_enabled"),
      tags: props.tags,
      dependsOn: props.bucketWriteSettings,
    });
    this.assetObjects = assetObjects;

    // The entry page goes up last: a browser that loads the new index.html must find every asset
    // it names, and the config.json it fetches, already in the bucket.
    if (this.files.includes(ENTRY_PAGE)) {
      const page = releaseFile(ENTRY_PAGE);
      this.entryPageObject = new S3Object(this, `file_${idOf(ENTRY_PAGE)}`, {
        bucket: props.bucketName,
        key: ENTRY_PAGE,
        source: page.source,
        sourceHash: page.source_hash,
        contentType: page.content_type,
        cacheControl: page.cache_control,
        ...props.encryption,
        tags: props.tags,
        dependsOn: [...(props.bucketWriteSettings ?? []), assetObjects, this.configObject],
      });
    }
    if (kept && this.recordName) {
      const pageEtag = this.entryPageObject ? `, page = aws_s3_object.${this.entryPageObject.friendlyUniqueId}.etag` : "";
      this.releaseOutput = new TerraformOutput(this, "release", {
        description: "Web release record (read back at plan time to keep the previous release's files)",
        value: `\${jsonencode({ id = "${releaseId}", files = local.${currentLocal.friendlyUniqueId}, previous = local.${kept.friendlyUniqueId}${pageEtag} })}`,
        sensitive: true,
      });
      this.releaseOutput.overrideLogicalId(this.recordName);
      this.moveFromPerFileAddresses(assets, assetObjects);
    }
  }

  /**
   * Until this construct kept releases, each file was its own resource (`file_<path>`). `moved`
   * blocks carry those into the `for_each` instances, so an existing stage's objects change address
   * instead of being deleted and put again in one apply, in no guaranteed order.
   */
  private moveFromPerFileAddresses(assets: string[], target: S3Object): void {
    const stack = TerraformStack.of(this);
    const moved = assets.map((file) => {
      const placeholder = new Construct(this, `file_${idOf(file)}`);
      const from = stack.getLogicalId(placeholder.node);
      this.node.tryRemoveChild(placeholder.node.id);
      return { from: `aws_s3_object.${from}`, to: `aws_s3_object.${target.friendlyUniqueId}[${JSON.stringify(file)}]` };
    });
    stack.addOverride("moved", moved);
  }
}

/** The page that names the hashed assets; uploaded after everything else. */
export const ENTRY_PAGE = "index.html";
