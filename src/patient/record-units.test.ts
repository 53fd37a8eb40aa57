import { describe, expect, it } from 'vitest';
import { mapEstimate, PatientDataError, PatientPosterior } from './map-estimate';
import { readPatientRecord, type PatientRecord } from './patient-record';
import { recordInModelUnits } from './record-units';
import { exampleModel, simulatePatients } from './test-support';

const { spec, model } = exampleModel();

function withUnits(
  base: PatientRecord,
  units: Record<string, string>,
  scale: { time: number; amount: number; conc: number },
): PatientRecord {
  const reading = readPatientRecord({
    format: 'qpkpd-patient',
    version: 1,
    units,
    covariates: base.covariates,
    doses: base.doses.map((d) => ({
      ...d,
      time: d.time * scale.time,
      amount: d.amount * scale.amount,
      every: (d.every as number) * scale.time,
    })),
    observations: base.observations.map((o) => ({
      ...o,
      time: o.time * scale.time,
      value: o.endpoint === 'pk' ? o.value * scale.conc : o.value,
    })),
    regimen: {
      ...base.regimen,
      interval: (base.regimen?.interval as number) * scale.time,
      step: (base.regimen?.step as number) * scale.amount,
    },
  });
  if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
  return reading.record;
}

describe('a record in units of its own', () => {
  const [p] = simulatePatients(spec, model, 1, 77);
  const reference = mapEstimate(new PatientPosterior(spec, model, p.record));

  it('gives the MAP of the record written by hand in the model units (µg/L is ng/mL; ng/L, µg and minutes convert)', () => {
    for (const [units, scale] of [
      [{ concentration: 'µg/L' }, { time: 1, amount: 1, conc: 1 }],
      [
        { concentration: 'ng/L', amount: 'ug', time: 'minutes' },
        { time: 60, amount: 1000, conc: 1000 },
      ],
      [
        { concentration: 'mg/L', amount: 'g', time: 'd' },
        { time: 1 / 24, amount: 1e-3, conc: 1e-3 },
      ],
    ] as const) {
      const own = withUnits(p.record, units, scale);
      const posterior = new PatientPosterior(spec, model, own);
      expect(posterior.record.units).toBeUndefined();
      const map = mapEstimate(posterior);
      map.eta.forEach((x, i) => expect(x).toBeCloseTo(reference.eta[i], 6));
      expect(map.ofv).toBeCloseTo(reference.ofv, 6);
    }
  });

  it('converts every time, amount and concentration of the record, and keeps the same object without units', () => {
    const own = withUnits(p.record, { time: 'min', amount: 'µg', concentration: 'ng/L' }, { time: 60, amount: 1000, conc: 1000 });
    own.regimen = { ...(own.regimen as NonNullable<PatientRecord['regimen']>), intervals: [720], max: 20_000 };
    const reading = recordInModelUnits(own, spec);
    if (!reading.ok) throw new Error('expected a conversion');
    const r = reading.record;
    expect(r.doses[0]).toEqual({ ...p.record.doses[0] });
    r.observations.forEach((o, i) => {
      expect(o.time).toBeCloseTo(p.record.observations[i].time, 9);
      expect(o.value).toBeCloseTo(p.record.observations[i].value, 9);
    });
    expect(r.regimen).toEqual({ interval: 24, intervals: [12], route: 'oral', step: 0.5, max: 20 });
    expect(recordInModelUnits(p.record, spec)).toEqual({ ok: true, record: p.record });
  });

  it('refuses mass against moles and a different response unit, naming the field', () => {
    const molar = { ...p.record, units: { amount: 'µmol' as const, concentration: 'nmol/L' as const } };
    const reading = recordInModelUnits(molar, spec);
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(reading.problems.map((q) => q.path)).toEqual(['units.amount', 'units.concentration']);
    expect(reading.problems[1].message).toBe(
      'the record is in nmol/L, the model in ng/mL; these do not convert without a molar mass (give the levels in ng/mL)',
    );
    expect(() => new PatientPosterior(spec, model, { ...p.record, units: { response: '%' } })).toThrow(PatientDataError);
    expect(() => new PatientPosterior(spec, model, { ...p.record, units: { response: 'ng/mL' } })).not.toThrow();
  });
});
