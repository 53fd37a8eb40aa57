/**
 * The two inline steps of a stored-item list (datasets, saved models): a rename form in place of
 * the name, and a confirm-delete row in place of the item's buttons.
 */
import { html, type TemplateResult } from 'lit';
import { NAME_MAX_LENGTH, nameProblem, type NamedKind } from '../store/names';
import { formText } from './form-text';

/** The names a new name is checked against: the other items of the list (the store checks again). */
export interface RenameRules {
  kind: NamedKind;
  /** The other items' names (not the one renamed). */
  taken: readonly string[];
}

/**
 * `done(newName)` on submit with a name the rules allow, `done(null)` on Cancel or an unchanged
 * name. A name that is too long or another item's (in any capitals) keeps the form open and says why.
 */
export function renameForm(name: string, done: (newName: string | null) => void, rules: RenameRules): TemplateResult {
  const check = (form: HTMLFormElement): string | null => {
    const input = form.elements.namedItem('name') as HTMLInputElement;
    const problem = nameProblem(rules.kind, input.value, rules.taken);
    input.setCustomValidity(problem ?? '');
    const shown = form.querySelector<HTMLElement>('[data-testid=rename-problem]');
    if (shown) {
      shown.textContent = problem ?? '';
      shown.hidden = problem === null;
    }
    return problem;
  };
  const submit = (event: Event): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = formText(form, 'name');
    if (value.trim() === name) return done(null);
    if (check(form) === null) done(value.trim());
  };
  return html`<form class="row" @submit=${submit} @input=${(e: Event) => check(e.currentTarget as HTMLFormElement)} novalidate>
    <input type="text" name="name" .value=${name} aria-label="New name for ${name}" maxlength=${NAME_MAX_LENGTH} required />
    <button type="submit">Rename</button>
    <button type="button" @click=${() => done(null)}>Cancel</button>
    <span class="rename-problem" role="alert" data-testid="rename-problem" hidden></span>
  </form>`;
}

export function deleteConfirm(name: string, onDelete: () => void, onKeep: () => void): TemplateResult {
  return html`<div class="row" role="alert">
    Delete “${name}” from this browser?
    <button class="danger" @click=${onDelete}>Delete</button>
    <button @click=${onKeep}>Keep</button>
  </div>`;
}
