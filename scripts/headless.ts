import { ingestBenchmarkReport } from '../bench/ingest/report';
import { quantumBenchmarkReport } from '../bench/quantum/report';
import { openHeadlessSession } from './headless-driver';

const USAGE = `Usage: npm run --silent headless -- <command> [options]

Commands:
  env                 the browser and its WebGPU adapter
  bench               the benchmark figures: ingest and the quantum layer (as bench:ingest and bench:quantum)
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
  const known: Record<string, string> = { env: 'environment' };
  const pageCommand = known[command];
  if (!pageCommand) {
    process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
    process.exit(2);
  }
  const session = await openHeadlessSession({ build: !rest.includes('--no-build') });
  try {
    const result = await session.run(pageCommand);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await session.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
