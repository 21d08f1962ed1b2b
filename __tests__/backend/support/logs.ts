import { vi } from "vitest";

/**
 * Captures the handler's request log lines (JSON lines on stdout) so tests can read them, and
 * keeps them out of the test output. Other output passes through.
 */
export function captureRequestLogs(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    if (text.startsWith('{"level":')) {
      lines.push(text);
      return true;
    }
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
  return { lines, restore: () => spy.mockRestore() };
}
