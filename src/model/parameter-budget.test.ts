import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEstData, loadRealStudy } from '../data/features/test-support';
import { createSplitView, referenceSplit } from '../data/splits/index';
import { architecture, ENCODER_NAMES, isQuantumEncoder, modelArchitecture } from '../quantum/resources/architecture';
import { ModelConfigError } from './errors';
import { readModelFile, modelFileText } from './model-file';
import { createNetwork, type NetworkConfig } from './network';
import {
  defaultFeatureCounts,
  defaultFeatureShape,
  MAX_MODEL_FILE_BYTES,
  MAX_MODEL_PARAMETERS,
  MAX_WEIGHT_FILE_BYTES,
  modelParameterCount,
  networkParameterCount,
  parameterBudgetProblem,
  smallestFeatureShape,
  studyFeatureShape,
} from './parameter-budget';
import { ParameterSet } from './parameters';
import { disposeModel } from './pkpd-model';
import { saveModel, type ModelDocument } from './serialize';
import { useCpuBackend } from './test-support';
import { trainPkPd } from './train-pkpd';
import type { TrainedModelMeta } from './trained-model';
import { exampleFacts } from './trained-model-fixture';
import {
  checkTrainingConfig,
  configParameterCount,
  DEFAULT_TRAINING_CONFIG,
  pkPdOptions,
  splitOf,
  type TrainingConfig,
  trainingConfigProblems,
} from './training-config';
import { fitFeatureModel } from '../data/features/model';
import { studyFeatureOptions } from '../data/features/study-features';
import { DVID_PK } from '../data/types';
import { estDataPreset } from '../study/estdata-preset';

beforeAll(useCpuBackend);

const data = loadEstData();
const view = (): ReturnType<typeof createSplitView> => createSplitView(data, referenceSplit(data));

/** The longest text a float32 value takes in JSON (25 characters). */
const LONGEST_WEIGHT = Math.fround(-0.0000011884279729201808);

