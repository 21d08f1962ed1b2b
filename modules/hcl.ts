/** A quoted HCL string: JSON's escapes, plus `${` and `%{` escaped so nothing in it is read as a template. */
export function hclString(s: string): string {
  // replacement functions: in a replacement string "$$" would itself collapse to "$"
  return JSON.stringify(s)
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{");
}
