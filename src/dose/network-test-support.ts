/** A tiny network trained on EstData for the network dose tests (not used by the app). */
import { estDataSpec, loadEstData } from '../data/features/test-support';
import { referenceSplit } from '../data/splits/split';
import { createSplitView, type SplitView } from '../data/splits/view';
import type { ModelMode, PkPdModel } from '../model/pkpd-model';
import { trainPkPd } from '../model/train-pkpd';
import { networkTrainingContext, type NetworkTrainingContext } from './network-context';

export interface TinyNetwork {
  view: SplitView;
  model: PkPdModel;
  context: NetworkTrainingContext;
}

/** An MLP (hidden 8, depth 1) trained for 3 epochs on the reference split's training subjects, through EstData's preset. */
export async function trainTinyNetwork(mode: ModelMode = 'cascade', seed = 1): Promise<TinyNetwork> {
  const data = loadEstData();
  const view = createSplitView(data, referenceSplit(data));
  const { model } = await trainPkPd(view, {
    mode,
    encoder: 'mlp',
    study: estDataSpec(),
    architecture: { hidden: 8, depth: 1 },
    training: { epochs: 3, batchSize: 512, learningRate: 3e-3 },
    seed,
  });
  return { view, model, context: networkTrainingContext(model, view.development, view.train) };
}