describe('the parameter budget', () => {
  it('counts the parameters a network config implies, by arithmetic, exactly as createNetwork makes them', () => {
    const arch = architecture({ nInputs: 6, hidden: 6, headHidden: 3, depth: 2, experts: 3, topK: 2, nQubits: 2, nLayers: 2 });
    const heads: Pick<NetworkConfig, 'targets' | 'classification'>[] = [
      { targets: ['pk'], classification: false },
      { targets: ['pd'], classification: true },
      { targets: ['pk', 'pd'], classification: true },
    ];
    for (const encoder of ENCODER_NAMES) {
      for (const quantumBlocks of isQuantumEncoder(encoder) ? (['circuit', 'width-matched-control'] as const) : (['circuit'] as const)) {
        for (const head of heads) {
          const config: NetworkConfig = { encoder, architecture: arch, ...head, routerNoise: 1, seed: 0, quantumBlocks };
          const network = createNetwork(config);
          expect(networkParameterCount(config), `${encoder} ${quantumBlocks} ${head.targets.join('+')}`).toBe(
            network.parameters.count().total,
          );
          network.dispose();
        }
      }
    }
  });

  it("counts a whole model as trainPkPd builds it, with the most features the app's features give (EstData has them all)", async () => {
    expect(defaultFeatureCounts()).toEqual({ pk: 27, pd: 29 });
    for (const mode of ['cascade', 'multitask'] as const) {
      const config: TrainingConfig = { ...DEFAULT_TRAINING_CONFIG, mode, hidden: 8, depth: 1, qubits: 2, layers: 1, classification: true };
      const { model } = await trainPkPd(view(), {
        mode,
        encoder: config.encoder,
        study: estDataPreset(),
        architecture: { hidden: 8, depth: 1, nQubits: 2, nLayers: 1 },
        classification: { thresholdNgMl: 3.3 },
        training: { epochs: 1, batchSize: 512 },
      });
      const built = model.branches.reduce((n, b) => n + b.network.parameters.count().total, 0);
      disposeModel(model);
      expect(configParameterCount(config), mode).toBe(built);
    }
  });

  it('the training form refuses a model no model file could hold, saying how large it would be and what to lower', () => {
    const huge = { ...DEFAULT_TRAINING_CONFIG, hidden: 1024, depth: 16, experts: 32 };
    const problems = trainingConfigProblems(huge);
    expect(Object.keys(problems)).toEqual(['hidden']);
    expect(problems.hidden).toBe(
      `This model's networks would have ${configParameterCount(huge).toLocaleString('en-US')} parameters; at most 2,000,000 can be saved ` +
        'and shared. Lower the hidden width, the depth or the experts per MoE block.',
    );
    // Each size alone at the form's maximum is too large for the headline model; the defaults and a wider ResMLP-MoE are not.
    for (const size of [{ hidden: 1024 }, { depth: 16 }, { experts: 32 }])
      expect(trainingConfigProblems({ ...DEFAULT_TRAINING_CONFIG, ...size }).hidden, JSON.stringify(size)).toMatch(
        /can be saved and shared/,
      );
    expect(trainingConfigProblems({ ...DEFAULT_TRAINING_CONFIG, encoder: 'resmlp-moe', hidden: 128, classification: true })).toEqual({});
    // Encoders without experts are not told to lower them.
    expect(trainingConfigProblems({ ...DEFAULT_TRAINING_CONFIG, encoder: 'mlp', hidden: 1024, depth: 16 }).hidden).toMatch(
      /Lower the hidden width or the depth\.$/,
    );
    expect(parameterBudgetProblem(MAX_MODEL_PARAMETERS, 'mlp')).toBeNull();
    expect(parameterBudgetProblem(MAX_MODEL_PARAMETERS + 1, 'mlp')).toMatch(/2,000,001 parameters/);
  });

  it('trainPkPd refuses such a model before it builds any network (the library and the headless runner too)', async () => {
    const add = vi.spyOn(ParameterSet.prototype, 'add');
    await expect(
      trainPkPd(view(), {
        mode: 'independent',
        encoder: 'resmlp-moe',
        study: estDataPreset(),
        architecture: { hidden: 512 },
        training: { epochs: 1 },
      }),
    ).rejects.toThrow(new ModelConfigError(parameterBudgetProblem(modelParameterCount(shapeOf(512)), 'resmlp-moe') as string));
    expect(add).not.toHaveBeenCalled();
    add.mockRestore();
  });

  it('the training form counts a study’s model on the open dataset’s features, as trainPkPd builds it (theophylline: PK network alone, head on PK)', async () => {
    const theo = loadRealStudy('theo_sd', 'theophylline');
    const shape = studyFeatureShape(theo.spec, theo.dataset);
    expect(shape).toMatchObject({ hasPd: false, classificationEndpoint: 'pk', features: { pd: 0 } });
    const config: TrainingConfig = { ...DEFAULT_TRAINING_CONFIG, encoder: 'mlp', hidden: 8, depth: 1, classification: true };
    const theoView = createSplitView(theo.dataset, splitOf(theo.dataset, 'reference', theo.spec));
    const { model } = await trainPkPd(theoView, {
      ...pkPdOptions({ ...config, epochs: 1 }, theo.spec),
      training: { epochs: 1, batchSize: 512 },
    });
    const built = model.branches.reduce((n, b) => n + b.network.parameters.count().total, 0);
    disposeModel(model);
    expect(configParameterCount(config, shape)).toBe(built);
    // EstData's counts would have added a PD network.
    expect(configParameterCount(config)).toBeGreaterThan(built);
  });

  it('counts every covariate of the study the file has (more than EstData’s two), and EstData’s preset exactly as before', () => {
    const mavo = loadRealStudy('mavoglurant', 'mavoglurant');
    const extra = ['AGE', 'SEX', 'HT'].map((column) => ({ column, on: 'CL' as const, form: 'linear' as const }));
    const spec = { ...mavo.spec, model: { ...mavo.spec.model, covariates: [...mavo.spec.model.covariates, ...extra] } };
    const shape = studyFeatureShape(spec, mavo.dataset);
    const train = createSplitView(mavo.dataset, splitOf(mavo.dataset, 'reference', spec)).train;
    const fitted = fitFeatureModel(mavo.dataset, { ...studyFeatureOptions(spec, mavo.dataset).pk, dvid: DVID_PK }, [...train]);
    expect(shape.features.pk).toBe(fitted.names.length);
    expect(shape.features.pk).toBeGreaterThan(defaultFeatureCounts().pk);
    expect(studyFeatureShape(estDataPreset(), data)).toEqual(defaultFeatureShape());
  });

  it('the training form lets a PK-only study train a wider network than EstData’s two networks allow, and the session agrees', () => {
    const theo = loadRealStudy('theo_sd', 'theophylline');
    const shape = studyFeatureShape(theo.spec, theo.dataset);
    let hidden = 64;
    while (configParameterCount(largest(hidden + 1)) <= MAX_MODEL_PARAMETERS) hidden++;
    const wider = largest(hidden + 1);
    expect(trainingConfigProblems(wider).hidden).toMatch(/can be saved and shared/);
    expect(trainingConfigProblems(wider, shape)).toEqual({});
    expect(() => checkTrainingConfig(wider, shape)).not.toThrow();
    // A model file's settings are counted on the smallest shape any study gives (its networks as built), not on EstData's.
    expect(trainingConfigProblems(wider, smallestFeatureShape())).toEqual({});
    expect(configParameterCount(wider, smallestFeatureShape())).toBeLessThanOrEqual(configParameterCount(wider, shape));
  });

  it('a float32 weight takes at most MAX_WEIGHT_FILE_BYTES bytes in a file', () => {
    const value = new Float32Array(1);
    const bits = new Uint32Array(value.buffer);
    let longest = 0;
    for (let i = 0; i < 200_000; i++) {
      bits[0] = Math.floor(Math.random() * 2 ** 32);
      if (Number.isFinite(value[0])) longest = Math.max(longest, JSON.stringify(value[0]).length);
    }
    for (let decade = -45; decade <= 38; decade++)
      for (let k = 1; k < 1000; k++) {
        const x = Math.fround(-(1 + k / 111) * 10 ** decade);
        if (Number.isFinite(x)) longest = Math.max(longest, JSON.stringify(x).length);
      }
    expect(JSON.stringify(LONGEST_WEIGHT)).toHaveLength(25);
    expect(longest + 1).toBeLessThanOrEqual(MAX_WEIGHT_FILE_BYTES);
  });

  it('a model file of the largest model the form accepts, with the longest weights and description, fits the file limit and imports', async () => {
    // The widest ResMLP-MoE cascade (with the classification head) the form accepts at its default depth and experts.
    let hidden = 64;
    while (configParameterCount(largest(hidden + 1)) <= MAX_MODEL_PARAMETERS) hidden++;
    const config = largest(hidden);
    expect(trainingConfigProblems(config)).toEqual({});
    expect(trainingConfigProblems(largest(hidden + 1)).hidden).toMatch(/can be saved and shared/);
    expect(configParameterCount(config)).toBeGreaterThan(0.98 * MAX_MODEL_PARAMETERS);

    // A trained model of the same kind gives the feature models and scalers; its networks are replaced by the largest ones.
    const { model } = await trainPkPd(view(), {
      mode: 'cascade',
      encoder: 'resmlp-moe',
      study: estDataPreset(),
      architecture: { hidden: 8, depth: 1 },
      classification: { thresholdNgMl: 3.3 },
      training: { epochs: 1, batchSize: 512 },
    });
    const small = saveModel(model);
    disposeModel(model);
    const document: ModelDocument = {
      ...small,
      branches: small.branches.map((b) => {
        const networkConfig = { ...b.network.config, architecture: modelArchitecture(b.network.config.architecture.nInputs, { hidden }) };
        const network = createNetwork(networkConfig);
        const weights = network.parameters.toValues().map((w) => ({ ...w, values: w.values.map(() => LONGEST_WEIGHT) }));
        network.dispose();
        return { ...b, network: { config: networkConfig, weights } };
      }),
    };
    const long = (x: number): number => x + LONGEST_WEIGHT;
    const meta: TrainedModelMeta = {
      ...exampleFacts({ config }),
      id: 'i'.repeat(1000),
      name: 'é'.repeat(200),
      createdAt: 1_700_000_000_000,
      // Every epoch of both networks, with the longest numbers.
      curves: ['pk', 'pd'].flatMap((branch) =>
        Array.from({ length: config.epochs }, (_, e) => ({ branch, epoch: e + 1, trainLoss: long(e), valLoss: long(e) })),
      ),
    };
    const text = modelFileText(meta, document);
    const bytes = new TextEncoder().encode(text).length;
    expect(bytes).toBeGreaterThan(MAX_MODEL_PARAMETERS * 20);
    expect(bytes).toBeLessThanOrEqual(MAX_MODEL_FILE_BYTES);
    expect(readModelFile(text).meta.config.hidden).toBe(hidden);
  });
});

function largest(hidden: number): TrainingConfig {
  return { ...DEFAULT_TRAINING_CONFIG, encoder: 'resmlp-moe', mode: 'cascade', hidden, classification: true, epochs: 10_000 };
}

function shapeOf(hidden: number): Parameters<typeof modelParameterCount>[0] {
  return { encoder: 'resmlp-moe', mode: 'independent', architecture: { hidden }, features: defaultFeatureCounts(), classification: false };
}
