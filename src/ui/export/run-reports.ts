/**
 * The printable reports of a run: the Model tab's (data, model settings, training, metrics, plots)
 * and the Doses tab's (data, question settings, answers, plots), as ReportDocuments. Pure: the
 * plots come in already serialised.
 */
import type { Dataset } from '../../data/types';
import type { TargetMetrics } from '../../model/metrics';
import type { SubjectMetrics, TrainedModelFacts } from '../../model/trained-model';
import { MODE_LABELS } from '../../model/training-config';
import { describeClassification } from '../../model/classification';
import { endpointTitle, type ReportLabels } from '../../model/report/labels';
import type { ReportDocument, ReportFigure, ReportSection, ReportTable } from '../../export/report-html';
import { ENCODER_LABELS, isQuantumEncoder } from '../../quantum/resources/architecture';
import { datasetFacts } from '../dataset-facts';
import type { DoseModelReport, MechanisticRunReport } from '../../dose/dose-run-report';
import type { CovariateSearchReport } from '../../pkpd/population/covariate-search-report';
import { fitTables } from '../doses/fit-panel-model';
import { answerRows, FLAG_LABELS, type ModelAnswers, regimenLabel, scenarioLabel, tableQuestions } from '../doses/answer-rows';
import { formatDose, formatPercent, formatPercentRange } from '../doses/dose-format';
import { formatSignificant } from '../../text/format';
import { branchLabel, splitLabel } from '../model/model-labels';

export interface ReportData {
  readonly data: Dataset;
  readonly datasetName: string;
}

const subtitle = (name: string): string => `Dataset “${name}” · made ${new Date().toLocaleString('en-GB')} in this browser`;

function dataSection({ data, datasetName }: ReportData): ReportSection {
  return { heading: 'Data', facts: [['Dataset', datasetName], ['File', data.fileName], ...datasetFacts(data)] };
}

/** The head as trained: its criterion in words; "off"; or on without a criterion when the study asks no question. */
function headWords(on: boolean, labels: ReportLabels): string {
  if (!on) return 'off';
  return labels.criterion ? `on: ${describeClassification(labels.criterion)}` : 'none (the study asks no dose question)';
}

function modelFacts(f: TrainedModelFacts, labels: ReportLabels): [string, string][] {
  const c = f.config;
  return [
    ['Encoder', ENCODER_LABELS[c.encoder]],
    ['Mode', MODE_LABELS[c.mode]],
    ...(isQuantumEncoder(c.encoder) ? [['Circuit', `${c.qubits} qubits × ${c.layers} layers`] as [string, string]] : []),
    ['Hidden width × depth', `${c.hidden} × ${c.depth}`],
    ['Experts per MoE block', String(c.experts)],
    ['Dropout', String(c.dropout)],
    ['Learning rate', String(c.learningRate)],
    ['Batch size', String(c.batchSize)],
    ['Max epochs · patience', `${c.epochs} · ${c.patience}`],
    ['Seed', String(c.seed)],
    ['Split', `${splitLabel(c.split)} (validation: ${f.split.valIds.join(', ') || 'none'}; test: ${f.split.testIds.join(', ') || 'none'})`],
    ['MC-dropout samples', String(c.mcSamples)],
    ['Classification head', headWords(c.classification, labels)],
    ['Compute backend', `${f.backendUsed.backend.toUpperCase()} (asked: ${c.backend}; ${f.backendUsed.reason})`],
    ['Training time', `${f.seconds.toFixed(1)} s${f.cancelled ? ' (cancelled: best epochs reached so far)' : ''}`],
  ];
}

function trainingTable(f: TrainedModelFacts): ReportTable {
  return {
    caption: 'Training',
    columns: ['Network', 'Epochs run', 'Best epoch', 'Parameters (classical + quantum)'],
    rows: Object.entries(f.epochs).map(([branch, e]) => {
      const p = f.parameters[branch];
      return [branchLabel(branch), e.run, e.best, p ? `${p.total} (${p.classical} + ${p.quantum})` : '–'];
    }),
  };
}

