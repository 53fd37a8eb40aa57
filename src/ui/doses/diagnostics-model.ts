/**
 * What the diagnostics panels write beside the numbers of src/pkpd/diagnostics/study-diagnostics.ts:
 * axis labels with the study spec's endpoint names and units, the time and amount units, the dose
 * questions' criterion on the endpoint it concerns, each dose in words and as a mark (infusions as
 * bars from start to end), group colours and the subject chooser's labels; for the guidance plots,
 * the NPDE summary in words, the random effects of an endpoint, a histogram of η̂ beside N(0, ω²),
 * η̂ against each covariate column, the correlation matrix as cells and its condition number in words.
 * No science: labels and bookkeeping of numbers computed in src/pkpd. Pure; tested in Node
 * (diagnostics-model.test.ts).
 */
import { armLabel } from '../../data/explore/arms';
import { endpointView, type EndpointView, referenceLevel, type ReferenceLevel } from '../../data/explore/explorer-model';
import type { IndividualCurve } from '../../pkpd/diagnostics/individual-curves';
import type { EtaDiagnostics, EtaSummary } from '../../pkpd/diagnostics/eta-diagnostics';
import type { NpdeSummary } from '../../pkpd/diagnostics/npde';
import type { DiagnosticTarget, ObservationDiagnostic } from '../../pkpd/diagnostics/observation-diagnostics';
import type { ParameterCorrelation } from '../../pkpd/diagnostics/parameter-correlation';
import type { NpdeObservation, NpdeResult } from '../../pkpd/diagnostics/study-diagnostics';
import type { DoseEvent } from '../../pkpd/structural/doses';
import type { StudySpec } from '../../study/study-spec';
import { formatCount, formatNumber, formatSignificant } from '../../text/format';
import { type ArmColorScale, groupColorScale } from '../explorer/arm-colors';
import { axisLabel } from '../explorer/plot-theme';

/** The part of a study spec the panels read: units, endpoints (names), and the questions' criterion where there is one. */
export type DiagnosticsSpec = Pick<StudySpec, 'units' | 'endpoints'> & Partial<Pick<StudySpec, 'questions'>>;

export interface DiagnosticsLabels {
  timeUnit: string;
  amountUnit: string;
  /** Name and unit of each endpoint ("Concentration" / "Response" and no unit where the spec does not say). */
  endpoints: Record<DiagnosticTarget, EndpointView>;
  /** The dose questions' criterion, on its endpoint. */
  reference: ReferenceLevel | null;
}

const FALLBACK_NAMES: Readonly<Record<DiagnosticTarget, string>> = { pk: 'Concentration', pd: 'Response' };

export function diagnosticsLabels(spec: DiagnosticsSpec | null): DiagnosticsLabels {
  const view = (target: DiagnosticTarget): EndpointView | null => (spec ? endpointView(spec, target) : null);
  const pk = view('pk');
  const pd = view('pd');
  const fallback = (target: DiagnosticTarget): EndpointView => ({ selector: {}, name: FALLBACK_NAMES[target], unit: '' });
  return {
    timeUnit: spec?.units.time ?? '',
    amountUnit: spec?.units.amount ?? '',
    endpoints: { pk: pk ?? fallback('pk'), pd: pd ?? fallback('pd') },
    reference: spec ? referenceLevel(spec, { pk, pd }) : null,
  };
}

/** "Time (h)". */
export function timeAxisLabel(labels: DiagnosticsLabels): string {
  return axisLabel('Time', labels.timeUnit);
}

/** The endpoint's values: "Theophylline (mg/L)". */
export function valueAxisLabel(labels: DiagnosticsLabels, target: DiagnosticTarget): string {
  const e = labels.endpoints[target];
  return axisLabel(e.name, e.unit);
}

/** Observed values: "Observed theophylline (mg/L)". */
export function observedAxisLabel(labels: DiagnosticsLabels, target: DiagnosticTarget): string {
  const e = labels.endpoints[target];
  return axisLabel(`Observed ${lowerFirst(e.name)}`, e.unit);
}

/** A prediction: "PRED of theophylline (mg/L)". */
export function predictionAxisLabel(labels: DiagnosticsLabels, target: DiagnosticTarget, prediction: 'pred' | 'ipred'): string {
  const e = labels.endpoints[target];
  return axisLabel(`${prediction.toUpperCase()} of ${lowerFirst(e.name)}`, e.unit);
}

/** Prediction-corrected values (pcVPC): "Prediction-corrected theophylline (mg/L)". */
export function correctedAxisLabel(labels: DiagnosticsLabels, target: DiagnosticTarget): string {
  const e = labels.endpoints[target];
  return axisLabel(`Prediction-corrected ${lowerFirst(e.name)}`, e.unit);
}

/** "PK: Theophylline", the heading of an endpoint's plots. */
export function endpointTitle(labels: DiagnosticsLabels, target: DiagnosticTarget): string {
  return `${target.toUpperCase()}: ${labels.endpoints[target].name}`;
}

