/**
 * Everything the data explorer draws for a dataset read through its study spec: groups from
 * `groupBy`, every covariate by group, the spec's PK and PD endpoints (names, units), the dose
 * questions' criterion as a reference line on the endpoint it concerns, and the PK–PD loops when both
 * endpoints have observations. Pure; derived once per dataset and spec, in the dataset worker.
 */
import type { Criterion, StudySpec, TimeUnit } from '../../study/study-spec';
import type { Dataset } from '../types';
import { type CovariateByGroup, covariatesByGroup } from './covariates-by-group';
import { subjectGroups, type SubjectGroup } from './groups';
import { type HysteresisLoop, hysteresisLoops } from './hysteresis';
import { type IndividualSeries, individualSeries } from './individual-series';
import { meanCurves, type MeanCurves } from './mean-curves';
import type { ObservationSelector } from './observations';
import { subjectSummaries, type SubjectSummary } from './subject-summaries';

/** Covariates shown beside each subject in the subject picker. */
const PICKER_COVARIATES = 3;

/** One endpoint as the plots name it. */
export interface EndpointView {
  selector: ObservationSelector;
  /** "Drug concentration"; the spec's name, or "Concentration" / "Response". */
  name: string;
  /** Unit for axes ("ng/mL"); "" when the spec gives none. */
  unit: string;
}

/** The dose questions' criterion drawn on its endpoint: a threshold line, or a band for a range. */
export type ReferenceLevel =
  | { endpoint: 'pk' | 'pd'; rule: 'below' | 'above'; value: number; unit: string }
  | { endpoint: 'pk' | 'pd'; rule: 'within'; range: [number, number]; unit: string };

export interface ExplorerModel {
  /** The grouping column as the file names it, or "regimen". */
  groupBy: string;
  groups: SubjectGroup[];
  /** How many groups there were when they were pooled into one (too many to draw apart); else null. */
  pooledGroups: number | null;
  /** Why the spec's grouping could not be used as written; else null. */
  groupNote: string | null;
  timeUnit: TimeUnit;
  amountUnit: string;
  /** Null where the spec has no such endpoint. */
  endpoints: { pk: EndpointView | null; pd: EndpointView | null };
  reference: ReferenceLevel | null;
  covariates: CovariateByGroup[];
  /** Covariates not drawn (over the panel limit). */
  covariatesOmitted: string[];
  /** Null when the spec has no PK endpoint or it has no usable observations. */
  pk: MeanCurves | null;
  /** PK spaghetti, one series per subject with PK. */
  pkIndividuals: IndividualSeries[];
  /** Null when the spec has no PD endpoint or it has no usable observations. */
  pd: MeanCurves | null;
  /** Mean PK–PD loops of the groups that have both (groups' order). */
  loops: HysteresisLoop[];
  subjects: SubjectSummary[];
  /** The subject shown first: the first one with PK in the last group that has one, else the first subject. */
  defaultSubject: number | null;
  /** Usable observations of each endpoint. */
  pkCount: number;
  pdCount: number;
}

export function endpointView(spec: Pick<StudySpec, 'endpoints' | 'units'>, endpoint: 'pk' | 'pd'): EndpointView | null {
  const selector = spec.endpoints[endpoint];
  if (!selector) return null;
  const { dvid, cmt } = selector;
  return {
    selector: { ...(dvid !== undefined ? { dvid } : {}), ...(cmt !== undefined ? { cmt } : {}) },
    name: selector.name ?? (endpoint === 'pk' ? 'Concentration' : 'Response'),
    unit: endpoint === 'pk' ? spec.units.concentration : spec.units.response,
  };
}

export function referenceLevel(spec: Pick<StudySpec, 'questions'>, endpoints: ExplorerModel['endpoints']): ReferenceLevel | null {
  const questions = spec.questions;
  if (!questions) return null;
  const endpoint = endpoints[questions.endpoint];
  if (!endpoint) return null;
  const criterion: Criterion = questions.criterion;
  return criterion.rule === 'within'
    ? { endpoint: questions.endpoint, rule: 'within', range: [...criterion.range], unit: endpoint.unit }
    : { endpoint: questions.endpoint, rule: criterion.rule, value: criterion.threshold, unit: endpoint.unit };
}

export function explorerModel(dataset: Dataset, spec: StudySpec): ExplorerModel {
  const grouping = subjectGroups(dataset, spec);
  const groups = grouping.groups;
  const endpoints = { pk: endpointView(spec, 'pk'), pd: endpointView(spec, 'pd') };
  const pkCurves = endpoints.pk ? meanCurves(dataset, endpoints.pk.selector, groups) : null;
  const pdCurves = endpoints.pd ? meanCurves(dataset, endpoints.pd.selector, groups) : null;
  const count = (m: MeanCurves | null): number => m?.curves.reduce((s, c) => s + c.points.reduce((t, p) => t + p.n, 0), 0) ?? 0;
  const pk = pkCurves && pkCurves.curves.length > 0 ? pkCurves : null;
  const pd = pdCurves && pdCurves.curves.length > 0 ? pdCurves : null;
  const covariates = covariatesByGroup(dataset, groups, {
    exclude: grouping.by === 'regimen' ? [] : [grouping.by],
    first: spec.model.covariates.map((c) => c.column),
  });
  const pkIndividuals = endpoints.pk && pk ? individualSeries(dataset, endpoints.pk.selector, groups) : [];
  const withPk = new Set(pkIndividuals.map((s) => s.subject));
  let defaultSubject: number | null = null;
  for (let g = groups.length - 1; g >= 0 && defaultSubject === null; g--)
    defaultSubject = groups[g].subjects.find((s) => withPk.has(s)) ?? null;
  defaultSubject ??= dataset.subjects.length > 0 ? (groups[0]?.subjects[0] ?? 0) : null;
  return {
    groupBy: grouping.by,
    groups,
    pooledGroups: grouping.pooled,
    groupNote: grouping.note,
    timeUnit: spec.units.time,
    amountUnit: spec.units.amount,
    endpoints,
    reference: referenceLevel(spec, endpoints),
    covariates: covariates.panels,
    covariatesOmitted: covariates.omitted,
    pk,
    pkIndividuals,
    pd,
    loops: endpoints.pk && endpoints.pd && pk && pd ? hysteresisLoops(dataset, endpoints.pk.selector, endpoints.pd.selector, groups) : [],
    subjects: subjectSummaries(
      dataset,
      groups,
      covariates.panels.slice(0, PICKER_COVARIATES).map((c) => c.name),
    ),
    defaultSubject,
    pkCount: count(pkCurves),
    pdCount: count(pdCurves),
  };
}
