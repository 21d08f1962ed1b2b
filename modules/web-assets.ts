import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { AssetType, Fn, type ITerraformDependable, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { ObjectEncryption } from "./s3-bucket.js";

/** How one uploaded file is stored and served. */
export interface AssetMetadata {
  /** The Content-Type of the S3 object, e.g. "text/html; charset=utf-8". */
  contentType: string;
  /** The Cache-Control of the S3 object. */
  cacheControl: string;
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
  /** @default {} */
  readonly tags?: Record<string, string>;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/**
 * The web app's files as S3 objects, so `terraform state list` shows what is live, and content
 * types and cache headers are set per file: hashed assets for a year, index.html and config.json
 * not cached (no CloudFront invalidation needed).
 */
export class WebAssets extends Construct {
  /** Relative paths uploaded from distDir. */
  readonly files: string[];
  /** config.json, written from `runtimeConfig`. */
  readonly configObject: S3Object;
  /** The uploaded files' objects, by relative path (config.json not among them). */
  readonly objects: Record<string, S3Object> = {};

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
    const configJson = this.configObject;
    if (this.files.length) {
      // Copied into the stack directory; the synthesized source paths are relative to it.
      const asset = new TerraformAsset(this, "dist", { path: props.distDir, type: AssetType.DIRECTORY });
      const upload = (file: string, after: ITerraformDependable[]) => {
        const { contentType, cacheControl } = props.metadata(file);
        const source = `${asset.path}/${file}`;
        const object = new S3Object(this, `file_${file.replace(/[^A-Za-z0-9]/g, "_")}`, {
          bucket: props.bucketName,
          key: file,
          source,
          sourceHash: Fn.filemd5(source),
          contentType,
          cacheControl,
          ...props.encryption,
          tags: props.tags,
          dependsOn: [...(props.bucketWriteSettings ?? []), ...after],
        });
        this.objects[file] = object;
        return object;
      };
      // The entry pages go up last: a browser that loads the new index.html must find every
      // asset it names, and the config.json it fetches, already in the bucket.
      const pages = this.files.filter((f) => f === ENTRY_PAGE);
      const others = this.files.filter((f) => f !== ENTRY_PAGE).map((f) => upload(f, []));
      for (const page of pages) upload(page, [...others, configJson]);
    }
  }
}

/** The page that names the hashed assets; uploaded after everything else. */
export const ENTRY_PAGE = "index.html";
