// Coverage (domain.md §15: "a forces responding count and a list of missing forces"): which forces the
// year expects, which returns were received and accepted, and which are in the totals. Pure.
import type { Catalogue, Force } from '#libs/catalogue';
import type {
  Basis,
  Coverage,
  CoverageRow,
  CoverageStatus,
  ReturnState,
} from './national.types.js';
import type { NationalPeriod } from './period.js';

export interface ReturnHead {
  forceId: string;
  state: Exclude<ReturnState, 'none'>;
  revision: number;
  sha256: string | null;
}

// A force is expected when its catalogue validity overlaps the year: a force merged mid-year still owes
// the part of the year it existed for (validFrom/validTo, inclusive dates).
export function expectedForces(catalogue: Catalogue, period: NationalPeriod): Force[] {
  return catalogue.forcesValidDuring(period.firstDay, period.lastDay);
}

export function coverageText(included: number, expected: number): Coverage {
  return { included, expected, text: `${included} of ${expected} forces` };
}

// 'revised': a published return's correction, received but not yet accepted (so not in the totals).
const RECEIVED: ReadonlySet<ReturnState> = new Set([
  'submitted',
  'returned',
  'accepted',
  'locked',
  'revised',
]);
const ACCEPTED: ReadonlySet<ReturnState> = new Set(['accepted', 'locked']);

// One row per expected force, plus any force with a return that the catalogue does not expect that year
// (shown, never summed). Accepted basis: a force is included when its return is accepted or locked.
// Live basis: every expected force is included (its current records), whatever its return's state.
export function buildCoverage(
  catalogue: Catalogue,
  period: NationalPeriod,
  heads: readonly ReturnHead[],
  basis: Basis,
): CoverageRow[] {
  const expected = new Set(expectedForces(catalogue, period).map((f) => f.id));
  const byForce = new Map(heads.map((h) => [h.forceId, h]));
  const ids = [...new Set([...expected, ...heads.map((h) => h.forceId)])].sort();
  return ids.map((id) => {
    const force = catalogue.force(id);
    const region = force ? catalogue.region(force.regionId) : undefined;
    const head = byForce.get(id);
    const state: ReturnState = head?.state ?? 'none';
    const isExpected = expected.has(id);
    const received = RECEIVED.has(state);
    const accepted = ACCEPTED.has(state);
    const included = isExpected && (basis === 'live' || accepted);
    const status: CoverageStatus = !isExpected
      ? 'not expected'
      : included
        ? 'included'
        : received
          ? 'received, not accepted'
          : 'not received';
    const used = included && basis === 'accepted';
    return {
      forceId: id,
      forceName: force?.name ?? id,
      regionId: force?.regionId ?? 'unknown',
      regionName: region?.name ?? 'unknown',
      expected: isExpected,
      returnState: state,
      received,
      accepted,
      included,
      status,
      revision: used ? head!.revision : null,
      sha256: used ? head!.sha256 : null,
    };
  });
}
