/**
 * A strict JSON parser: RFC 8259 grammar only (so no BOM, comments, trailing commas, NaN or a
 * second document), plus what JSON.parse silently accepts and we refuse: duplicate keys (the
 * last one would win, so two readers could disagree on the value), keys that name object
 * internals, and nesting deeper than a small limit. Literals are decoded by JSON.parse itself.
 */

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
}

/** Keys refused anywhere in a document: they pollute prototypes in naive merges. */
export const FORBIDDEN_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];
/** Deep enough for any body this API takes, shallow enough to bound the recursion. */
export const MAX_JSON_DEPTH = 16;

// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERAL = /true|false|null/y;

export function parseStrictJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let pos = 0;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${pos}`);
  };
  const skipWhitespace = () => {
    while (pos < text.length && " \t\n\r".includes(text[pos]!)) pos++;
  };
  const token = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return undefined;
    pos = re.lastIndex;
    return m[0];
  };
  const expect = (char: string) => {
    skipWhitespace();
    if (text[pos] !== char) fail(`expected '${char}'`);
    pos++;
  };

  const parseValue = (depth: number): unknown => {
    skipWhitespace();
    const c = text[pos];
    if (c === "{" || c === "[") {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      return c === "{" ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    const literal = c === '"' ? token(STRING) : (token(NUMBER) ?? token(LITERAL));
    if (literal === undefined) return fail("unexpected token");
    return JSON.parse(literal);
  };

  const parseObject = (depth: number): Record<string, unknown> => {
    pos++; // "{"
    const object: Record<string, unknown> = {};
    skipWhitespace();
    if (text[pos] === "}") {
      pos++;
      return object;
    }
    for (;;) {
      skipWhitespace();
      const raw = token(STRING) ?? fail("expected a string key");
      const key = JSON.parse(raw) as string;
      if (FORBIDDEN_KEYS.includes(key)) fail(`forbidden key "${key}"`);
      if (Object.hasOwn(object, key)) fail(`duplicate key "${key.slice(0, 64)}"`);
      expect(":");
      object[key] = parseValue(depth);
      skipWhitespace();
      if (text[pos] === ",") pos++;
      else if (text[pos] === "}") {
        pos++;
        return object;
      } else fail("expected ',' or '}'");
    }
  };

  const parseArray = (depth: number): unknown[] => {
    pos++; // "["
    const array: unknown[] = [];
    skipWhitespace();
    if (text[pos] === "]") {
      pos++;
      return array;
    }
    for (;;) {
      array.push(parseValue(depth));
      skipWhitespace();
      if (text[pos] === ",") pos++;
      else if (text[pos] === "]") {
        pos++;
        return array;
      } else fail("expected ',' or ']'");
    }
  };

  const value = parseValue(0);
  skipWhitespace();
  if (pos !== text.length) fail("unexpected data after the document");
  return value;
}
