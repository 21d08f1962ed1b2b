/**
 * A Lambda zip package built at synth, byte-for-byte the same for the same sources: files are
 * stored (not compressed) with a fixed timestamp and mode, so the package's SHA-256, which the
 * provider compares with Lambda's CodeSha256 on every plan, changes only when the code does (a
 * fresh checkout has new file times; an archiver-built zip would then show a change every time).
 * No archive provider is involved: only hashicorp/aws is needed.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";

/** 1980-01-01 00:00 in MS-DOS date and time form, the earliest a zip can hold. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** Regular file, rw-r--r--, in the upper half of the external attributes (made by Unix). */
const FILE_MODE = (0o100644 << 16) >>> 0;

/** The bytes of a zip archive holding `files` (name -> content), stored, in the order given. */
export function storedZip(files: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by Unix, spec 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(FILE_MODE, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export interface ZipAssetProps {
  /** Name in the archive -> absolute path of the source file. */
  readonly files: Record<string, string>;
}

/** A zip of a few source files as a cdktf asset (copied into the stack's synth output). */
export class ZipAsset extends Construct {
  /** The archive's path, relative to the stack's directory (the function's `filename`). */
  readonly path: string;
  /** Base64 SHA-256 of the archive (the function's `source_code_hash`, Lambda's CodeSha256). */
  readonly sha256: string;

  constructor(scope: Construct, id: string, props: ZipAssetProps) {
    super(scope, id);
    const zip = storedZip(Object.fromEntries(Object.entries(props.files).map(([name, file]) => [name, readFileSync(file)])));
    const hex = createHash("sha256").update(zip).digest("hex");
    this.sha256 = Buffer.from(hex, "hex").toString("base64");
    // TerraformAsset copies a file that exists at construction: keep one per content.
    const dir = join(tmpdir(), "cdktf-zip-assets");
    const file = join(dir, `${hex}.zip`);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, zip);
      renameSync(partial, file); // parallel synths never see half a file
    }
    this.path = new TerraformAsset(this, "archive", { path: file, type: AssetType.FILE, assetHash: hex }).path;
  }
}
