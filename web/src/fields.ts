import { FIELD_MAX_LENGTH } from "../../backend/src/user-schema.js";
import { byId } from "./dom.js";

/**
 * A form's inputs with their error slots, by API field name. Errors set aria-invalid and fill the
 * element named by aria-describedby, so a screen reader reads the message with the field.
 */
export class FieldSet<Name extends string> {
  private readonly inputs: Record<Name, HTMLInputElement>;
  private readonly errors: Record<Name, HTMLElement>;

  constructor(
    prefix: string,
    readonly names: readonly Name[],
    readonly labels: Record<Name, string>,
  ) {
    this.inputs = {} as Record<Name, HTMLInputElement>;
    this.errors = {} as Record<Name, HTMLElement>;
    for (const name of names) {
      this.inputs[name] = byId(`${prefix}-${name}`, HTMLInputElement);
      this.errors[name] = byId(`${prefix}-${name}-error`, HTMLElement);
    }
  }

  /** Every form input's maxlength, from the schema's own limits (never a second copy in HTML). */
  static applyMaxLengths(): void {
    for (const input of document.querySelectorAll<HTMLInputElement>("input[name]")) {
      const limit = FIELD_MAX_LENGTH[input.name as keyof typeof FIELD_MAX_LENGTH];
      if (limit) input.maxLength = limit;
    }
  }

  values(): Record<Name, string> {
    const out = {} as Record<Name, string>;
    for (const name of this.names) out[name] = this.inputs[name].value;
    return out;
  }

  input(name: Name): HTMLInputElement {
    return this.inputs[name];
  }

  /** Shows the messages for known fields; returns the messages for keys that are no field. */
  showErrors(fields: Record<string, string>): string[] {
    this.clearErrors();
    const other: string[] = [];
    for (const [key, message] of Object.entries(fields)) {
      if ((this.names as readonly string[]).includes(key)) {
        const name = key as Name;
        this.inputs[name].setAttribute("aria-invalid", "true");
        this.errors[name].textContent = `${this.labels[name]} ${message}.`;
        this.errors[name].hidden = false;
      } else {
        other.push(`${key} ${message}.`);
      }
    }
    return other;
  }

  /** Moves focus to the first field in error, so keyboard users land where the fix is. */
  focusFirstError(): void {
    this.names
      .map((n) => this.inputs[n])
      .find((i) => i.getAttribute("aria-invalid") === "true")
      ?.focus();
  }

  clearErrors(): void {
    for (const name of this.names) {
      this.inputs[name].removeAttribute("aria-invalid");
      this.errors[name].textContent = "";
      this.errors[name].hidden = true;
    }
  }
}
