/**
 * What the diagnostics panels write beside the numbers of src/pkpd/diagnostics/study-diagnostics.ts:
 * axis labels with the study spec's endpoint names and units, the time and amount units, the dose
 * questions' criterion on the endpoint it concerns, each dose in words and as a mark (infusions as
 * bars from start to end), group colours and the subject chooser's labels. No science: labels and
 * bookkeeping of numbers computed in src/pkpd. Pure; tested in Node (diagnostics-model.test.ts).
 */
import { armLabel } from '../../data/explore/arms';
import { endpointView, type EndpointView, referenceLevel, type ReferenceLevel } from '../../data/explore/explorer-model';
import type { IndividualCurve } from '../../pkpd/diagnostics/individual-curves';
import type { DiagnosticTarget, ObservationDiagnostic } from '../../pkpd/diagnostics/observation-diagnostics';
import type { DoseEvent } from '../../pkpd/structural/doses';
import type { StudySpec } from '../../study/study-spec';
import { formatNumber } from '../../text/format';
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
