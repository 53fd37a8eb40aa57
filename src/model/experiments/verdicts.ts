/**
 * The poster's four claims, judged for one quantum model against its width-matched control from
 * the claims check's numbers, in plain words — including when the quantum model loses.
 */
import { formatCount as count, formatSignificant as num } from '../../text/format';
import { type EndpointLabel, endpointTitle, experimentEndpoint } from '../report/labels';
import type { ClaimsRow } from './claims';

export const CLAIMS = ['fewer-parameters', 'faster-convergence', 'faster-inference', 'better-generalisation'] as const;
export type ClaimName = (typeof CLAIMS)[number];

export const CLAIM_TITLES: Readonly<Record<ClaimName, string>> = {
  'fewer-parameters': 'Fewer parameters',
  'faster-convergence': 'Converges faster',
  'faster-inference': 'Infers faster',
  'better-generalisation': 'Generalises better on small data',
};

/** What one timed inference pass predicts: an observation (the direct head) or a subject's parameters (the mechanistic head). */
export type InferenceUnit = 'observation' | 'subject';

const epochs = (n: number): string => `${n} epoch${n === 1 ? '' : 's'}`;

export interface ClaimVerdict {
  readonly encoder: ClaimsRow['encoder'];
  readonly claim: ClaimName;
  /** true: the quantum model wins on this claim; false: it does not; null: not measurable. */
  readonly holds: boolean | null;
  readonly text: string;
}

function parameters(q: ClaimsRow, c: ClaimsRow): Omit<ClaimVerdict, 'encoder' | 'claim'> {
  const diff = c.parameters.total - q.parameters.total;
  const facts = `${q.label} has ${count(q.parameters.total)} parameters (${count(q.parameters.quantum)} of them circuit angles), its control ${count(c.parameters.total)}`;
  if (diff > 0)
    return { holds: true, text: `${facts}: ${count(diff)} fewer (${num((100 * diff) / c.parameters.total, 2)} %). The claim holds.` };
  if (diff === 0) return { holds: false, text: `${facts}: the same number. The claim does not hold.` };
  return { holds: false, text: `${facts}: ${count(-diff)} more. The claim does not hold; the quantum model loses.` };
}

function convergence(q: ClaimsRow, c: ClaimsRow): Omit<ClaimVerdict, 'encoder' | 'claim'> {
  const target = `the control's best validation loss (${num(c.bestValLoss)}, reached at epoch ${c.bestEpoch})`;
  if (q.epochsToControlBest === null) {
    return {
      holds: false,
      text: `${q.label} never reached ${target} in its ${epochs(q.epochsRun)} (its best: ${num(q.bestValLoss)}). The claim does not hold; the quantum model loses.`,
    };
  }
  if (q.epochsToControlBest < c.bestEpoch)
    return { holds: true, text: `${q.label} reached ${target} at epoch ${q.epochsToControlBest}. The claim holds.` };
  const lost = q.epochsToControlBest > c.bestEpoch ? '; the quantum model loses' : '';
  return { holds: false, text: `${q.label} needed ${epochs(q.epochsToControlBest)} to reach ${target}. The claim does not hold${lost}.` };
}

/** Timings closer than this (relative) count as a tie: repeated timings differ by about as much. */
const TIMING_TIE = 0.05;

function inference(q: ClaimsRow, c: ClaimsRow, per: InferenceUnit): Omit<ClaimVerdict, 'encoder' | 'claim'> {
  const facts = `${q.label} takes ${num(q.inferenceMicroseconds)} µs per ${per}, its control ${num(c.inferenceMicroseconds)} µs`;
  const ratio = q.inferenceMicroseconds / c.inferenceMicroseconds;
  if (Math.abs(ratio - 1) < TIMING_TIE)
    return { holds: false, text: `${facts}: the same within ${100 * TIMING_TIE} %. The claim does not hold.` };
  if (ratio < 1) return { holds: true, text: `${facts} (${num(1 / ratio)}× faster). The claim holds.` };
  return {
    holds: false,
    text: `${facts}: ${num(ratio)}× slower, with the circuits simulated on this device. The claim does not hold; the quantum model loses.`,
  };
}

function generalisation(q: ClaimsRow, c: ClaimsRow, endpoint: EndpointLabel): Omit<ClaimVerdict, 'encoder' | 'claim'> {
  const qt = q.test[endpoint.target];
  const ct = c.test[endpoint.target];
  const title = endpointTitle(endpoint);
  if (!qt || !ct) return { holds: null, text: `No test ${title} observations: generalisation cannot be judged.` };
  const unit = endpoint.unit ? ` ${endpoint.unit}` : '';
  const facts = `Test ${title} RMSE ${num(qt.rmseZ)} z (${num(qt.rmse)}${unit}) for ${q.label}, ${num(ct.rmseZ)} z (${num(ct.rmse)}${unit}) for its control`;
  if (qt.rmseZ < ct.rmseZ) return { holds: true, text: `${facts}. The claim holds on this split.` };
  return {
    holds: false,
    text: `${facts}. The claim does not hold on this split; the quantum model ${qt.rmseZ > ct.rmseZ ? 'loses' : 'ties'}.`,
  };
}

const JUDGES: Readonly<
  Record<ClaimName, (q: ClaimsRow, c: ClaimsRow, endpoint: EndpointLabel, per: InferenceUnit) => Omit<ClaimVerdict, 'encoder' | 'claim'>>
> = {
  'fewer-parameters': parameters,
  'faster-convergence': convergence,
  'faster-inference': (q, c, _endpoint, per) => inference(q, c, per),
  'better-generalisation': generalisation,
};

/**
 * The four verdicts for a quantum model (`quantum`) and its control (`control`); generalisation on
 * the test RMSE of `endpoint` (experimentEndpoint: the study's response, or PK without one; default
 * EstData's PD in ng/mL), named and in its unit; inference timed `per` observation (direct head) or subject.
 */
export function judgeClaims(
  quantum: ClaimsRow,
  control: ClaimsRow,
  endpoint: EndpointLabel = experimentEndpoint(null),
  per: InferenceUnit = 'observation',
): ClaimVerdict[] {
  return CLAIMS.map((claim) => ({ encoder: quantum.encoder, claim, ...JUDGES[claim](quantum, control, endpoint, per) }));
}
