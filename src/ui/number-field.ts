/** A labelled number input with its inline problem message, as the settings forms draw them. */
import { html, nothing, type TemplateResult } from 'lit';

export interface NumberField<K extends string = string> {
  readonly key: K;
  readonly label: string;
  readonly step: string;
}

export function numberField(field: NumberField, value: number, problem: string | undefined): TemplateResult {
  return html`<div class="field">
    <label for="f-${field.key}">${field.label}</label>
    <input
      id="f-${field.key}"
      name=${field.key}
      type="number"
      step=${field.step}
      inputmode="decimal"
      value=${Number.isFinite(value) ? String(value) : ''}
      aria-invalid=${problem ? 'true' : 'false'}
      aria-describedby=${problem ? `f-${field.key}-problem` : nothing}
    />
    ${problem ? html`<span class="problem" id="f-${field.key}-problem">${problem}</span>` : nothing}
  </div>`;
}

/** Reads a form's named controls: `control(name)` and `number(name)` (NaN for an empty or unreadable number). */
export function formReader(form: HTMLFormElement): {
  control(name: string): HTMLInputElement | HTMLSelectElement;
  number(name: string): number;
} {
  const control = (name: string): HTMLInputElement | HTMLSelectElement =>
    form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  return {
    control,
    number: (name: string): number => {
      const value = control(name).value.trim();
      return value === '' ? Number.NaN : Number(value);
    },
  };
}
