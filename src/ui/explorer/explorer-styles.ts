import { css } from 'lit';
import { focusStyles } from '../shared-styles';

/** Light clinical styling of the data explorer. */
export const explorerStyles = css`
  :host {
    display: block;
    color: var(--qp-text, #1b2733);
    font-family: inherit;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
    gap: 1rem;
    align-items: stretch;
  }
  figure.panel,
  .note-panel {
    margin: 0;
    min-width: 0;
    background: var(--qp-surface, #fff);
    border: 1px solid var(--qp-border, #c9d2db);
    border-radius: 8px;
    padding: 0.75rem 0.9rem 0.6rem;
    box-shadow: 0 1px 2px rgb(15 23 42 / 4%);
  }
  figure.panel.wide {
    grid-column: 1 / -1;
  }
  figure.panel > figcaption,
  .note-panel h3 {
    margin: 0 0 0.35rem;
    font-size: 0.95rem;
    font-weight: 600;
    color: var(--qp-text, #1b2733);
  }
  figure.panel > figcaption .detail {
    display: block;
    margin-top: 0.1rem;
    font-size: 0.8rem;
    font-weight: 400;
    color: var(--qp-muted, #52606d);
  }
  .plot {
    min-height: 16rem;
  }
  .plot figure {
    margin: 0;
  }
  .plot svg {
    max-width: 100%;
    height: auto;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem 1.1rem;
    align-items: center;
    margin: 0 0 0.4rem;
    font-size: 0.88rem;
  }
  .controls label {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    cursor: pointer;
  }
  .controls form.subject-id {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.35rem 0.6rem;
  }
  .controls form.subject-id .detail {
    font-size: 0.8rem;
    color: var(--qp-muted, #52606d);
  }
  input[type='checkbox'] {
    width: 1rem;
    height: 1rem;
    margin: 0;
    accent-color: var(--qp-accent, #0b5cad);
  }
  select {
    font: inherit;
    max-width: 100%;
    padding: 0.2rem 0.35rem;
    border: 1px solid var(--qp-border, #c9d2db);
    border-radius: 4px;
    background: var(--qp-surface, #fff);
    color: var(--qp-text, #1b2733);
  }
  ${focusStyles}
  .note,
  .note-panel p,
  .inline-note {
    margin: 0;
    font-size: 0.9rem;
    color: var(--qp-muted, #52606d);
  }
  .note {
    grid-column: 1 / -1;
    padding: 0.6rem 0.9rem;
    border-left: 4px solid var(--qp-accent, #0b5cad);
    background: #eef4fb;
    border-radius: 4px;
    color: var(--qp-text, #1b2733);
  }
  .subject-plots {
    display: flex;
    flex-wrap: wrap;
    gap: 0 1rem;
  }
  .subject-panel {
    min-width: 0;
  }
  .subject-plots.side-by-side .subject-panel {
    flex: 1 1 0;
  }
  .subject-plots.stacked .subject-panel {
    flex: 1 1 100%;
  }
  .subject-panel .inline-note {
    padding: 2rem 0;
    text-align: center;
  }
  .subject-legend {
    flex-basis: 100%;
    margin: 0.2rem 0 0;
    font-size: 0.8rem;
    color: var(--qp-muted, #52606d);
  }
  .dose-swatch {
    display: inline-block;
    width: 1.2rem;
    vertical-align: middle;
    border-top: 2px dashed #94a3b8;
  }
`;
