import { ingestText } from '../../data/ingest';
import { answerFiveQuestions, toHeadlessAnswers } from '../../dose/five-questions';
import { registerHeadlessCommand } from '../registry';

interface DosesArgs {
  csvText: string;
  fileName: string;
  seed?: number;
  nVirtual?: number;
}

/** The five dose questions answered by the mechanistic population model fitted to the file. */
registerHeadlessCommand('doses-mechanistic', async (args) => {
  const { csvText, fileName, seed, nVirtual } = args as DosesArgs;
  const ingested = ingestText(csvText, fileName);
  if (!ingested.ok) {
    throw new Error(`${fileName} was not accepted:\n${ingested.errors.slice(0, 10).map((e) => `${e.message}. ${e.hint}`).join('\n')}`);
  }
  const result = await answerFiveQuestions(ingested.dataset, { seed, nVirtual });
  const fit = result.fit;
  return {
    model: 'mechanistic',
    pk_compartments: fit.pk.options.compartments,
    answers: toHeadlessAnswers(result),
    seconds: Number(result.timing.totalSeconds.toFixed(2)),
    timing_seconds: result.timing,
    settings: { n_virtual: result.settings.nVirtual, seed: result.settings.seed, threshold: result.settings.threshold },
    backend: 'cpu (pure TypeScript, headless Chromium main thread)',
  };
});
