/**
 * `<qp-export-menu .plot=${Element|null} name="pk-time" label="D. Mean PK…" .csv=${CsvExport|null}>`:
 * small buttons that download a plot as SVG or PNG (2×, white background) and, where the plot has
 * a table behind it, that table as CSV. Hidden when printing.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { CsvExport } from '../../export/csv';
import { downloadBlob, downloadCsv } from '../../export/download';
import { standaloneSvg, svgToPng } from '../../export/plot-svg';
import { controlStyles } from '../shared-styles';

export class ExportMenu extends LitElement {
  static override properties = {
    plot: { attribute: false },
    name: {},
    label: {},
    csv: { attribute: false },
    problem: { state: true },
  };
  static override styles = [
    controlStyles,
    css`
      :host {
        float: right;
        display: flex;
        flex-wrap: wrap;
        justify-content: end;
        gap: 0.25rem;
        margin: 0 0 0.25rem 0.5rem;
      }
      button {
        font-size: 0.72rem;
        padding: 0.1rem 0.4rem;
        border-radius: 4px;
        color: var(--qp-muted, #52606d);
      }
      .problem {
        flex-basis: 100%;
        font-size: 0.8rem;
        color: var(--qp-danger, #a4161a);
      }
      @media print {
        :host {
          display: none;
        }
      }
    `,
  ];

  /** The element the plot is drawn in (null until drawn). */
  declare plot: Element | null;
  /** File name without extension. */
  declare name: string;
  /** The plot's caption, for the buttons' accessible names. */
  declare label: string;
  declare csv: CsvExport | null;
  declare problem: string;

  constructor() {
    super();
    this.plot = null;
    this.name = 'plot';
    this.label = 'the plot';
    this.csv = null;
    this.problem = '';
  }

  protected override render(): TemplateResult {
    const off = this.plot === null;
    return html`<button type="button" ?disabled=${off} aria-label="Download ${this.label} as SVG" @click=${this.onSvg}>SVG</button>
      <button type="button" ?disabled=${off} aria-label="Download ${this.label} as PNG" @click=${this.onPng}>PNG</button>
      ${this.csv ? html`<button type="button" aria-label="Download ${this.csv.label} as CSV" @click=${() => downloadCsv(this.csv as CsvExport)}>CSV</button>` : nothing}
      <span class="problem" role="status">${this.problem}</span>`;
  }

  private readonly onSvg = (): void => {
    if (!this.plot) return;
    downloadBlob(new Blob([standaloneSvg(this.plot).text], { type: 'image/svg+xml' }), `${this.name}.svg`);
  };

  private readonly onPng = async (): Promise<void> => {
    if (!this.plot) return;
    this.problem = '';
    try {
      downloadBlob(await svgToPng(standaloneSvg(this.plot)), `${this.name}.png`);
    } catch (error) {
      this.problem = `The PNG could not be made: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
}

if (!customElements.get('qp-export-menu')) customElements.define('qp-export-menu', ExportMenu);

declare global {
  interface HTMLElementTagNameMap {
    'qp-export-menu': ExportMenu;
  }
}
