/**
 * The old code a benchmark compares with, taken from a baseline checkout — never from this tree, which
 * no longer holds it. Set BENCH_BASELINE to a folder holding an earlier commit's `src` (and a link to
 * this tree's node_modules); the modules are imported dynamically from there and run in the same
 * process, beside today's code. Without BENCH_BASELINE the benchmarks measure today's code alone and
 * say so in their JSON (`baseline: null`). For the EstData-only engine (fitPkpd, the mechanistic
 * simulator, answerFiveQuestions, pk-model.ts + indirect-response.ts as it used them), commit bc03053
 * is the last with the engine as the Doses tab used it:
 *
 *   DIR=/tmp/qpkpd-baseline && mkdir -p $DIR && git archive bc03053 src | tar -x -C $DIR && ln -sfn "$PWD/node_modules" $DIR/node_modules
 *   BENCH_BASELINE=$DIR npx tsx bench/fit-speed.ts
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readEstDataCsv } from '../src/testing/fixture-files';

/** The baseline checkout's folder (absolute), or null when BENCH_BASELINE is not set. */
export const BASELINE_DIR: string | null = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : null;

/** What a benchmark's JSON says about the baseline. */
export const BASELINE_NOTE: string | null = BASELINE_DIR ? `the code of ${BASELINE_DIR}, imported and run in the same process` : null;

/**
 * A module of the baseline checkout by its path in the repository (e.g. 'src/pkpd/pkpd-fit.ts'),
 * typed by the caller (the baseline's types are not this tree's).
 */
export async function importBaseline<T>(path: string): Promise<T> {
  if (!BASELINE_DIR) throw new Error(`${path} is old code: set BENCH_BASELINE to a baseline checkout to run it (see bench/baseline.ts).`);
  const file = resolve(BASELINE_DIR, path);
  if (!existsSync(file))
    throw new Error(
      `BENCH_BASELINE=${BASELINE_DIR} has no ${path}: extract a commit that has it there (git archive <commit> src | tar -x -C ${BASELINE_DIR}), see bench/baseline.ts.`,
    );
  return (await import(pathToFileURL(file).href)) as T;
}

/**
 * The baseline's EstData-only fitter (`fitPkpd` of src/pkpd/pkpd-fit.ts) on EstData as the baseline's
 * own ingest reads it, typed by the caller; null without BENCH_BASELINE.
 */
export async function baselineEstDataFitter<T>(): Promise<(() => T) | null> {
  if (!BASELINE_DIR) return null;
  const { fitPkpd } = await importBaseline<{ fitPkpd: (dataset: unknown) => T }>('src/pkpd/pkpd-fit.ts');
  const ingest = await importBaseline<{ ingestText(text: string, name: string): { ok: boolean; dataset?: unknown } }>('src/data/ingest.ts');
  const old = ingest.ingestText(readEstDataCsv(), 'EstData.csv');
  if (!old.ok) throw new Error('EstData.csv did not ingest with the baseline’s ingest');
  return () => fitPkpd(old.dataset);
}

/** What every benchmark's JSON starts with: date, machine, the caveat on shared machines, the baseline. */
export function benchHeader(): { date: string; machine: string; note: string; baseline: string | null } {
  return {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
    note: 'Node (tsx), single thread, on a machine shared with other jobs: times are upper bounds.',
    baseline: BASELINE_NOTE,
  };
}
