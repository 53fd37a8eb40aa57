/** COMED category labels and colours shared by the allocation and COMED panels. */
import type { ComedStatus } from '../../data/explore/covariate-lookup';

export const COMED_LABELS: Record<ComedStatus, string> = {
  without: 'No COMED',
  with: 'COMED',
  unknown: 'COMED unknown',
};

export const COMED_COLORS: Record<ComedStatus, string> = {
  without: '#9cc3e6',
  with: '#1f5f99',
  unknown: '#d1d5db',
};

export const COMED_ORDER: readonly ComedStatus[] = ['without', 'with', 'unknown'];

/** Legend-ready colour scale for the statuses present. */
export function comedColorScale(present: readonly ComedStatus[]): { domain: string[]; range: string[] } {
  const statuses = COMED_ORDER.filter((s) => present.includes(s));
  return { domain: statuses.map((s) => COMED_LABELS[s]), range: statuses.map((s) => COMED_COLORS[s]) };
}
