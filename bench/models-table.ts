/**
 * Markdown table of a bench:models result file: test PD and PK RMSE (z-units and ng/mL; cv5: mean ±
 * SD over folds), parameters, training seconds and backend per encoder × mode.
 *
 *   npx tsx bench/models-table.ts FILE.json
 */
import { readFileSync } from 'node:fs';
import { formatCount } from '../src/text/format';

interface Metric {
  rmse_z: number;
  rmse: number;
}
interface Run {
  metrics: { test: { pk: Metric | null; pd: Metric | null } };
  metrics_sd?: { test: { pk: Metric | null; pd: Metric | null } };
  parameters?: Record<string, { total: number }>;
  folds?: { parameters: Record<string, { total: number }> }[];
  seconds: number;
  backend: { name: string };
}
interface Entry {
  encoder: string;
  mode: string;
  result: Run;
}

const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/models-table.ts FILE.json');
const { split, entries } = JSON.parse(readFileSync(file, 'utf8')) as { split: string; entries: Entry[] };

const cell = (mean: Metric | null, sd: Metric | null | undefined, key: keyof Metric, digits: number): string => {
  if (!mean) return '—';
  return sd ? `${mean[key].toFixed(digits)} ± ${sd[key].toFixed(digits)}` : mean[key].toFixed(digits);
};
const parameters = (run: Run): number => {
  const perBranch = run.parameters ?? run.folds?.[0]?.parameters ?? {};
  return Object.values(perBranch).reduce((sum, p) => sum + p.total, 0);
};

const rows = [
  `| encoder | mode | test PD RMSE (z) | test PD RMSE (ng/mL) | test PK RMSE (z) | test PK RMSE (ng/mL) | parameters | training s | backend |`,
  '|---|---|---|---|---|---|---|---|---|',
  ...entries.map(({ encoder, mode, result: r }) => {
    const sd = r.metrics_sd?.test;
    return `| ${encoder} | ${mode} | ${cell(r.metrics.test.pd, sd?.pd, 'rmse_z', 3)} | ${cell(r.metrics.test.pd, sd?.pd, 'rmse', 2)} | ${cell(r.metrics.test.pk, sd?.pk, 'rmse_z', 3)} | ${cell(r.metrics.test.pk, sd?.pk, 'rmse', 2)} | ${formatCount(parameters(r))} | ${Math.round(r.seconds)} | ${r.backend.name} |`;
  }),
];
process.stdout.write(`Split: ${split}\n\n${rows.join('\n')}\n`);
