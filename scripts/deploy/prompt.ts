/** Yes/no questions on the terminal (or whatever stream the caller hands in, e.g. in tests). */
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";

export class Prompter {
  private lines: AsyncIterator<string> | undefined;
  private reader: Interface | undefined;

  constructor(
    private readonly input: Readable,
    private readonly out: Writable,
  ) {}

  /** True only for an explicit "y" or "yes"; end of input (no terminal, CI) is a "no". */
  async confirm(question: string): Promise<boolean> {
    this.out.write(`${question} [y/N] `);
    if (!this.lines) {
      this.reader = createInterface({ input: this.input, terminal: false });
      this.lines = this.reader[Symbol.asyncIterator]();
    }
    const next = await this.lines.next();
    const answer = next.done ? "" : next.value.trim().toLowerCase();
    if (next.done) this.out.write("(no answer)\n");
    return answer === "y" || answer === "yes";
  }

  close(): void {
    this.reader?.close();
  }
}
