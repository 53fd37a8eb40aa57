import { QuantumShapeError } from '../src/quantum/errors';
import { evaluateReferenceDocument, parseReferenceCases } from '../src/quantum/reference-cases';

export interface QnnEvalOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const USAGE = `usage: npm run --silent qnn:eval -- FILE.json [--backend cpu|webgpu]
Reads cases shaped like test-data/qnn-reference.json and prints the same JSON document with
expvals, grad_x and grad_weights computed by the chosen backend: cpu (default, the float64 simulator) or
webgpu (the WGSL kernels through the TF.js op, in headless Chromium on its WebGPU adapter).
Exit status: 0 done, 2 bad arguments or input, 3 backend not available.
`;

const fail = (exitCode: number, message: string): QnnEvalOutcome => ({ exitCode, stdout: '', stderr: `qnn:eval: ${message}\n` });

export interface QnnEvalIo {
  readText(path: string): string;
  /** Evaluates a checked document on the WebGPU path (the CLI runs it in headless Chromium). */
  evaluateOnWebGpu(document: unknown): Promise<unknown>;
}

/** The whole command behind scripts/qnn-eval.ts, with file reading and the browser passed in. */
export async function runQnnEval(args: readonly string[], io: QnnEvalIo): Promise<QnnEvalOutcome> {
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
  if (backend !== 'cpu' && backend !== 'webgpu') return fail(2, `unknown backend "${backend}" (expected cpu or webgpu)`);
  if (files.length !== 1) return fail(2, `expected exactly one input file, got ${files.length}\n${USAGE}`);
  const [file] = files;

  let text: string;
  try {
    text = io.readText(file);
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
    if (backend === 'cpu') return { exitCode: 0, stdout: `${JSON.stringify(evaluateReferenceDocument(document), null, 1)}\n`, stderr: '' };
    parseReferenceCases(document);
  } catch (error) {
    if (error instanceof QuantumShapeError) return fail(2, `${file}: ${error.message}`);
    throw error;
  }
  let evaluated: unknown;
  try {
    evaluated = await io.evaluateOnWebGpu(document);
  } catch (error) {
    return fail(3, `the WebGPU backend is not available: ${(error as Error).message}`);
  }
  return { exitCode: 0, stdout: `${JSON.stringify(evaluated, null, 1)}\n`, stderr: '' };
}
