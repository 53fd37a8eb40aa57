/**
 * The nlme peer (issue 15) printed as JSON: R's nlme (Lindstrom–Bates, ML) and our FOCE-I fitting
 * theophylline with the same model (src/pkpd/population/testing/nlme-peer.ts), side by side with the
 * difference and tolerance of each quantity — what src/pkpd/population/nlme-peer.test.ts asserts.
 * Needs Rscript with nlme (Debian: r-base-core, r-cran-nlme).
 *
 *   npx tsx bench/nlme-peer.ts > bench/results-nlme-peer-DATE.json
 */
import { fitOursAsPeer, PEER_TOLERANCES, peerComparison, runNlmePeer } from '../src/pkpd/population/testing/nlme-peer';
import { benchHeader } from './baseline';

const round = (x: number, digits = 6): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);

const peer = runNlmePeer();
if (!peer.ok) {
  console.error(`The nlme peer did not run: ${peer.message}`);
  process.exit(1);
}
const ours = fitOursAsPeer();
const { date, machine } = benchHeader();
console.log(
  JSON.stringify(
    {
      date,
      machine,
      study: 'theophylline, test-data/real/theo_sd.csv (observations at the dose time left out)',
      model:
        'oral 1-compartment, first-order absorption, no lag; log-normal CL, V, KA (diagonal Ω); additive residual error; ' +
        'maximum likelihood (nlme method = "ML"; FOCE-I, which with an additive error is FOCE)',
      peer_script: 'scripts/peer/nlme-theophylline.R',
      minus2LogLik_note: 'both include the constant N·log 2π: nlme −2·logLik(fit), ours the FOCE-I OFV',
      tolerances: PEER_TOLERANCES,
      nlme: peer.fit,
      ours: { ...ours.fit, seconds: round(ours.result.elapsedMs / 1000, 3) },
      comparison: peerComparison(peer.fit, ours.fit).map((r) => ({
        ...r,
        nlme: round(r.nlme),
        ours: round(r.ours),
        difference: round(r.difference, 4),
      })),
    },
    null,
    2,
  ),
);