function lowerFirst(name: string): string {
  // Keep acronyms and names as written ("PD biomarker", "IL-6"); lower only a capitalised word.
  return /^[A-Z][a-z]/.test(name) ? name[0].toLowerCase() + name.slice(1) : name;
}

function withUnit(value: number, unit: string): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

const ROUTE_WORDS: Readonly<Record<DoseEvent['route'], string>> = { oral: 'oral', bolus: 'IV bolus', infusion: 'IV infusion' };

/** "100 mg IV infusion over 1 h at 24 h", "10 mg oral at 0 h, at steady state every 24 h". */
export function doseText(dose: DoseEvent, labels: DiagnosticsLabels): string {
  let text = `${withUnit(dose.amount, labels.amountUnit)} ${ROUTE_WORDS[dose.route]}`;
  if (dose.route === 'infusion' && dose.duration) text += ` over ${withUnit(dose.duration, labels.timeUnit)}`;
  text += ` at ${withUnit(dose.time, labels.timeUnit)}`;
  if (dose.steadyState) text += `, at steady state every ${withUnit(dose.steadyState.interval, labels.timeUnit)}`;
  return text;
}

/** A dose as drawn: a line at `start` (oral, bolus), or a bar from `start` to `end` (infusion). */
export interface DoseMark {
  start: number;
  end: number;
  infusion: boolean;
  text: string;
}

export function doseMarks(curve: Pick<IndividualCurve, 'doses'>, labels: DiagnosticsLabels): DoseMark[] {
  return curve.doses.map((d) => {
    const infusion = d.route === 'infusion' && (d.duration ?? 0) > 0;
    return { start: d.time, end: infusion ? d.time + (d.duration as number) : d.time, infusion, text: doseText(d, labels) };
  });
}

/** The group of an observation row: the study's group, or the arm of the EstData fit. */
export function rowGroup(row: Pick<ObservationDiagnostic, 'group' | 'armDose'>): string {
  return row.group ?? armLabel(row.armDose);
}

/**
 * Whether a row is below the limit of quantification (the fit's `blq` flag: censored, DV the limit,
 * no residuals); false for rows without the flag (results computed before the fit had it).
 */
export function isBlq(row: object): boolean {
  return (row as { blq?: unknown }).blq === true;
}

/** Group colours in the subjects' order: groups with doses from the palette, undosed ones grey (as the explorer). */
export function groupColors(curves: readonly Pick<IndividualCurve, 'group' | 'doses'>[]): ArmColorScale {
  const groups: { label: string; dosed: boolean }[] = [];
  for (const c of curves) {
    const g = groups.find((x) => x.label === c.group);
    if (g) g.dosed ||= c.doses.length > 0;
    else groups.push({ label: c.group, dosed: c.doses.length > 0 });
  }
  return groupColorScale(groups);
}

/** The curves that have the endpoint (PK: dosed subjects; PD: a fit with a PD model). */
export function curvesOf(curves: readonly IndividualCurve[], target: DiagnosticTarget): IndividualCurve[] {
  return curves.filter((c) => c[target] !== null);
}

/** The subject shown first: the first with observations of the endpoint and doses, else the first. */
export function defaultSubject(curves: readonly IndividualCurve[], target: DiagnosticTarget): string {
  return (curves.find((c) => c.doses.length > 0 && c.observed[target].time.length > 0) ?? curves[0])?.id ?? '';
}

/** The subject chooser's text: "ID 12 · DOSE 10 · WT 70 · SEX 1" (at most three covariates). */
export function subjectLabel(curve: Pick<IndividualCurve, 'id' | 'group' | 'covariates'>): string {
  const covariates = Object.entries(curve.covariates)
    .slice(0, 3)
    .map(([name, value]) => `${name} ${formatNumber(value)}`);
  return [`ID ${curve.id}`, curve.group, ...covariates].join(' · ');
}

/** The NPDE of an endpoint's observations that have one (finite: at least two usable simulations). */
export function npdeRowsOf(npde: NpdeResult, target: DiagnosticTarget): NpdeObservation[] {
  return npde.observations.filter((r) => r.target === target && Number.isFinite(r.npde));
}

/** "n = 120 · mean 0.126 (0 expected) · variance 0.965 (1) · KS test of N(0, 1): p = 0.253". */
export function npdeSummaryText(summary: NpdeSummary | undefined): string {
  if (!summary || summary.n === 0) return 'no NPDE';
  const p = summary.ksPValue < 0.001 ? '< 0.001' : `= ${formatSignificant(summary.ksPValue, 2)}`;
  const moments = `mean ${formatSignificant(summary.mean, 2)} (0 expected) · variance ${formatSignificant(summary.variance, 3)} (1)`;
  return `n = ${summary.n} · ${moments} · KS test of N(0, 1): p ${p}`;
}

/** A random effect of an endpoint's stage and its place in `EtaDiagnostics.etas` (and in each subject's `eta`). */
export interface EtaChoice {
  index: number;
  summary: EtaSummary;
}

/** The random effects of the endpoint's stage (PK: the PK model's, PD: the PD model's). */
export function etasOf(eta: EtaDiagnostics, target: DiagnosticTarget): EtaChoice[] {
  return eta.etas.map((summary, index) => ({ index, summary })).filter((c) => c.summary.stage === target);
}

