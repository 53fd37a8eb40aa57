/**
 * Units of a study and the units its parameters are shown in. Estimation works in the data's own
 * units (amounts as AMT is written, concentrations as DV is written, times as TIME is written), so a
 * volume comes out as amount ÷ concentration — with mg and ng/mL that is mg/(ng/mL) = 1000 L. The
 * rule for display: volumes always in L, clearances in L per time unit of the data, rate constants
 * per time unit, times in the time unit, concentration-valued parameters (EC50, IC50) in the
 * concentration unit, response-valued ones (E0, BASE, EMAX) in the response unit; each shown value
 * is the estimate times the factor given here.
 */
import {
  type AmountUnit,
  type ConcentrationUnit,
  type ModelParameter,
  type PdModelSpec,
  type StudyUnits,
  type TimeUnit,
} from './study-spec';

/** Amount units: what they measure and their size in grams or moles. */
const AMOUNT: Readonly<Record<AmountUnit, { kind: 'mass' | 'moles'; size: number }>> = {
  g: { kind: 'mass', size: 1 },
  mg: { kind: 'mass', size: 1e-3 },
  µg: { kind: 'mass', size: 1e-6 },
  ng: { kind: 'mass', size: 1e-9 },
  mmol: { kind: 'moles', size: 1e-3 },
  µmol: { kind: 'moles', size: 1e-6 },
  nmol: { kind: 'moles', size: 1e-9 },
};

const VOLUME_IN_LITRES: Readonly<Record<string, number>> = { L: 1, mL: 1e-3 };

/** Other spellings users write, mapped to the canonical unit. */
const ALIASES: Readonly<Record<string, string>> = {
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  minutes: 'min',
  day: 'd',
  days: 'd',
  ug: 'µg',
  mcg: 'µg',
  μg: 'µg', // Greek mu (U+03BC) → micro sign (U+00B5)
  umol: 'µmol',
  μmol: 'µmol',
};

/** The canonical spelling of a unit ("ug/ml" → "µg/mL", "hours" → "h"); the input unchanged when unknown. */
export function canonicalUnit(text: string): string {
  const trimmed = text.trim();
  const [numerator, denominator, ...rest] = trimmed.split('/');
  const fix = (part: string): string => {
    const known = ALIASES[part] ?? ALIASES[part.toLowerCase()];
    if (known) return known;
    if (/^m?l$/i.test(part)) return part.length === 1 ? 'L' : 'mL';
    return part;
  };
  if (rest.length > 0 || denominator === undefined) return fix(numerator);
  return `${fix(numerator)}/${fix(denominator)}`;
}

function concentrationParts(unit: ConcentrationUnit): { amount: AmountUnit; litres: number } {
  const [amount, volume] = unit.split('/') as [AmountUnit, string];
  return { amount, litres: VOLUME_IN_LITRES[volume] };
}

/** Why the amount and concentration units cannot be combined, or null when they can. */
export function unitMismatch(units: Pick<StudyUnits, 'amount' | 'concentration'>): string | null {
  const dose = AMOUNT[units.amount].kind;
  const level = AMOUNT[concentrationParts(units.concentration).amount].kind;
  if (dose === level) return null;
  return `doses are in ${units.amount} (${dose}) but concentrations in ${units.concentration} (${level}); give both by mass or both in moles`;
}

/** Litres in one unit of (amount unit) ÷ (concentration unit): mg and ng/mL → 1000, mg and mg/L → 1. */
export function volumeFactor(units: Pick<StudyUnits, 'amount' | 'concentration'>): number {
  const problem = unitMismatch(units);
  if (problem) throw new Error(`The study's units do not fit together: ${problem}.`);
  const { amount, litres } = concentrationParts(units.concentration);
  return (AMOUNT[units.amount].size / AMOUNT[amount].size) * litres;
}

/**
 * Multiply a value in amount unit `from` by this to get it in `to` (µg → mg: 0.001); null between
 * mass and moles, which do not convert without a molar mass.
 */
export function amountFactor(from: AmountUnit, to: AmountUnit): number | null {
  if (AMOUNT[from].kind !== AMOUNT[to].kind) return null;
  return AMOUNT[from].size / AMOUNT[to].size;
}

/** As `amountFactor`, for concentrations (µg/L → ng/mL: 1; ng/L → ng/mL: 0.001); null between mass and molar. */
export function concentrationFactor(from: ConcentrationUnit, to: ConcentrationUnit): number | null {
  const a = concentrationParts(from);
  const b = concentrationParts(to);
  const amount = amountFactor(a.amount, b.amount);
  return amount === null ? null : (amount * b.litres) / a.litres;
}

export interface ShownUnit {
  /** The unit shown, e.g. "L/h". */
  unit: string;
  /** Shown value = estimate in data units × factor. */
  factor: number;
}

const perTime = (time: TimeUnit): string => `1/${time}`;

/**
 * How a parameter is shown. E0, BASE and the EMAX of a direct or effect-compartment response are
 * response levels (the response unit); the EMAX of an indirect response (`pdFamily` "indirect")
 * multiplies a rate and has no unit.
 */
export function shownUnit(parameter: ModelParameter, units: StudyUnits, pdFamily?: PdModelSpec['family']): ShownUnit {
  switch (parameter) {
    case 'CL':
    case 'Q':
      return { unit: `L/${units.time}`, factor: volumeFactor(units) };
    case 'V':
    case 'V2':
      return { unit: 'L', factor: volumeFactor(units) };
    case 'KA':
    case 'KE0':
    case 'KOUT':
      return { unit: perTime(units.time), factor: 1 };
    case 'TLAG':
      return { unit: units.time, factor: 1 };
    case 'EC50':
    case 'IC50':
      return { unit: units.concentration, factor: 1 };
    case 'EMAX':
      return { unit: pdFamily === 'indirect' ? '' : units.response, factor: 1 };
    case 'E0':
    case 'BASE':
      return { unit: units.response, factor: 1 };
    case 'IMAX':
    case 'HILL':
      return { unit: '', factor: 1 };
  }
}

/** Hours in one time unit (regimen intervals and grids are computed in the data's unit; this is for labels). */
export const HOURS_PER: Readonly<Record<TimeUnit, number>> = { h: 1, min: 1 / 60, d: 24 };
