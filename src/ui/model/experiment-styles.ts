/** Look of the experiment panels (ablation, claims check): a card, a row of controls, result tables. */
import { css } from 'lit';
import { noticeStyles } from '../run-notice';
import { cardStyles, controlStyles } from '../shared-styles';

export const experimentStyles = [
  controlStyles,
  cardStyles,
  noticeStyles,
  css`
    h3 {
      margin: 1rem 0 0.4rem;
      font-size: 0.95rem;
    }
    .intro,
    .note {
      margin: 0 0 0.75rem;
      font-size: 0.88rem;
      color: var(--qp-muted, #52606d);
      max-width: 56rem;
    }
    .note.test-subjects {
      color: var(--qp-text, #1b2733);
      background: #fff6dd;
      border-left: 4px solid #9a6700;
      padding: 0.45rem 0.7rem;
      border-radius: 4px;
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      gap: 0.6rem 1.2rem;
      align-items: flex-start;
      margin: 0 0 0.7rem;
    }
    label,
    fieldset legend {
      font-size: 0.78rem;
      color: var(--qp-muted, #52606d);
      text-transform: uppercase;
      letter-spacing: 0.03em;
    }
    .controls > label {
      display: flex;
      flex-direction: column;
      gap: 0.2rem;
      max-width: 100%;
    }
    fieldset {
      border: 1px solid var(--qp-border, #c9d2db);
      border-radius: 6px;
      padding: 0.2rem 0.6rem 0.4rem;
      margin: 0;
    }
    fieldset label {
      display: inline-flex;
      align-items: center;
      gap: 0.25rem;
      margin-right: 0.7rem;
      font-size: 0.95rem;
      color: var(--qp-text, #1b2733);
      text-transform: none;
      letter-spacing: normal;
    }
    select,
    input[type='number'] {
      font: inherit;
      font-size: 0.95rem;
      color: var(--qp-text, #1b2733);
      background: var(--qp-surface, #fff);
      border: 1px solid var(--qp-border, #c9d2db);
      border-radius: 4px;
      padding: 0.25rem 0.4rem;
      max-width: 100%;
    }
    input[type='number'] {
      width: 6rem;
    }
    select:disabled,
    input:disabled {
      opacity: 0.6;
    }
    input[aria-invalid='true'] {
      border-color: var(--qp-danger, #a4161a);
    }
    .hint,
    .blocker {
      font-size: 0.78rem;
      color: var(--qp-danger, #a4161a);
      text-transform: none;
      letter-spacing: normal;
      max-width: 14rem;
    }
    details.advanced {
      margin: 0 0 0.7rem;
    }
    details.advanced summary {
      cursor: pointer;
      font-size: 0.88rem;
      margin-bottom: 0.5rem;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      flex-wrap: wrap;
    }
    .progress {
      margin: 0.7rem 0 0;
    }
    .progress p {
      margin: 0 0 0.3rem;
      font-size: 0.9rem;
    }
    progress {
      width: 100%;
      max-width: 40rem;
    }
    .outcome {
      font-size: 0.9rem;
    }
    .table-wrap {
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      font-size: 0.88rem;
    }
    caption {
      text-align: left;
      font-size: 0.85rem;
      color: var(--qp-muted, #52606d);
      padding: 0 0 0.35rem;
    }
    th,
    td {
      padding: 0.3rem 0.55rem;
      border-bottom: 1px solid #e4e9ee;
      text-align: right;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    thead th {
      font-size: 0.78rem;
      font-weight: 600;
      color: var(--qp-muted, #52606d);
      border-bottom: 2px solid var(--qp-border, #c9d2db);
      white-space: normal;
      vertical-align: bottom;
    }
    th[scope='row'],
    thead th:first-child {
      text-align: left;
    }
    th[scope='row'] {
      font-weight: 500;
    }
    .sub {
      color: var(--qp-muted, #52606d);
      font-size: 0.78rem;
    }
    ul.verdicts {
      list-style: none;
      padding: 0;
      margin: 0 0 0.6rem;
      font-size: 0.9rem;
      line-height: 1.45;
    }
    ul.verdicts li {
      padding: 0.3rem 0.6rem;
      margin: 0 0 0.3rem;
      border-left: 4px solid var(--tone, #52606d);
      background: var(--tone-bg, #f1f4f7);
      border-radius: 4px;
    }
    ul.verdicts li[data-holds='true'] {
      --tone: #1b7a3d;
      --tone-bg: #e8f5ec;
    }
    ul.verdicts li[data-holds='false'] {
      --tone: var(--qp-danger, #a4161a);
      --tone-bg: #fdecea;
    }
    .badge {
      font-size: 0.72rem;
      font-weight: 700;
      text-transform: uppercase;
      letter-spacing: 0.03em;
      color: #fff;
      background: var(--tone, #52606d);
      border-radius: 999px;
      padding: 0.05rem 0.5rem;
      white-space: nowrap;
    }
  `,
];
