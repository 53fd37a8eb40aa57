/**
 * The figures behind the limits on what a user can open from outside the app (src/model/trained-model-check.ts,
 * src/ui/share/share-codec.ts), as one JSON document:
 * - model files: the largest model of the training form's defaults (ResMLP-MoE, cascade, with the
 *   classification head), its file size, and how long reading it takes (parse, check, build); how
 *   long the tester's depth-1,000,000 file takes to be refused;
 * - share links: the longest link the app makes (every setting at its longest value), and the worst
 *   case at the limits — the largest decompression bomb a fragment of MAX_SHARE_FRAGMENT_LENGTH can
 *   hold, and a state of exactly MAX_SHARE_JSON_LENGTH — against what the same bomb costs without
 *   the JSON limit (hash and re-encoding).
 * Usage: npx tsx scripts/vite-run.ts bench/input-limits.ts [--out FILE.json]
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as lzModule from 'lz-string';
import { estDataSpec, loadEstData } from '../src/data/features/test-support';
import { createSplitView, referenceSplit } from '../src/data/splits/index';
import { modelFileText, readModelFile } from '../src/model/model-file';
import { disposeModel } from '../src/model/pkpd-model';
import { checkModelDocument, saveModel } from '../src/model/serialize';
import { useCpuBackend } from '../src/model/test-support';
import { trainPkPd } from '../src/model/train-pkpd';
import type { TrainedModelMeta } from '../src/model/trained-model';
import { exampleFacts } from '../src/model/trained-model-fixture';
import { MAX_MODEL_FILE_BYTES } from '../src/model/parameter-budget';
import { DEFAULT_TRAINING_CONFIG } from '../src/model/training-config';
import { bombFragment, fragmentOfJson, largestBomb, longestShareStates, stateOfLength } from '../src/testing/hostile-share-links';
import {
  decodeShareState,
  encodeShareState,
  MAX_SHARE_FRAGMENT_LENGTH,
  MAX_SHARE_JSON_LENGTH,
  shareLinkCheck,
} from '../src/ui/share/share-codec';

const { compressToEncodedURIComponent, decompressFromEncodedURIComponent } =
  (lzModule as { default?: typeof lzModule }).default ?? lzModule;

const outIndex = process.argv.indexOf('--out');
const outFile = outIndex > 0 ? process.argv[outIndex + 1] : null;

/** Median milliseconds of `runs` calls. */
function median(runs: number, work: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Number(times[Math.floor(runs / 2)].toFixed(2));
}

function refusalMs(text: string): number {
  return median(3, () => {
    try {
      readModelFile(text);
    } catch {
      // refused, as expected
    }
  });
}

async function modelFiles(): Promise<Record<string, unknown>> {
  await useCpuBackend();
  const data = loadEstData();
  const config = { ...DEFAULT_TRAINING_CONFIG, encoder: 'resmlp-moe', mode: 'cascade', classification: true } as const;
  const trained = await trainPkPd(createSplitView(data, referenceSplit(data)), {
    mode: config.mode,
    encoder: config.encoder,
    study: estDataSpec(),
    classification: { thresholdNgMl: 3.3 },
    // No dropout or router noise: TF.js's random ops do not load under Vite's module runner. The sizes are the same.
    architecture: { dropout: 0 },
    routerNoise: 0,
    training: { epochs: 1 },
  });
  const document = saveModel(trained.model);
  disposeModel(trained.model);
  const parameters = document.branches.reduce((n, b) => n + b.network.weights.reduce((m, w) => m + w.values.length, 0), 0);
  const meta: TrainedModelMeta = { ...exampleFacts({ config }), id: 'bench', name: 'Largest default model', createdAt: Date.now() };
  const text = modelFileText(meta, document);
  const bytes = new TextEncoder().encode(text).length;
  const hostile = JSON.parse(text) as { model: { branches: { network: { config: { architecture: { depth: number } } } }[] } };
  hostile.model.branches[0].network.config.architecture.depth = 1_000_000;
  return {
    model: 'ResMLP-MoE, cascade, classification head, the form’s default sizes (H 64, D 2, E 4)',
    parameters,
    file_bytes: bytes,
    bytes_per_parameter: Number((bytes / parameters).toFixed(1)),
    limit_bytes: MAX_MODEL_FILE_BYTES,
    room: Number((MAX_MODEL_FILE_BYTES / bytes).toFixed(1)),
    parameters_at_limit: Math.floor(MAX_MODEL_FILE_BYTES / (bytes / parameters)),
    json_parse_ms: median(3, () => JSON.parse(text)),
    parse_and_check_ms: median(3, () => checkModelDocument((JSON.parse(text) as { model: unknown }).model)),
    read_check_build_ms: median(3, () => readModelFile(text)),
    depth_1e6_refused_ms: refusalMs(JSON.stringify(hostile)),
  };
}

function shareLinks(): Record<string, unknown> {
  const longest = longestShareStates(200).map((state) => ({
    fragment: encodeShareState(state).length,
    json: JSON.stringify(state).length,
  }));
  const bomb = largestBomb(MAX_SHARE_FRAGMENT_LENGTH);
  const bombLink = `#${bombFragment(bomb)}`;
  const bombText = decompressFromEncodedURIComponent(bomb.payload) ?? '';
  const edge = fragmentOfJson(stateOfLength(MAX_SHARE_JSON_LENGTH));
  return {
    limit_fragment_characters: MAX_SHARE_FRAGMENT_LENGTH,
    limit_json_characters: MAX_SHARE_JSON_LENGTH,
    longest_app_link: {
      fragment_characters: longest.reduce((m, l) => Math.max(m, l.fragment), 0),
      json_characters: longest.reduce((m, l) => Math.max(m, l.json), 0),
      states: longest.length,
    },
    bomb_at_fragment_limit: {
      fragment_characters: bombLink.length - 1,
      decompressed_characters: bomb.decompressedLength,
      decode_ms: median(21, () => decodeShareState(bombLink)),
      decompress_only_ms: median(21, () => decompressFromEncodedURIComponent(bomb.payload)),
      without_json_limit_hash_ms: median(3, () => shareLinkCheck(bombText)),
      without_json_limit_reencode_ms: median(1, () => compressToEncodedURIComponent(bombText)),
    },
    state_at_json_limit: {
      fragment_characters: edge.length - 1,
      json_characters: MAX_SHARE_JSON_LENGTH,
      decode_check_reencode_ms: median(21, () => decodeShareState(edge)),
    },
  };
}

const report = {
  bench: 'input-limits',
  date: new Date().toISOString(),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, TF.js cpu backend`,
  note: 'medians; measured beside other jobs on a shared machine, so upper bounds',
  model_files: await modelFiles(),
  share_links: shareLinks(),
};
const json = `${JSON.stringify(report, null, 2)}\n`;
if (outFile) writeFileSync(outFile, json);
process.stdout.write(json);
