import { describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import { fitStudy } from '../pkpd/population/fit-study';
import { readStudySpecText } from '../study/study-spec-reader';
import { readEstDataCsv, readEstDataStudyText } from '../testing/fixture-files';
import { mapEstimate, PatientPosterior } from './map-estimate';
import { samplePosterior } from './posterior-sampling';
import { recommendDose } from './recommend';

describe('a fitted population model (the app FOCE fit) as the patient model', () => {
  it('individualises an EstData subject under the model fitted to EstData', () => {
    const reading = readStudySpecText(readEstDataStudyText());
    if (!reading.ok) throw new Error('spec');
    const spec = { ...reading.spec, model: { ...reading.spec.model, pk: { ...reading.spec.model.pk, compartments: 1 as const } } };
    const ingested = ingestText(readEstDataCsv(), 'EstData.csv');
    if (!ingested.ok) throw new Error('data');
    const fit = fitStudy(ingested.dataset, spec, { covariance: false });
    // A subject of the fit, its own levels: the MAP η must be close to the fit's empirical Bayes η.
    const subject = fit.study.subjects.find((s) => s.pk.times.length >= 4 && s.pd.times.length >= 4);
    if (!subject) throw new Error('no subject');
    const doses = subject.segments.flatMap((g) => g.doses);
    const record = {
      covariates: subject.covariates,
      doses: doses.map((d) => ({ time: d.time, amount: d.amount, route: 'oral' as const, count: 1 })),
      observations: [
        ...Array.from(subject.pk.times, (time, j) => ({ time, endpoint: 'pk' as const, value: subject.pk.values[j], blq: false })),
        ...Array.from(subject.pd.times, (time, j) => ({ time, endpoint: 'pd' as const, value: subject.pd.values[j], blq: false })),
      ].filter((o) => o.time > doses[0].time || o.endpoint === 'pd'),
      regimen: { interval: 24, route: 'oral' as const, step: 0.5, max: 30 },
      probability: 0.9,
    };
    const posterior = new PatientPosterior(spec, fit.model, record);
    const map = mapEstimate(posterior);
    const ebe = fit.individuals.find((i) => i.id === subject.id)?.eta ?? {};
    console.log(JSON.stringify({ map: Array.from(map.eta), names: map.etaNames, ebe }));
    map.etaNames.forEach((name, k) => expect(Math.abs(map.eta[k] - (ebe[name] ?? 0))).toBeLessThan(0.1));
    const rec = recommendDose(spec, fit.model, posterior, samplePosterior(posterior, map));
    expect(rec.doses).toHaveLength(60);
    expect(rec.probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
  });
});
