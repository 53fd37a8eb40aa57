import { css } from 'lit';
import { noticeStyles } from '../run-notice';

/** Cards, form fields, notices and tables shared by the Model view's parts. */
export const modelStyles = css`
  :host {
    display: block;
    color: var(--qp-text, #1b2733);
  }
  .card {
    background: var(--qp-surface, #fff);
    border: 1px solid var(--qp-border, #c9d2db);
    border-radius: 8px;
    padding: 0.75rem 0.9rem 0.9rem;
    box-shadow: 0 1px 2px rgb(15 23 42 / 4%);
    margin-bottom: 1rem;
  }
  h3 {
    margin: 0 0 0.5rem;
    font-size: 1.05rem;
  }
  h4 {
    margin: 0.9rem 0 0.4rem;
    font-size: 0.95rem;
  }
  .muted {
    color: var(--qp-muted, #52606d);
    font-size: 0.88rem;
  }
  .fields {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
    gap: 0.6rem 1rem;
    align-items: start;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.2rem;
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
  select,
  input[type='number'],
  input[type='text'] {
    font: inherit;
    font-size: 0.95rem;
    color: var(--qp-text, #1b2733);
    background: var(--qp-surface, #fff);
    border: 1px solid var(--qp-border, #b8c2cc);
    border-radius: 4px;
    padding: 0.25rem 0.4rem;
    min-width: 0;
  }
  select:disabled,
  input:disabled {
    opacity: 0.55;
  }
  [aria-invalid='true'] {
    border-color: var(--qp-danger, #a4161a);
    outline-color: var(--qp-danger, #a4161a);
  }
  .problem {
    font-size: 0.78rem;
    color: var(--qp-danger, #a4161a);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin-top: 0.8rem;
  }
  ${noticeStyles}
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.88rem;
  }
  th,
  td {
    padding: 0.3rem 0.5rem;
    border-bottom: 1px solid #e4e9ee;
    text-align: right;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  th:first-child,
  td:first-child,
  tbody th {
    text-align: left;
  }
  thead th {
    font-size: 0.75rem;
    text-transform: uppercase;
    letter-spacing: 0.03em;
    color: var(--qp-muted, #52606d);
    border-bottom: 2px solid var(--qp-border, #c9d2db);
  }
  .table-wrap {
    overflow-x: auto;
  }
  .badge {
    display: inline-block;
    font-size: 0.72rem;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.03em;
    border-radius: 999px;
    padding: 0.05rem 0.5rem;
    color: #fff;
    background: var(--badge, #52606d);
  }
`;
