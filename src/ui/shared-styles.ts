import { css } from 'lit';

/**
 * A clear focus ring on every keyboard-operable element: a dark amber outline (over 3:1 against
 * the light surfaces) outside a surface-coloured gap, so it also shows on dark and blue backgrounds.
 */
export const focusStyles = css`
  :is(button, input, select, textarea, summary, a[href], [tabindex]):focus-visible {
    outline: 3px solid var(--qp-focus, #b35c00);
    outline-offset: 2px;
    box-shadow: 0 0 0 2px var(--qp-surface, #fff);
  }
`;

export const controlStyles = css`
  ${focusStyles}
  button {
    font: inherit;
    border: 1px solid var(--qp-border, #b8c2cc);
    background: var(--qp-surface, #fff);
    color: var(--qp-text, #1b2733);
    border-radius: 6px;
    padding: 0.35rem 0.75rem;
    cursor: pointer;
  }
  button.primary {
    background: var(--qp-accent, #0b5cad);
    border-color: var(--qp-accent, #0b5cad);
    color: #fff;
  }
  button.danger {
    color: var(--qp-danger, #a4161a);
    border-color: currentColor;
  }
  button:hover {
    filter: brightness(0.96);
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  input[type='text'] {
    font: inherit;
    padding: 0.25rem 0.4rem;
    border: 1px solid var(--qp-border, #b8c2cc);
    border-radius: 4px;
  }
`;

/** A panel: a white card section with a small heading. */
export const cardStyles = css`
  :host {
    display: block;
    color: var(--qp-text, #1b2733);
  }
  section {
    background: var(--qp-surface, #fff);
    border: 1px solid var(--qp-border, #c9d2db);
    border-radius: 8px;
    padding: 0.75rem 0.9rem 0.9rem;
    box-shadow: 0 1px 2px rgb(15 23 42 / 4%);
  }
  h2 {
    margin: 0 0 0.2rem;
    font-size: 1.05rem;
  }
`;

/** The settings forms' frame: a bare fieldset (it only disables its controls) and the note under the fields. */
export const formStyles = css`
  fieldset {
    border: 0;
    padding: 0;
    margin: 0;
    min-width: 0;
  }
  p.muted {
    margin: 0.6rem 0 0;
  }
`;
