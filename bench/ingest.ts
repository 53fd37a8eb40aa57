import { ingestBenchmarkReport } from './ingest/report';

process.stdout.write(`${JSON.stringify(ingestBenchmarkReport(), null, 2)}\n`);
