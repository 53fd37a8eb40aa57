/**
 * The two inline steps of a stored-item list (datasets, saved models): a rename form in place of
 * the name, and a confirm-delete row in place of the item's buttons.
 */
import { html, type TemplateResult } from 'lit';

/** `done(newName)` on submit with a non-blank name, `done(null)` on Cancel or a blank name. */
export function renameForm(name: string, done: (newName: string | null) => void): TemplateResult {
  const submit = (event: Event): void => {
    event.preventDefault();
    const value = new FormData(event.target as HTMLFormElement).get('name');
    done(typeof value === 'string' && value.trim() !== '' ? value : null);
  };
  return html`<form class="row" @submit=${submit}>
    <input type="text" name="name" .value=${name} aria-label="New name for ${name}" required />
    <button type="submit">Rename</button>
    <button type="button" @click=${() => done(null)}>Cancel</button>
  </form>`;
}

export function deleteConfirm(name: string, onDelete: () => void, onKeep: () => void): TemplateResult {
  return html`<div class="row" role="alert">
    Delete “${name}” from this browser?
    <button class="danger" @click=${onDelete}>Delete</button>
    <button @click=${onKeep}>Keep</button>
  </div>`;
}
