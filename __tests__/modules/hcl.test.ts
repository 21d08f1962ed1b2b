/** HCL string literals written into synthesized and generated Terraform: nothing in them is read as a template. */
import { describe, expect, test } from "vitest";
import { hclString } from "../../modules/hcl.js";

describe("hclString", () => {
  test("escapes ${ and %{ (HCL's template openers) and keeps JSON's escapes", () => {
    expect(hclString('a "${x}" %{if y}')).toBe('"a \\"$${x}\\" %%{if y}"');
    expect(hclString("plain\nline")).toBe('"plain\\nline"');
  });
});