function metricsTable(validation: SubjectMetrics, test: SubjectMetrics | null, labels: ReportLabels): ReportTable {
  const sets: [string, SubjectMetrics | null][] = [
    ['Validation', validation],
    ['Test (final)', test],
  ];
  const rows = sets.flatMap(([set, metrics]) =>
    (['pk', 'pd'] as const).flatMap((target) => {
      const m: TargetMetrics | null = metrics?.[target] ?? null;
      const { name, unit } = labels[target];
      return m
        ? [
            [
              `${endpointTitle({ target, name })}, ${unit || 'no unit'}`,
              set,
              m.n,
              ...[m.rmse_z, m.mae_z, m.r2_z, m.rmse, m.mae, m.r2].map((x) => formatSignificant(x)),
            ],
          ]
        : [];
    }),
  );
  return {
    caption: "Metrics (z: in SDs of the training subjects, log scale for PK; without z: in the target's unit, as observed)",
    columns: ['Target (unit)', 'Subjects', 'n', 'RMSE (z)', 'MAE (z)', 'R² (z)', 'RMSE', 'MAE', 'R²'],
    rows,
  };
}

export interface ModelReportInput extends ReportData {
  readonly facts: TrainedModelFacts;
  /** The model's units, endpoint names and criterion (trainedModelLabels). */
  readonly labels: ReportLabels;
  /** The saved model's name, or null. */
  readonly modelName: string | null;
  /** Which subjects the prediction plots show. */
  readonly subjectSet: string;
  readonly figures: readonly ReportFigure[];
}

export function modelReportDocument(input: ModelReportInput): ReportDocument {
  const { facts, labels } = input;
  return {
    title: `QPKPD Studio model report: ${input.modelName ?? 'new model (not saved)'}`,
    subtitle: subtitle(input.datasetName),
    sections: [
      dataSection(input),
      { heading: 'Model', facts: modelFacts(facts, labels), tables: [trainingTable(facts)] },
      { heading: 'Metrics', tables: [metricsTable(facts.validation, facts.test, labels)] },
      { heading: 'Plots', notes: [`Predictions of the ${input.subjectSet} subjects.`], figures: input.figures },
    ],
  };
}

function answersTable(models: readonly ModelAnswers[]): ReportTable {
  const unit = models[0]?.unit ?? '';
  const rows = answerRows(models).flatMap((row) =>
    row.cells.flatMap((cell, m) =>
      cell
        ? [
            [
              row.scenario,
              `≥ ${formatPercent(row.target)}`,
              row.regimen,
              models[m].label,
              cell.dose === null ? 'not reached' : formatDose(cell.dose),
              cell.range ? `${formatDose(cell.range.p05)}–${formatDose(cell.range.p95)}` : '–',
              cell.fraction === null ? '–' : `${formatPercent(cell.fraction)}${cell.ci ? ` (${formatPercentRange(cell.ci)})` : ''}`,
              cell.flags.map((f) => FLAG_LABELS[f]).join(', ') || 'none',
            ],
          ]
        : [],
    ),
  );
  return {
    caption: 'Answers',
    columns: ['Scenario', 'Target', 'Regimen', 'Model', `Dose (${unit})`, `Dose 5th–95th pct (${unit})`, 'Success (95 % CI)', 'Flags'],
    rows,
  };
}

export interface DosesReportInput extends ReportData {
  readonly models: readonly ModelAnswers[];
  /** The first model's report: the questions, units and method the run used. */
  readonly report: DoseModelReport;
  readonly figures: readonly ReportFigure[];
  /** The population fits of the run (mechanistic and hybrid), each with its estimates. */
  readonly fits?: readonly MechanisticRunReport[];
  /** The covariate search run on this dataset in this page, when there was one. */
  readonly covariateSearch?: CovariateSearchReport | null;
}

