import { css } from 'lit';

/** The study panel and form (after ../shared-styles `cardStyles`): labelled fields in a grid, problems under their fields. */
export const studyStyles = css`
  :host {
    margin: 1rem 0;
  }
  section.mapping {
    border-color: var(--qp-accent, #0b5cad);
    box-shadow: inset 4px 0 0 var(--qp-accent, #0b5cad);
  }
  h2 {
    margin: 0 0 0.3rem;
    font-size: 1.05rem;
  }
  h3 {
    margin: 0.9rem 0 0.4rem;
    font-size: 0.95rem;
  }
  p {
    margin: 0.2rem 0 0.5rem;
  }
  .muted {
    color: var(--qp-muted, #52606d);
    font-size: 0.88rem;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0 0 0.6rem;
    min-width: 0;
  }
  legend {
    font-weight: 600;
    font-size: 0.95rem;
    padding: 0;
    margin: 0.6rem 0 0.35rem;
  }
  .fields {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
    gap: 0.6rem 1rem;
    align-items: start;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.2rem;
    min-width: 0;
  }
  .field.wide {
    grid-column: 1 / -1;
  }
  .field label,
  .field .label {
    font-size: 0.8rem;
    font-weight: 600;
    color: var(--qp-muted, #52606d);
  }
  .field.check {
    flex-direction: row;
    align-items: center;
    gap: 0.4rem;
  }
  .hint {
    font-size: 0.78rem;
    color: var(--qp-muted, #52606d);
  }
  select,
  input[type='text'] {
    font: inherit;
    font-size: 0.95rem;
    color: var(--qp-text, #1b2733);
    background: var(--qp-surface, #fff);
    border: 1px solid var(--qp-border, #b8c2cc);
    border-radius: 4px;
    padding: 0.25rem 0.4rem;
    min-width: 0;
    max-width: 100%;
  }
  select:disabled,
  input:disabled {
    opacity: 0.55;
  }
  input[type='checkbox'] {
    width: 1rem;
    height: 1rem;
    margin: 0;
    accent-color: var(--qp-accent, #0b5cad);
  }
  [aria-invalid='true'] {
    border-color: var(--qp-danger, #a4161a);
  }
  .problem {
    font-size: 0.8rem;
    color: var(--qp-danger, #a4161a);
  }
  .problems {
    border-left: 4px solid var(--qp-danger, #a4161a);
    background: #fdecea;
    padding: 0.4rem 0.7rem;
    border-radius: 4px;
    margin: 0.5rem 0;
  }
  .problems ul {
    margin: 0.2rem 0 0;
    padding-left: 1.1rem;
  }
  details {
    margin: 0.4rem 0 0.6rem;
  }
  summary {
    cursor: pointer;
    font-weight: 600;
  }
  .effects {
    display: grid;
    gap: 0.5rem;
  }
  .effect {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
    gap: 0.4rem 0.8rem;
    align-items: end;
    padding: 0.5rem 0.6rem;
    border: 1px solid var(--qp-border, #d5dbe1);
    border-radius: 6px;
  }
  .effect .problem {
    grid-column: 1 / -1;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin-top: 0.6rem;
  }
  .summary {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem 1.2rem;
    margin: 0.2rem 0 0.5rem;
    padding: 0;
    list-style: none;
    font-size: 0.9rem;
  }
  .summary strong {
    font-weight: 600;
  }
  .notice {
    border-left: 4px solid var(--qp-accent, #0b5cad);
    background: #eef4fb;
    padding: 0.4rem 0.7rem;
    border-radius: 4px;
    margin: 0.5rem 0 0;
  }
  input[type='file'] {
    position: absolute;
    width: 1px;
    height: 1px;
    opacity: 0;
  }
`;
