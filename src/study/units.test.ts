import { describe, expect, it } from 'vitest';
import { amountFactor, canonicalUnit, concentrationFactor, shownUnit, unitMismatch, volumeFactor } from './units';
import type { StudyUnits } from './study-spec';

const units = (amount: StudyUnits['amount'], concentration: StudyUnits['concentration']): StudyUnits => ({
  time: 'h',
  amount,
  concentration,
  response: '%',
});

describe('study units', () => {
  it('gives the litres in one unit of amount ÷ concentration', () => {
    expect(volumeFactor(units('mg', 'mg/L'))).toBe(1);
    expect(volumeFactor(units('mg', 'ng/mL'))).toBeCloseTo(1000, 12); // mg/(ng/mL) = 10^6 mL = 1000 L
    expect(volumeFactor(units('mg', 'µg/mL'))).toBeCloseTo(1, 12);
    expect(volumeFactor(units('µg', 'ng/mL'))).toBeCloseTo(1, 12);
    expect(volumeFactor(units('mmol', 'µmol/L'))).toBeCloseTo(1000, 12);
  });

  it('refuses mass doses with molar concentrations', () => {
    expect(unitMismatch(units('mg', 'nmol/L'))).toContain('both by mass or both in moles');
    expect(() => volumeFactor(units('mg', 'nmol/L'))).toThrow(/do not fit/);
  });

  it('shows volumes in L and clearances in L per time unit', () => {
    const estdata = units('mg', 'ng/mL');
    expect(shownUnit('CL', estdata).unit).toBe('L/h');
    expect(shownUnit('CL', estdata).factor).toBeCloseTo(1000, 12);
    expect(shownUnit('V2', { ...estdata, time: 'd' })).toEqual({ unit: 'L', factor: shownUnit('V', estdata).factor });
    expect(shownUnit('KOUT', { ...estdata, time: 'd' })).toEqual({ unit: '1/d', factor: 1 });
    expect(shownUnit('IC50', estdata)).toEqual({ unit: 'ng/mL', factor: 1 });
    expect(shownUnit('EMAX', estdata)).toEqual({ unit: '%', factor: 1 });
    expect(shownUnit('EMAX', estdata, 'direct')).toEqual({ unit: '%', factor: 1 });
    expect(shownUnit('EMAX', estdata, 'indirect')).toEqual({ unit: '', factor: 1 });
  });

  it('reads the usual other spellings', () => {
    expect(canonicalUnit('ug/ml')).toBe('µg/mL');
    expect(canonicalUnit('mcg')).toBe('µg');
    expect(canonicalUnit('hours')).toBe('h');
    expect(canonicalUnit('ng/ML')).toBe('ng/mL');
    expect(canonicalUnit('mg/l')).toBe('mg/L');
  });
});

describe('unit factors', () => {
  it('convert amounts and concentrations within mass or moles, never between them', () => {
    expect(amountFactor('µg', 'mg')).toBeCloseTo(1e-3, 15);
    expect(amountFactor('g', 'ng')).toBeCloseTo(1e9, 3);
    expect(amountFactor('mg', 'µmol')).toBeNull();
    expect(concentrationFactor('µg/L', 'ng/mL')).toBeCloseTo(1, 15);
    expect(concentrationFactor('ng/L', 'ng/mL')).toBeCloseTo(1e-3, 15);
    expect(concentrationFactor('mg/L', 'ng/mL')).toBeCloseTo(1e3, 12);
    expect(concentrationFactor('µg/mL', 'mg/L')).toBeCloseTo(1, 15);
    expect(concentrationFactor('nmol/L', 'µmol/L')).toBeCloseTo(1e-3, 15);
    expect(concentrationFactor('nmol/L', 'ng/mL')).toBeNull();
  });
});
