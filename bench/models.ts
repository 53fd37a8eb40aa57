/**
 * The encoder × mode table: every encoder in every mode trained with the headless `train` command
 * (the app's code in headless Chromium, backend by the auto policy) on one split, each configuration
 * tested once on its withheld subjects. Resumable: results are appended to --out after each
 * configuration and configurations already there are skipped.
 *
 *   npm run --silent bench:models -- --split reference|cv5 --out FILE.json [--encoders a,b] [--modes x,y] [--epochs N]
 *                                    [--head direct|mechanistic]
 * With --head mechanistic each encoder is the covariate model of the study's mechanistic model (a
 * hybrid model; modes do not apply: entries have mode "hybrid"); the same file can hold both heads.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { MODEL_MODES } from '../src/model/pkpd-model';
import { ENCODER_NAMES } from '../src/quantum/resources/architecture';
import { readDataFile } from '../scripts/headless-data-file';
import { openHeadlessSession } from '../scripts/headless-driver';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const split = option('--split') ?? 'reference';
const out = option('--out');
if (!out) throw new Error('bench:models needs --out FILE.json');
const encoders = option('--encoders')?.split(',') ?? [...ENCODER_NAMES];
const head = option('--head') ?? 'direct';
if (head !== 'direct' && head !== 'mechanistic') throw new Error(`bench:models --head ${head}: valid heads are direct, mechanistic`);
const modes = head === 'mechanistic' ? ['hybrid'] : (option('--modes')?.split(',') ?? [...MODEL_MODES]);
const epochs = option('--epochs') === undefined ? undefined : Number(option('--epochs'));

interface Entry {
  encoder: string;
  mode: string;
  result: unknown;
}
const document: { machine: string; split: string; entries: Entry[] } = existsSync(out)
  ? (JSON.parse(readFileSync(out, 'utf8')) as { machine: string; split: string; entries: Entry[] })
  : { machine: `${cpus().length}-core ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`, split, entries: [] };
if (document.split !== split) throw new Error(`${out} holds split ${document.split}, not ${split}`);

const file = readDataFile('public/demo/EstData.csv');
const session = await openHeadlessSession({ build: !args.includes('--no-build') });
try {
  for (const mode of modes) {
    for (const encoder of encoders) {
      if (document.entries.some((e) => e.encoder === encoder && e.mode === mode)) continue;
      process.stderr.write(`${split} ${encoder} ${mode} …\n`);
      const result = await session.run('train', {
        ...file,
        encoder,
        ...(head === 'mechanistic' ? { head } : { mode }),
        split,
        seed: 0,
        ...(epochs ? { epochs } : {}),
      });
      document.entries.push({ encoder, mode, result });
      writeFileSync(out, `${JSON.stringify(document, null, 1)}\n`);
    }
  }
} finally {
  await session.close();
}
process.stdout.write(`${JSON.stringify(document.entries.map((e) => ({ encoder: e.encoder, mode: e.mode })))}\n`);