/** η-shrinkage above which plots of η̂ mislead (Savic & Karlsson 2009: 20–30 %). */
export const HIGH_SHRINKAGE = 0.3;

/** "ω 0.232 · shrinkage 1.2 % · 12 subjects", with a warning above `HIGH_SHRINKAGE`. */
export function etaSummaryText(summary: EtaSummary): string {
  const shrinkage = formatSignificant(100 * summary.shrinkage, 2);
  const high = summary.shrinkage > HIGH_SHRINKAGE ? ' (above 30 %: η̂ shrink towards 0, their plots can hide or fake relations)' : '';
  return `ω ${formatSignificant(summary.omega)} · shrinkage ${shrinkage} %${high} · ${summary.n} subjects`;
}

export interface HistogramBin {
  x1: number;
  x2: number;
  count: number;
}

/** Bins of η̂ (Sturges' number, at least 5, over a range symmetric about 0 that holds ±2.5ω) and N(0, ω²) scaled to counts. */
export function etaHistogram(values: readonly number[], omega: number): { bins: HistogramBin[]; density: { x: number; count: number }[] } {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  const sd = Number.isFinite(omega) && omega > 0 ? omega : 0;
  const half = Math.max(2.5 * sd, ...finite.map(Math.abs)) * 1.02 || 1;
  const k = Math.max(5, Math.ceil(Math.log2(Math.max(n, 1))) + 1);
  const width = (2 * half) / k;
  const bins = Array.from({ length: k }, (_, b) => ({ x1: -half + b * width, x2: -half + (b + 1) * width, count: 0 }));
  for (const v of finite) bins[Math.min(k - 1, Math.floor((v + half) / width))].count++;
  const density =
    sd > 0
      ? Array.from({ length: 81 }, (_, i) => {
          const x = -half + (i * 2 * half) / 80;
          return { x, count: (n * width * Math.exp(-0.5 * (x / sd) ** 2)) / (sd * Math.sqrt(2 * Math.PI)) };
        })
      : [];
  return { bins, density };
}

/** η̂ of one random effect against one covariate column: a panel of the small multiples. */
export interface EtaCovariatePanel {
  column: string;
  /** The model's covariate effects use this column. */
  inModel: boolean;
  /** At most five distinct integer values (sex, a comedication, a dose level): drawn as categories. */
  categorical: boolean;
  points: { value: number; eta: number; id: string; group: string }[];
}

/** One panel per covariate column with a value and an η̂ for some subject, at most `max` (the first in file order). */
export function etaCovariatePanels(eta: EtaDiagnostics, index: number, max = 12): { panels: EtaCovariatePanel[]; omitted: number } {
  const all = eta.covariates
    .map((column, c): EtaCovariatePanel => {
      const points = eta.subjects
        .filter((s) => Number.isFinite(s.eta[index]) && Number.isFinite(s.covariates[c]))
        .map((s) => ({ value: s.covariates[c], eta: s.eta[index], id: s.id, group: s.group }));
      const distinct = new Set(points.map((p) => p.value));
      const categorical = distinct.size <= 5 && [...distinct].every(Number.isInteger);
      return { column, inModel: eta.effectColumns.includes(column), categorical, points };
    })
    .filter((p) => p.points.length > 0);
  return { panels: all.slice(0, max), omitted: Math.max(0, all.length - max) };
}

/** A cell of the correlation matrix (NaN: a parameter without a standard error, left out). */
export interface CorrelationCell {
  row: string;
  column: string;
  r: number;
}

export function correlationCells(c: ParameterCorrelation): CorrelationCell[] {
  return c.names
    .flatMap((row, i) => c.names.map((column, j) => ({ row, column, r: c.correlation[i][j] })))
    .filter((x) => Number.isFinite(x.r));
}

/** The condition number above which NONMEM users read the model as over-parameterised. */
export const HIGH_CONDITION_NUMBER = 1000;

/** The condition number in words, `high` above `HIGH_CONDITION_NUMBER` (or infinite). */
export function conditionNumberText(c: ParameterCorrelation): { text: string; high: boolean } {
  const k = c.conditionNumber;
  const parameters = c.names.length - c.excluded.length;
  const without = c.excluded.length > 0 ? `; without a standard error, left out: ${c.excluded.join(', ')}` : '';
  if (Number.isNaN(k)) return { text: `No condition number (no parameter with a standard error)${without}`, high: false };
  const value = Number.isFinite(k) ? formatSignificant(k, 3) : 'infinite (smallest eigenvalue ≤ 0)';
  const high = !(k <= HIGH_CONDITION_NUMBER);
  const verdict = high
    ? ` — above ${formatCount(HIGH_CONDITION_NUMBER)}: ill-conditioned, the data may not tell some parameters apart (over-parameterised)`
    : ` (at most ${formatCount(HIGH_CONDITION_NUMBER)}: well conditioned)`;
  return {
    text:
      `Condition number ${value}${verdict}; largest / smallest eigenvalue of the correlation matrix of ${parameters} estimates` + without,
    high,
  };
}
