import { readFileSync } from 'node:fs';
import { openHeadlessSession } from './headless-driver';
import { runQnnEval } from './qnn-eval-core';

const outcome = await runQnnEval(process.argv.slice(2), {
  readText: (path) => readFileSync(path, 'utf8'),
  async evaluateOnWebGpu(document) {
    const session = await openHeadlessSession();
    try {
      return await session.run('qnn-eval', { document, backend: 'webgpu' });
    } finally {
      await session.close();
    }
  },
});
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.exitCode;
