import { quantumBenchmarkReport } from './quantum/report';

process.stdout.write(`${JSON.stringify(await quantumBenchmarkReport(), null, 2)}\n`);
