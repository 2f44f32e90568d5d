import { measureResult, type MeasureResult, type StratumTally } from './audit-results.js';
import type { AuditRow, AuditSummaryRow, SampleRow, StratumRow, Verdict } from './audits.query.js';

export interface SampledRecordView {
  crimeId: string;
  crimeReference: string;
  offenceCode: string;
  onlineFlag: string;
  recordedAt: Date;
  stratum: string;
  drawOrder: number;
  verdict: {
    flag: Verdict;
    classification: Verdict;
    note: string | null;
    at: Date;
    by: string;
  } | null;
}

export interface AuditView {
  id: string;
  forceId: string;
  period: { label: string; start: Date; end: Date };
  offenceGroups: string[];
  sizeBasis: { sampleSize: number } | { targetMargin: number };
  seed: string;
  populationSize: number;
  sampleSize: number;
  status: 'open' | 'closed';
  createdAt: Date;
  createdBy: string;
  closedAt: Date | null;
  closedBy: string | null;
  strata: { stratum: string; populationSize: number; sampleSize: number }[];
  sample: SampledRecordView[];
  progress: { sampled: number; withVerdict: number; pending: number };
  results: { flag: MeasureResult; classification: MeasureResult; note: string };
}

const RESULTS_NOTE =
  "accuracy = correct / (correct + incorrect); 'cannot tell' verdicts are excluded from n and counted apart; 95% Wilson intervals";

type AuditHead = Omit<AuditView, 'strata' | 'sample' | 'progress' | 'results'>;

function auditHead(a: AuditRow): AuditHead {
  return {
    id: a.id,
    forceId: a.force_id,
    period: { label: a.period_label, start: a.period_start, end: a.period_end },
    offenceGroups: a.offence_groups,
    sizeBasis:
      a.target_margin === null
        ? { sampleSize: a.requested_sample_size ?? a.sample_size }
        : { targetMargin: Number(a.target_margin) },
    seed: a.seed,
    populationSize: a.population_size,
    sampleSize: a.sample_size,
    status: a.status,
    createdAt: a.created_at,
    createdBy: a.created_by,
    closedAt: a.closed_at,
    closedBy: a.closed_by,
  };
}

export function toAuditView(
  a: AuditRow,
  strata: readonly StratumRow[],
  sample: readonly SampleRow[],
): AuditView {
  const withVerdict = sample.filter((s) => s.flag_verdict !== null).length;
  return {
    ...auditHead(a),
    strata: strata.map((s) => ({
      stratum: s.stratum,
      populationSize: s.population_size,
      sampleSize: s.sample_size,
    })),
    sample: sample.map(toSampledRecordView),
    progress: { sampled: sample.length, withVerdict, pending: sample.length - withVerdict },
    results: {
      flag: measureResult(tallies(strata, sample, 'flag_verdict'), a.finite_population_correction),
      classification: measureResult(
        tallies(strata, sample, 'classification_verdict'),
        a.finite_population_correction,
      ),
      note: RESULTS_NOTE,
    },
  };
}

export function toSampledRecordView(s: SampleRow): SampledRecordView {
  return {
    crimeId: s.crime_id,
    crimeReference: s.crime_reference,
    offenceCode: s.offence_code,
    onlineFlag: s.online_flag,
    recordedAt: s.recorded_at,
    stratum: s.stratum,
    drawOrder: s.draw_order,
    verdict:
      s.flag_verdict && s.classification_verdict && s.verdict_at && s.verdict_by
        ? {
            flag: s.flag_verdict,
            classification: s.classification_verdict,
            note: s.note,
            at: s.verdict_at,
            by: s.verdict_by,
          }
        : null,
  };
}

function tallies(
  strata: readonly StratumRow[],
  sample: readonly SampleRow[],
  field: 'flag_verdict' | 'classification_verdict',
): StratumTally[] {
  return strata.map((st) => {
    const mine = sample.filter((s) => s.stratum === st.stratum);
    const count = (v: Verdict) => mine.filter((s) => s[field] === v).length;
    return {
      stratum: st.stratum,
      populationSize: st.population_size,
      sampled: mine.length,
      correct: count('correct'),
      incorrect: count('incorrect'),
      cannotTell: count('cannot_tell'),
    };
  });
}

// One line of GET /audits.
export type AuditSummaryView = AuditHead & Pick<AuditView, 'progress'>;

export function toAuditSummaryView(a: AuditSummaryRow): AuditSummaryView {
  return {
    ...auditHead(a),
    progress: {
      sampled: a.sample_size,
      withVerdict: a.with_verdict,
      pending: a.sample_size - a.with_verdict,
    },
  };
}
