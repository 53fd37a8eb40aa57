/**
 * What the models that read every dose as an oral bolus — the mechanistic fit (src/pkpd) and the
 * networks' dose-history features (src/data/features) — cannot honestly use yet: zero-order
 * infusions (RATE, DUR), doses at steady state (SS), and resets of the compartments (EVID 3/4, or a
 * new occasion where TIME restarts) after a dose. Rather than treat them as oral boluses, those
 * consumers stop with a message that names the file, what it has and where. Additional doses (ADDL)
 * are plain doses once expanded and need nothing here; an intravenous route cannot be told from a
 * file's columns (CMT numbering differs between tools), so it is checked only where the route is
 * known (the study spec's `route`).
 */
import { formatCount } from '../text/format';
import { shortText } from './issues';
import type { Dataset } from './types';
import { EVID_DOSE, SS_NONE } from './types';

export type UnmodelledDosingKind = 'infusion' | 'steady-state' | 'reset';

/** Records of one kind, within the records examined. */
export interface UnmodelledDosingCount {
  kind: UnmodelledDosingKind;
  count: number;
  /** File line of the first such record. */
  firstLine: number;
  /** Subject of the first such record. */
  firstSubject: string;
}

const DESCRIPTIONS: Readonly<Record<UnmodelledDosingKind, { what: string; records: string }>> = {
  infusion: { what: 'zero-order infusions (RATE or DUR)', records: 'infusion' },
  'steady-state': { what: 'doses at steady state (SS)', records: 'steady-state dose' },
  reset: { what: 'resets of the compartments after a dose (EVID 3 or 4, or a new occasion where TIME restarts)', records: 'reset' },
};

/**
 * Infusions, steady-state doses and resets after a dose among the records of the given subjects (each
 * subject's own range only: the records of no other subject are read). Columns an older dataset lacks
 * count as none (see normalizeDataset).
 */
export function countUnmodelledDosing(dataset: Dataset, subjects: Iterable<number>): UnmodelledDosingCount[] {
  const { evid, duration, ss, reset, sourceLine } = dataset.records;
  const found = new Map<UnmodelledDosingKind, UnmodelledDosingCount>();
  const note = (kind: UnmodelledDosingKind, k: number, subject: string): void => {
    const entry = found.get(kind);
    if (entry) entry.count++;
    else found.set(kind, { kind, count: 1, firstLine: sourceLine[k], firstSubject: subject });
  };
  for (const s of subjects) {
    const info = dataset.subjects[s];
    let dosed = false;
    for (let k = info.firstRecord; k < info.firstRecord + info.recordCount; k++) {
      if (reset !== undefined && reset[k] === 1 && dosed) note('reset', k, info.id);
      if (evid[k] !== EVID_DOSE) continue;
      dosed = true;
      if (duration !== undefined && duration[k] > 0) note('infusion', k, info.id);
      if (ss !== undefined && ss[k] !== SS_NONE) note('steady-state', k, info.id);
    }
  }
  const order: UnmodelledDosingKind[] = ['infusion', 'steady-state', 'reset'];
  return order.flatMap((kind) => {
    const entry = found.get(kind);
    return entry ? [entry] : [];
  });
}

/**
 * The message for a consumer (e.g. "the mechanistic fit") that cannot use what was found: null when
 * nothing was. Names the file, each kind with its count, first line and subject, and what to do.
 */
export function unmodelledDosingMessage(dataset: Dataset, found: readonly UnmodelledDosingCount[], consumer: string): string | null {
  if (found.length === 0) return null;
  const parts = found.map(({ kind, count, firstLine, firstSubject }) => {
    const { what, records } = DESCRIPTIONS[kind];
    const first = `first on line ${firstLine}, subject ${shortText(firstSubject)}`;
    return `${what}: ${formatCount(count)} ${records}${count === 1 ? '' : 's'}, ${first}`;
  });
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join('; ')}; and ${parts[parts.length - 1]}`;
  return (
    `${dataset.fileName} has ${list}. ${capitalised(consumer)} cannot model these yet: reading them as oral doses given at once ` +
    `would be wrong, so nothing was computed. The data can still be explored.`
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Thrown by the network features for data they would otherwise read as oral boluses. */
export class UnmodelledDosingError extends Error {
  override readonly name = 'UnmodelledDosingError';
}

/** Throws an UnmodelledDosingError when the given subjects' records have what `consumer` cannot model. */
export function refuseUnmodelledDosing(dataset: Dataset, subjects: Iterable<number>, consumer: string): void {
  const message = unmodelledDosingMessage(dataset, countUnmodelledDosing(dataset, subjects), consumer);
  if (message !== null) throw new UnmodelledDosingError(message);
}
