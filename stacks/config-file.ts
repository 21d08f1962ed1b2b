/**
 * Reading the config file named by APP_CONFIG: refuses what JSON.parse would silently accept or
 * what would hang or crash the reader, each as one line. A refusal happens before anything is
 * written, so cdktf.out and the stacks stay as they were.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** Far more than any config needs (a few kB); a bigger file is not a config file. */
export const CONFIG_MAX_BYTES = 1024 * 1024;
/** The config nests three levels (table_attributes[i].name); anything deeper is a mistake. */
export const CONFIG_MAX_DEPTH = 32;

/** A config file the reader refuses, with why (one line). */
export class ConfigFileError extends Error {
  constructor(readonly rule: string) {
    super(rule);
    this.name = "ConfigFileError";
  }
}

/** Cuts an echoed value to `max` characters, saying how much was left out. */
export function cut(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * Opens without blocking (a FIFO opened for reading would wait for a writer forever) and refuses
 * anything but a regular file: FIFOs, sockets, devices such as /dev/zero or /dev/stdin.
 */
function readRegularFile(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isFIFO() ? "a FIFO" : stat.isDirectory() ? "a directory" : stat.isSocket() ? "a socket" : "a device";
      throw new ConfigFileError(`is ${kind}, not a regular file`);
    }
    if (stat.size > CONFIG_MAX_BYTES) throw new ConfigFileError(`is ${stat.size} bytes; a config file is at most ${CONFIG_MAX_BYTES}`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function decode(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new ConfigFileError("starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without BOM");
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigFileError("is UTF-16 (it starts with a byte order mark); save it as UTF-8 without BOM");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigFileError("is not valid UTF-8");
  }
}

/**
 * Walks the JSON text without recursion: refuses nesting deeper than CONFIG_MAX_DEPTH as soon as
 * it is reached (before JSON.parse or anything recursive sees the value) and returns the first
 * key repeated within one object, with its path. Strings are skipped with their escapes; syntax
 * errors are left to JSON.parse.
 */
function scan(text: string): { duplicate?: string } {
  interface Frame {
    object: boolean;
    keys: Set<string>;
    expectKey: boolean;
    path: string;
    lastKey?: string;
  }
  const stack: Frame[] = [];
  let duplicate: string | undefined;
  const pathOf = (frame: Frame | undefined, key: string) => (frame?.path ? `${frame.path}.${key}` : key);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          key = text.slice(i + 1, j);
        }
        if (top.keys.has(key) && duplicate === undefined) duplicate = pathOf(top, key);
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === "{" || c === "[") {
      const parent = stack[stack.length - 1];
      const path = parent ? (parent.object ? pathOf(parent, parent.lastKey ?? "?") : `${parent.path}[]`) : "";
      stack.push({ object: c === "{", keys: new Set(), expectKey: c === "{", path });
      if (stack.length > CONFIG_MAX_DEPTH) throw new ConfigFileError(`nests values more than ${CONFIG_MAX_DEPTH} levels deep`);
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
    }
  }
  return { duplicate };
}

/** The config file's JSON value, or a ConfigFileError saying why it is refused. */
export function readConfigFile(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path);
  } catch (e) {
    if (e instanceof ConfigFileError) throw e;
    throw new ConfigFileError(`cannot be read: ${cut((e as Error).message, 160)}`);
  }
  const text = decode(bytes);
  const { duplicate } = scan(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigFileError(`is not valid JSON: ${cut((e as Error).message, 160)}`);
  }
  if (duplicate !== undefined) {
    throw new ConfigFileError(`sets "${cut(duplicate, 60)}" twice; JSON would keep only the last one, so remove one of them`);
  }
  return value;
}
