import { QuantumShapeError } from '../src/quantum/errors';
import { evaluateReferenceDocument } from '../src/quantum/reference-cases';

export interface QnnEvalOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const USAGE = `usage: npm run --silent qnn:eval -- FILE.json [--backend cpu|webgpu]
Reads cases shaped like ../shared/testdata/qnn-reference.json and prints the same JSON document with
expvals, grad_x and grad_weights computed by the chosen backend (default cpu, the float64 simulator).
Exit status: 0 done, 2 bad arguments or input, 3 backend not available.
`;

const fail = (exitCode: number, message: string): QnnEvalOutcome => ({ exitCode, stdout: '', stderr: `qnn:eval: ${message}\n` });

/** The whole command behind scripts/qnn-eval.ts, with file reading passed in. */
export function runQnnEval(args: readonly string[], readText: (path: string) => string): QnnEvalOutcome {
  const files: string[] = [];
  let backend = 'cpu';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return { exitCode: 0, stdout: USAGE, stderr: '' };
    if (arg === '--backend' || arg.startsWith('--backend=')) {
      const value = arg === '--backend' ? args[++i] : arg.slice('--backend='.length);
      if (value === undefined) return fail(2, `--backend needs a value (cpu or webgpu)\n${USAGE}`);
      backend = value;
    } else if (arg.startsWith('-')) {
      return fail(2, `unknown option ${arg}\n${USAGE}`);
    } else {
      files.push(arg);
    }
  }
  if (backend === 'webgpu') return fail(3, 'the WebGPU backend is not built yet; use --backend cpu');
  if (backend !== 'cpu') return fail(2, `unknown backend "${backend}" (expected cpu or webgpu)`);
  if (files.length !== 1) return fail(2, `expected exactly one input file, got ${files.length}\n${USAGE}`);
  const [file] = files;

  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(2, code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return fail(2, `${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return { exitCode: 0, stdout: `${JSON.stringify(evaluateReferenceDocument(document), null, 1)}\n`, stderr: '' };
  } catch (error) {
    if (error instanceof QuantumShapeError) return fail(2, `${file}: ${error.message}`);
    throw error;
  }
}
