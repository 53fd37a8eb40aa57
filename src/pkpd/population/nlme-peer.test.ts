/**
 * An independent peer in CI (issue 15): R's nlme (Lindstrom–Bates, ML) and our FOCE-I fit the same
 * model to theophylline — one compartment, first-order absorption, log-normal CL, V, KA with a
 * diagonal Ω, additive error — and agree within tolerances set from the methods' expected difference
 * (testing/nlme-peer.ts, PEER_TOLERANCES). bench/results-nlme-peer-2026-12-06.json has both fits.
 * Without R or nlme the test skips with a message, unless QPKPD_REQUIRE_R=1 (CI: .ci/run installs
 * r-base-core and r-cran-nlme) makes that a failure.
 */
import { describe, expect, it } from 'vitest';
import { fitOursAsPeer, PEER_TOLERANCES, peerComparison, runNlmePeer, type PeerFit, type PeerRow } from './testing/nlme-peer';

const peer = runNlmePeer();
const requireR = process.env.QPKPD_REQUIRE_R === '1';
if (!peer.ok && peer.missing && !requireR) console.warn(`nlme peer comparison skipped: ${peer.message}`);
const skip = !peer.ok && peer.missing && !requireR;

function nlmeFit(): PeerFit {
  if (!peer.ok) throw new Error(`The nlme peer did not run: ${peer.message}`);
  return peer.fit;
}

let oursCache: ReturnType<typeof fitOursAsPeer> | undefined;
const oursFit = (): ReturnType<typeof fitOursAsPeer> => (oursCache ??= fitOursAsPeer());

const outside = (rows: PeerRow[]): string[] => rows.filter((r) => !r.within).map((r) => r.quantity);

describe.skipIf(skip)('nlme peer: theophylline, oral one-compartment, additive error', () => {
  it('nlme fits the same data: 12 subjects, 120 concentrations after the dose', () => {
    const nlme = nlmeFit();
    const ours = oursFit();
    expect(nlme.method).toMatch(/nlme .*method ML/);
    expect(nlme.subjects).toBe(12);
    expect(nlme.observations).toBe(120);
    expect(ours.fit.subjects).toBe(12);
    expect(ours.fit.observations).toBe(120);
    expect(ours.result.pk?.foce.converged).toBe(true);
  });

  it('typical values, ω SDs, σ and −2LL agree within the tolerances', () => {
    const rows = peerComparison(nlmeFit(), oursFit().fit);
    for (const row of rows) {
      const shown = row.kind === 'relative' ? `${(100 * row.difference).toFixed(2)} %` : row.difference.toFixed(3);
      expect(row.within, `${row.quantity}: nlme ${row.nlme}, ours ${row.ours} (${shown})`).toBe(true);
    }
    expect(rows).toHaveLength(8);
  });

  it('the comparison fails a different model: proportional error, no η on V, V in mL, CL and V swapped', () => {
    const nlme = nlmeFit();
    expect(outside(peerComparison(nlme, fitOursAsPeer({ error: { pk: { proportional: 0.1 } } }).fit))).toEqual(
      expect.arrayContaining(['KA', '−2 log-likelihood']),
    );
    expect(outside(peerComparison(nlme, fitOursAsPeer({ randomEffects: ['CL', 'KA'] }).fit))).toEqual(
      expect.arrayContaining(['ω CL', 'ω V', '−2 log-likelihood']),
    );
    const ours = oursFit();
    const { typical } = ours.fit;
    expect(outside(peerComparison(nlme, { ...ours.fit, typical: { ...typical, V: typical.V * 1000 } }))).toEqual(['V']);
    expect(outside(peerComparison(nlme, { ...ours.fit, typical: { ...typical, CL: typical.V, V: typical.CL } }))).toEqual(['CL', 'V']);
    expect(PEER_TOLERANCES.typicalRelative).toBeLessThan(0.1);
  });
});
