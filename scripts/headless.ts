import { ingestBenchmarkReport } from '../bench/ingest/report';
import { quantumBenchmarkReport } from '../bench/quantum/report';
import { ENCODER_NAMES } from '../src/quantum/resources/architecture';
import { BACKEND_REQUESTS } from '../src/platform/compute-backend';
import { MAX_LAYERS, MAX_QUBITS } from '../src/quantum/template';
import type { DataFileArgs } from '../src/headless/data-file';
import { TRAINING_LIMITS } from '../src/model/training-config';
import { DataFileError, readDataFile } from './headless-data-file';
import { openHeadlessSession } from './headless-driver';
import { parseThreadSetting, threadSettingError } from '../src/platform/threads';
import { FitInputError, readFitInputs, type FitArgs } from '../src/headless/commands/fit';
import { readExportInputs, type ExportArgs } from '../src/headless/commands/export';
import { readDosesInputs } from '../src/headless/commands/doses-inputs';
import { readPatientCommandInputs, type PatientArgs } from '../src/headless/commands/patient';
import { PatientInputError } from '../src/patient/patient-report';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const USAGE = `Usage: npm run --silent headless -- <command> [options]

Commands:
  env                 the browser and its WebGPU adapter
  bench               the benchmark figures: ingest and the quantum layer (as bench:ingest and bench:quantum)
  doses --csv F --model mechanistic [--spec S.json] [--seed s] [--n-virtual N]
                      the dose questions of the study spec S (its scenarios, regimens, criterion and
                      targets; default: the EstData preset, the five questions) from the population
                      model S describes, fitted to F, with parameter-uncertainty bands (status 2 when F
                      or S cannot be used)
  doses --csv F --model E [--spec S.json] [--seed s] [--n-virtual N] [--mode M] [--qubits n] [--layers L] [--epochs N]
                      the same questions from encoder E trained on F through S as train does (reference
                      split; --seed seeds the training and the virtual population; networks refuse
                      infusion regimens)
  doses --csv F --model E --head mechanistic [--spec S.json] [--seed s] [--n-virtual N] [--qubits n] [--layers L] [--epochs N]
                      the same questions from a hybrid model: encoder E as the covariate model of the
                      study's mechanistic model (every regimen, steady state exact; bands from parameter
                      uncertainty)
  train --csv F [--spec S.json] [--head direct|mechanistic] [--encoder E] [--mode M] [--qubits n] [--layers L] [--seed s]
        [--split reference|cv5] [--epochs N] [--backend auto|wasm|cpu|webgpu]
                      trains a PK/PD model on F (early stopping on validation) and reports validation and
                      test metrics; defaults: qnn-resmlp-moe, cascade, 8 qubits, 3 layers, seed 0, reference;
                      the study spec S gives features, endpoints and groups (default: the EstData preset
                      for EstData, else the spec guessed from F)
  evaluate --csv TRAIN --external OTHER [--model E|mechanistic] [--head direct|mechanistic] [--spec S.json] [--seed s] [--epochs N]
                      trains on TRAIN as train does (reference split) and applies the model to OTHER, a file
                      of the same study layout: validation/test metrics on TRAIN, PK/PD metrics on OTHER
  ablation --csv F [--spec S.json] [--head direct|mechanistic] [--encoder E] [--mode M] [--qubits 2,4,8] [--layers 1,2,3]
        [--seed s] [--split reference|cv5:K] [--epochs N] [--hidden H] [--depth D]
                      the qubits × layers grid of a quantum encoder, validation metrics only
  claims --csv F [--spec S.json] [--head direct|mechanistic] [--encoders E1,E2] [--mode M] [--qubits n] [--layers L]
        [--seed s] [--split reference|cv5:K] [--epochs N] [--hidden H] [--depth D]
                      each quantum encoder beside its width-matched classical control, with verdicts; both
                      experiments: the study as train reads it, head mechanistic: each model a hybrid model
  fit --csv F --spec S.json [--patient-model OUT.json]
                      the population PK/PD model the study spec S describes, fitted to F by FOCE-I:
                      estimates in the spec's units with RSE and 95 % CI, omega, residual errors,
                      OFV/AIC/BIC and the models compared (status 2 when F or S cannot be used);
                      --patient-model writes the fitted model as a study spec with fixed values, the
                      MODEL.json of patient (status 1 when a spec cannot hold the model)
  export --csv F --spec S.json --format nonmem|nlmixr2|mrgsolve --out DIR
                      fits as fit does and writes the fitted model to DIR, final estimates as initial
                      values (docs/exports.md): a NONMEM control stream and its data file, an nlmixr2
                      model function, or mrgsolve model code, each with its data; prints the files
                      written and the estimates (status 2 when F, S or the format cannot be used)
  covariates --csv F --spec S.json [--out NEW.json]
                      stepwise covariate search (docs/covariate-search.md): every covariate column of F on
                      every parameter with a random effect, forward inclusion at ΔOFV > 3.84, backward
                      elimination at ΔOFV > 6.63; prints each step's table and the chosen model.covariates
                      (status 2 when F or S cannot be used); --out writes S with them
  ude --csv F [--spec S.json] [--epochs N] [--backend cpu|wasm|auto|webgpu]
                      EXPERIMENTAL: the mechanistic model and the same model with a universal-ODE term (a
                      small network in its indirect response, docs/ude.md), fitted on the reference split's
                      training subjects: PD RMSE of both on the validation (and test) subjects, the UDE's
                      periodicity under a daily regimen (default 150 epochs, backend cpu)
  structural [--backend webgpu|wasm|cpu] [--seed s]
                      the differentiable TF.js structural model on a backend against the float64 engine
                      (values) and TF.js's cpu backend (gradients): worst errors per PD family and parameter
  patient --spec MODEL.json --patient P.json
                      one patient's dose (model-informed precision dosing, docs/patient.md): MAP η and
                      individual parameters under the population model MODEL (a study spec with fixed
                      values), the objective, and the smallest dose on the patient's regimen grid whose
                      posterior probability of meeting the model's criterion reaches the patient's level
                      (status 2 when MODEL or P cannot be used)
  wasm-threads [--repeats N]
                      TF.js's WebAssembly backend on the page's threads: cross-origin isolation, the thread
                      count, and milliseconds per forward pass of a fixed 256-wide three-layer network
Options:
  --threads N         the page's thread count (TF.js's WebAssembly threads); 1 = the serial path; default:
                      all cores (at most 16), 1 where the page is not cross-origin isolated
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
  /** The page command, its arguments, and what to do with its result before printing it. */
  const known: Record<string, () => [string, unknown, ((result: unknown) => unknown)?]> = {
    env: () => ['environment', undefined],
    doses: () => dosesCommand(rest),
    train: () => trainCommand(rest),
    evaluate: () => evaluateCommand(rest),
    ablation: () => experimentCommand('ablation', rest),
    claims: () => experimentCommand('claims', rest),
    fit: () => fitCommand(rest),
    covariates: () => covariatesCommand(rest),
    export: () => exportCommand(rest),
    ude: () => udeCommand(rest),
    patient: () => patientCommand(rest),
    'wasm-threads': () => {
      const repeats = option(rest, '--repeats');
      return ['wasm-threads', { repeats: repeats === undefined ? undefined : Number(repeats) }, withoutOutputs];
    },
    structural: () => {
      const seed = option(rest, '--seed');
      return ['structural-compare', { backend: option(rest, '--backend'), seed: seed === undefined ? undefined : Number(seed) }];
    },
  };
  const prepare = known[command];
  if (!prepare) {
    process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
    process.exit(2);
  }
  const threadsText = option(rest, '--threads');
  const threadsError = threadsText === undefined ? null : threadSettingError(threadsText);
  if (threadsError) {
    process.stderr.write(`${threadsError}\n`);
    process.exit(2);
  }
  const [pageCommand, pageArgs, finish] = prepare();
  const session = await openHeadlessSession({ build: !rest.includes('--no-build'), threads: parseThreadSetting(threadsText) });
  let result: unknown;
  try {
    result = await session.run(pageCommand, pageArgs);
  } finally {
    await session.close();
  }
  process.stdout.write(`${JSON.stringify(finish ? finish(result) : result, null, 2)}\n`);
}

/** The wasm-threads result without its outputs (thousands of numbers): the isolation, the counts and the timing. */
function withoutOutputs(result: unknown): unknown {
  const { outputs, ...rest } = result as { outputs: number[] };
  return { ...rest, outputCount: outputs.length };
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Runs a command's input check here: inputs it refuses (FitInputError) end the run with its message and status 2. */
function checkInputs(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof FitInputError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}

/** The data file a command reads, as the app reads it (`readDataFile`); a file it refuses ends the run with the app's message. */
function dataFile(path: string): DataFileArgs {
  try {
    return readDataFile(path);
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

function usageError(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function dosesCommand(args: string[]): [string, unknown] {
  const csv = option(args, '--csv') ?? usageError('doses needs --csv FILE.');
  const model = option(args, '--model') ?? 'mechanistic';
  if (model !== 'mechanistic' && !(ENCODER_NAMES as readonly string[]).includes(model)) {
    usageError(`doses --model ${model}: unknown model; valid: mechanistic, ${ENCODER_NAMES.join(', ')}.`);
  }
  const numberOption = (name: string): number | undefined => {
    const value = option(args, name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    return Number.isInteger(parsed) && parsed > 0 ? parsed : usageError(`${name} must be a positive integer, got ${value}.`);
  };
  const file = dataFile(csv);
  const shared = { ...file, seed: numberOption('--seed'), nVirtual: numberOption('--n-virtual') };
  const spec = dosesSpec(file, option(args, '--spec'));
  const head = option(args, '--head') ?? 'direct';
  if (head !== 'direct' && head !== 'mechanistic') usageError(`doses --head ${head}: unknown head; valid: direct, mechanistic.`);
  if (model === 'mechanistic') return ['doses-mechanistic', { ...shared, ...spec }];
  // The page command checks the network options and names what is wrong.
  return [
    head === 'mechanistic' ? 'doses-hybrid' : 'doses-network',
    {
      ...shared,
      ...spec,
      encoder: model,
      mode: option(args, '--mode'),
      qubits: numberOption('--qubits'),
      layers: numberOption('--layers'),
      epochs: numberOption('--epochs'),
    },
  ];
}

function trainCommand(args: string[]): [string, unknown] {
  const csv = option(args, '--csv') ?? usageError('train needs --csv FILE.');
  const choice = (name: string, fallback: string, valid: readonly string[], what: string): string => {
    const value = option(args, name) ?? fallback;
    return valid.includes(value) ? value : usageError(`train ${name} ${value}: unknown ${what}; valid: ${valid.join(', ')}.`);
  };
  const integer = (name: string, fallback: number | undefined, min: number, max: number): number | undefined => {
    const value = option(args, name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    return Number.isInteger(parsed) && parsed >= min && parsed <= max
      ? parsed
      : usageError(`train ${name} must be an integer from ${min} to ${max}, got ${value}.`);
  };
  const config = {
    encoder: choice('--encoder', 'qnn-resmlp-moe', ENCODER_NAMES, 'encoder'),
    mode: choice('--mode', 'cascade', ['independent', 'cascade', 'multitask'], 'mode'),
    qubits: integer('--qubits', 8, 1, MAX_QUBITS),
    layers: integer('--layers', 3, 1, MAX_LAYERS),
    seed: integer('--seed', 0, 0, 2 ** 32 - 1),
    split: choice('--split', 'reference', ['reference', 'cv5'], 'split'),
    head: choice('--head', 'direct', ['direct', 'mechanistic'], 'head'),
    epochs: integer('--epochs', undefined, TRAINING_LIMITS.epochs.min, TRAINING_LIMITS.epochs.max),
    backend: choice('--backend', 'auto', BACKEND_REQUESTS, 'backend'),
  };
  const file = dataFile(csv);
  return ['train', { ...file, ...specFile(option(args, '--spec')), ...config }];
}

/** `evaluate`: train as `train` does (reference split), then apply the model to another file of the study's layout. */
function evaluateCommand(args: string[]): [string, unknown] {
  const csv = option(args, '--csv') ?? usageError('evaluate needs --csv TRAIN.');
  const external = option(args, '--external') ?? usageError('evaluate needs --external OTHER.');
  const model = option(args, '--model') ?? 'mechanistic';
  if (model !== 'mechanistic' && !(ENCODER_NAMES as readonly string[]).includes(model)) {
    usageError(`evaluate --model ${model}: unknown model; valid: mechanistic, ${ENCODER_NAMES.join(', ')}.`);
  }
  const head = option(args, '--head') ?? 'direct';
  if (head !== 'direct' && head !== 'mechanistic') usageError(`evaluate --head ${head}: unknown head; valid: direct, mechanistic.`);
  const integer = (name: string): number | undefined => {
    const value = option(args, name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    return Number.isInteger(parsed) && parsed >= 0 ? parsed : usageError(`evaluate ${name} must be a whole number, got ${value}.`);
  };
  const other = dataFile(external);
  return [
    'evaluate',
    {
      ...dataFile(csv),
      ...specFile(option(args, '--spec')),
      external: { csvText: other.csvText, fileName: other.fileName, decoding: other.decoding },
      model,
      head,
      mode: option(args, '--mode'),
      qubits: integer('--qubits'),
      layers: integer('--layers'),
      seed: integer('--seed'),
      epochs: integer('--epochs'),
      backend: option(args, '--backend'),
    },
  ];
}

/** The text and file name of a `--spec` file (nothing without one); a file that cannot be read ends the run with the reason. */
function specFile(specPath: string | undefined): { specText?: string; specName?: string } {
  if (specPath === undefined) return {};
  try {
    return { specText: readFileSync(specPath, 'utf8'), specName: basename(specPath) };
  } catch (error) {
    return usageError(`Cannot read ${specPath}: ${(error as Error).message}`);
  }
}

/**
 * Reads and checks the CSV and the spec here (status 2 with the reason when they cannot be used), then
 * fits on the page; with --patient-model, writes the fitted model's document there.
 */
function fitCommand(args: string[]): [string, unknown, ((result: unknown) => unknown)?] {
  const csv = option(args, '--csv') ?? usageError('fit needs --csv FILE.');
  const specPath = option(args, '--spec') ?? usageError('fit needs --spec STUDY.json.');
  const modelPath = args.includes('--patient-model')
    ? (option(args, '--patient-model') ?? usageError('fit --patient-model needs a file name (OUT.json).'))
    : undefined;
  const file = dataFile(csv);
  const { specText = '', specName = '' } = specFile(specPath);
  const fitArgs: FitArgs = { ...file, specText, specName };
  checkInputs(() => readFitInputs(fitArgs));
  if (modelPath === undefined) return ['fit', fitArgs];
  return ['fit', { ...fitArgs, patientModel: true }, (result) => writePatientModel(result, modelPath)];
}

/** `covariates`: the inputs checked here as for fit (status 2); with --out, the spec with the chosen covariates written there. */
function covariatesCommand(args: string[]): [string, unknown, ((result: unknown) => unknown)?] {
  const csv = option(args, '--csv') ?? usageError('covariates needs --csv FILE.');
  const specPath = option(args, '--spec') ?? usageError('covariates needs --spec STUDY.json.');
  const outPath = args.includes('--out')
    ? (option(args, '--out') ?? usageError('covariates --out needs a file name (NEW.json).'))
    : undefined;
  const { specText = '', specName = '' } = specFile(specPath);
  const inputs: FitArgs = { ...dataFile(csv), specText, specName };
  checkInputs(() => readFitInputs(inputs));
  return [
    'covariates',
    inputs,
    (result) => {
      const { spec, ...report } = result as Record<string, unknown>;
      if (outPath === undefined) return report;
      writeFileSync(outPath, `${JSON.stringify(spec, null, 2)}\n`);
      return { ...report, spec: outPath };
    },
  ];
}

/** Writes the fit's patient model document to `path` (status 1 with the reason when there is none); the report names the file. */
function writePatientModel(result: unknown, path: string): unknown {
  const { patientModel, patientModelProblem, ...report } = result as Record<string, unknown>;
  if (patientModel === null || typeof patientModel !== 'object') {
    const why = typeof patientModelProblem === 'string' ? patientModelProblem : 'the fit returned none';
    process.stderr.write(`No patient model was written: ${why}\n`);
    process.exit(1);
  }
  writeFileSync(path, `${JSON.stringify(patientModel, null, 2)}\n`);
  return { ...report, patientModel: path };
}

/** `export`: the inputs checked here (status 2 when they cannot be used); fits and exports on the page; writes the files to --out. */
function exportCommand(args: string[]): [string, unknown, (result: unknown) => unknown] {
  const csv = option(args, '--csv') ?? usageError('export needs --csv FILE.');
  const specPath = option(args, '--spec') ?? usageError('export needs --spec STUDY.json.');
  const format = option(args, '--format') ?? usageError('export needs --format nonmem|nlmixr2|mrgsolve.');
  const out = option(args, '--out') ?? usageError('export needs --out DIR.');
  const { specText = '', specName = '' } = specFile(specPath);
  const exportArgs: ExportArgs = { ...dataFile(csv), specText, specName, format };
  checkInputs(() => readExportInputs(exportArgs));
  return [
    'export',
    exportArgs,
    (result) => {
      const { files, estimates } = result as { files: { name: string; text: string }[]; estimates: unknown };
      mkdirSync(out, { recursive: true });
      const paths = files.map((f) => {
        const path = join(out, f.name);
        writeFileSync(path, f.text);
        return path;
      });
      return { files: paths, estimates };
    },
  ];
}

/** Reads and checks the model and the patient here (status 2 with the reason when they cannot be used), then runs on the page. */
function patientCommand(args: string[]): [string, unknown] {
  const specPath = option(args, '--spec') ?? usageError('patient needs --spec MODEL.json.');
  const patientPath = option(args, '--patient') ?? usageError('patient needs --patient PATIENT.json.');
  const { specText = '', specName = '' } = specFile(specPath);
  let patientText = '';
  try {
    patientText = readFileSync(patientPath, 'utf8');
  } catch (error) {
    usageError(`Cannot read ${patientPath}: ${(error as Error).message}`);
  }
  const patientArgs: PatientArgs = { specText, specName, patientText, patientName: basename(patientPath) };
  try {
    readPatientCommandInputs(patientArgs);
  } catch (error) {
    if (!(error instanceof PatientInputError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  return ['patient', patientArgs];
}

/** `ude` (experimental): the page command checks the epochs and the backend and names what is wrong. */
function udeCommand(args: string[]): [string, unknown] {
  const csv = option(args, '--csv') ?? usageError('ude needs --csv FILE.');
  const epochs = option(args, '--epochs');
  return [
    'ude',
    {
      ...dataFile(csv),
      ...specFile(option(args, '--spec')),
      epochs: epochs === undefined ? undefined : Number(epochs),
      backend: option(args, '--backend'),
    },
  ];
}

/** Reads the study spec of `doses` (none: the EstData preset) and checks it against the file here (status 2 with the reason). */
function dosesSpec(file: DataFileArgs, specPath: string | undefined): { specText?: string; specName?: string } {
  const spec = specFile(specPath);
  checkInputs(() => readDosesInputs({ ...file, ...spec }));
  return spec;
}

/** Passes the options through; the page command checks them and names what is wrong. */
function experimentCommand(name: 'ablation' | 'claims', args: string[]): [string, unknown] {
  const csv = option(args, '--csv') ?? usageError(`${name} needs --csv FILE.`);
  const text = (flag: string): string | undefined => option(args, flag);
  const number = (flag: string): number | undefined => (text(flag) === undefined ? undefined : Number(text(flag)));
  const list = (flag: string): string[] | undefined => text(flag)?.split(',');
  const numbers = (flag: string): number[] | undefined => list(flag)?.map(Number);
  const file = dataFile(csv);
  const shared = {
    ...file,
    ...specFile(text('--spec')),
    head: text('--head'),
    mode: text('--mode'),
    seed: number('--seed'),
    split: text('--split'),
    epochs: number('--epochs'),
    hidden: number('--hidden'),
    depth: number('--depth'),
  };
  return name === 'ablation'
    ? [name, { ...shared, encoder: text('--encoder'), qubits: numbers('--qubits'), layers: numbers('--layers') }]
    : [name, { ...shared, encoders: list('--encoders'), qubits: number('--qubits'), layers: number('--layers') }];
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
