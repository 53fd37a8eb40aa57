import { ingestBenchmarkReport } from '../bench/ingest/report';
import { quantumBenchmarkReport } from '../bench/quantum/report';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { openHeadlessSession } from './headless-driver';

const USAGE = `Usage: npm run --silent headless -- <command> [options]

Commands:
  env                 the browser and its WebGPU adapter
  bench               the benchmark figures: ingest and the quantum layer (as bench:ingest and bench:quantum)
  doses --csv F --model mechanistic [--seed s] [--n-virtual N]
                      the five dose questions from the mechanistic population model fitted to F
Options:
  --no-build          reuse the existing dist/ build`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(command ? 0 : 2);
  }
  if (command === 'bench') {
    const report = { ingest: ingestBenchmarkReport(), quantum: await quantumBenchmarkReport() };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const known: Record<string, () => [string, unknown]> = {
    env: () => ['environment', undefined],
    doses: () => dosesCommand(rest),
  };
  const prepare = known[command];
  if (!prepare) {
    process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
    process.exit(2);
  }
  const [pageCommand, pageArgs] = prepare();
  const session = await openHeadlessSession({ build: !rest.includes('--no-build') });
  try {
    const result = await session.run(pageCommand, pageArgs);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await session.close();
  }
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function usageError(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function dosesCommand(args: string[]): [string, unknown] {
  const csv = option(args, '--csv') ?? usageError('doses needs --csv FILE.');
  const model = option(args, '--model') ?? 'mechanistic';
  if (model !== 'mechanistic') {
    usageError(`doses --model ${model}: network dose answers are not in the headless runner yet; use --model mechanistic.`);
  }
  const numberOption = (name: string): number | undefined => {
    const value = option(args, name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    return Number.isInteger(parsed) && parsed > 0 ? parsed : usageError(`${name} must be a positive integer, got ${value}.`);
  };
  let csvText: string;
  try {
    csvText = readFileSync(csv, 'utf8');
  } catch (error) {
    usageError(`Cannot read ${csv}: ${(error as Error).message}`);
  }
  return ['doses-mechanistic', { csvText, fileName: basename(csv), seed: numberOption('--seed'), nVirtual: numberOption('--n-virtual') }];
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
