import { readFileSync } from 'node:fs';
import { runQnnEval } from './qnn-eval-core';

const outcome = runQnnEval(process.argv.slice(2), (path) => readFileSync(path, 'utf8'));
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.exitCode;