/** A population fit as the report shows it: structure, estimates with RSE and 95 % interval, Ω, residual error, objective. */
function fitSection(r: MechanisticRunReport): ReportSection {
  const t = fitTables(r.fit);
  const stages = (['pk', 'pd'] as const).filter((s) => t.estimates[s].length > 0);
  const f = r.fit;
  return {
    heading: r.label,
    facts: [
      ['Structure', [t.structure.pk, t.structure.pd].filter(Boolean).join('; ')],
      ['Objective (−2 log-likelihood)', f.ofv === null ? '–' : formatSignificant(f.ofv, 6)],
      ['AIC · BIC', `${f.aic === null ? '–' : formatSignificant(f.aic, 6)} · ${f.bic === null ? '–' : formatSignificant(f.bic, 6)}`],
      ['Subjects · observations', `${f.subjects} · ${f.observations}`],
    ],
    tables: [
      {
        caption: 'Models compared (lowest AIC kept)',
        columns: ['Stage', 'Model', 'Parameters', 'OFV', 'AIC', 'ΔAIC', 'Kept'],
        rows: t.comparison.map((c) => [c.stage, c.model, c.parameters, c.ofv, c.aic, c.deltaAic, c.chosen ? 'yes' : '']),
      },
      ...stages.map((s) => ({
        caption: `${s.toUpperCase()} estimates`,
        columns: ['Parameter', 'Estimate', 'Unit', 'RSE', '95 % interval'],
        rows: t.estimates[s].map((e) => [e.label, e.value, e.unit, e.fixed ? 'fixed' : e.rse, e.fixed ? '' : e.ci]),
      })),
      ...stages
        .filter((s) => t.omega[s].length > 0)
        .map((s) => ({
          caption: `${s.toUpperCase()} between-subject variability`,
          columns: ['Random effect', 'SD (log scale)', 'RSE', 'Shrinkage'],
          rows: t.omega[s].map((o) => [o.label, o.sd, o.fixed ? 'fixed' : o.rse, o.shrinkage]),
        })),
      {
        caption: 'Residual error',
        columns: ['Endpoint', 'Component', 'Value', 'RSE'],
        rows: t.residual.map((e) => [e.stage.toUpperCase(), e.label, e.value, e.rse]),
      },
    ],
    notes: f.notes,
  };
}

/** The covariate search: each step's table and the covariates chosen. */
function covariateSection(c: CovariateSearchReport): ReportSection {
  return {
    heading: 'Covariate search',
    facts: [
      ['Method', `forward inclusion (ΔOFV > ${c.thresholds.forward}), backward elimination (ΔOFV > ${c.thresholds.backward})`],
      ['Structure held', [c.structure.pk, c.structure.pd].filter(Boolean).join('; ')],
      ['Chosen', c.covariates.length > 0 ? c.covariates.map((e) => `${e.on}~${e.column} (${e.form})`).join(', ') : 'none'],
      ['Fits · time', `${c.fits} · ${c.seconds} s`],
    ],
    tables: c.steps.map((step) => ({
      caption: `${step.phase === 'forward' ? 'Forward' : 'Backward'} step ${step.step}: ${
        step.chosen ? `${step.phase === 'forward' ? 'adds' : 'removes'} ${step.chosen}` : 'no change'
      }`,
      columns: ['Effect', 'Form', 'OFV', 'ΔOFV', 'Chosen'],
      rows: step.rows.map((r) => [r.effect, r.form, r.ofv ?? '–', r.deltaOfv ?? '–', r.chosen ? 'yes' : '']),
    })),
    notes: [...c.notes, ...c.skipped.map((s) => `Not searched: ${s.column} (${s.reason}).`)],
  };
}

export function dosesReportDocument(input: DosesReportInput): ReportDocument {
  const r = input.report;
  const q = tableQuestions(input.models) ?? r.questions;
  const time = r.units.time;
  return {
    title: 'QPKPD Studio dose report',
    subtitle: subtitle(input.datasetName),
    sections: [
      dataSection(input),
      {
        heading: 'Dose questions',
        facts: [
          ['Study', r.study],
          ['Question', `the dose at which the target share of virtual subjects has ${r.question}`],
          ['Models', input.models.map((m) => m.label).join('; ')],
          ['Virtual subjects per scenario', String(q.virtualSubjects)],
          ['Seed', String(q.seed)],
          ['Targets', q.targets.map((t) => formatPercent(t)).join(', ')],
          ...q.scenarios.map((s): [string, string] => [`Scenario “${s.name}”`, scenarioLabel(s)]),
          ...q.regimens.map((g): [string, string] => [
            `Regimen “${g.name}”`,
            `${regimenLabel(g, time)}; dose step ${formatDose(g.step)} ${r.units.amount}`,
          ]),
          ['Search method', r.method],
          ...(r.kind === 'mechanistic'
            ? [['Uncertainty', `${r.uncertainty.made} of ${r.uncertainty.requested} draws: ${r.uncertainty.note}`] as [string, string]]
            : []),
        ],
        notes: [...new Set(input.models.flatMap((m) => m.notes))],
      },
      { heading: 'Answers', tables: [answersTable(input.models)] },
      ...(input.fits ?? []).map(fitSection),
      ...(input.covariateSearch ? [covariateSection(input.covariateSearch)] : []),
      { heading: 'Plots', figures: input.figures },
    ],
  };
}
