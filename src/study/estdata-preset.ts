/**
 * The EstData preset (public/demo/EstData.study.json, shipped beside the demo data): the challenge
 * dataset's units, endpoints, model and its five dose questions — scenarios "base" (BW 50–100 kg,
 * COMED 50 %), "bw70_140" and "no_comed"; regimens "daily" and "weekly"; PD below 3.3 ng/mL
 * throughout the last interval at steady state for 90 % and 75 % of subjects. Read through the one
 * validator, so a broken preset is caught by the tests, not by a user; a fresh copy each call.
 */
import preset from '../../public/demo/EstData.study.json' with { type: 'json' };
import type { StudySpec } from './study-spec';
import { describeSpecProblems, readStudySpec } from './study-spec-reader';

export function estDataPreset(): StudySpec {
  const reading = readStudySpec(preset);
  if (!reading.ok) throw new Error(`The EstData preset is not a valid study spec: ${describeSpecProblems(reading.problems)}`);
  return reading.spec;
}
