// Audit results (issue 7 §4), pure part: accuracy per stratum and overall with 95% Wilson intervals, and
// the estimated number of wrong records in the population.
// "Cannot tell" verdicts are left out of n: they say nothing about whether the record is right, and
// counting them as either would bias the rate. They are reported beside the rate, as are pending ones.
// Per stratum, `accuracy` is the plain Wilson interval of the sample (what an auditor can check by hand);
// `populationInterval` and `overall` come from stratifiedEstimate (population-weighted; with the finite
// population correction when the audit was created with it, the default).
import {
  stratifiedEstimate,
  wilsonInterval,
  type CountInterval,
  type ProportionInterval,
} from '#libs/audit-stats';

export interface StratumTally {
  stratum: string;
  populationSize: number;
  sampled: number;
  correct: number;
  incorrect: number;
  cannotTell: number;
}

export interface IntervalView extends ProportionInterval {
  effectiveSampleSize?: number | null; // null = a full census (infinite effective size)
}

export interface StratumResult extends StratumTally {
  decided: number; // correct + incorrect: the n of the rate
  pending: number; // sampled, no verdict yet
  accuracy: ProportionInterval | null;
  populationInterval: IntervalView | null;
}

export interface MeasureResult {
  confidence: number;
  finitePopulationCorrection: boolean;
  strata: StratumResult[];
  overall: IntervalView | null; // null until every non-empty stratum has a decided verdict
  unsampledStrata: string[];
  estimatedWrong: CountInterval | null; // records in the population estimated to be wrong
}

export function measureResult(
  tallies: readonly StratumTally[],
  finitePopulationCorrection: boolean,
): MeasureResult {
  const est = stratifiedEstimate(
    tallies.map((t) => ({
      stratum: t.stratum,
      populationSize: t.populationSize,
      sampleSize: t.correct + t.incorrect,
      successes: t.correct,
    })),
    { finitePopulationCorrection },
  );
  return {
    confidence: est.confidence,
    finitePopulationCorrection,
    strata: tallies.map((t, i) => {
      const decided = t.correct + t.incorrect;
      const design = est.strata[i].interval;
      return {
        ...t,
        decided,
        pending: t.sampled - decided - t.cannotTell,
        accuracy: wilsonInterval(t.correct, decided),
        populationInterval: design ? intervalView(design) : null,
      };
    }),
    overall: est.overall ? intervalView(est.overall) : null,
    unsampledStrata: est.unsampledStrata,
    estimatedWrong: est.wrong,
  };
}

function intervalView(i: ProportionInterval & { effectiveSampleSize: number }): IntervalView {
  return {
    estimate: i.estimate,
    lower: i.lower,
    upper: i.upper,
    effectiveSampleSize: Number.isFinite(i.effectiveSampleSize) ? i.effectiveSampleSize : null,
  };
}
