import type { EntityManager } from 'typeorm';
import type { Actor } from '#libs/auth';
import { countingRulesEditionFor, type RuleContext } from '#libs/recording-rules';
import { computeReturn } from '../compute-return.js';
import type { ForceReturnTables } from '../return-tables.js';
import * as sql from './lifecycle.query.js';
import type { ReturnStatus } from './lifecycle.types.js';
import { sameData } from './return-access.js';
import { allowedActions } from './state-machine.js';

// State, version and the caller's next actions, for every GET. Whether the data changed since the
// latest revision (which decides 'resubmit' from submitted or accepted) needs the live tables; they
// are computed only when that answer could change what this caller may do.
// live: the tables when the caller has computed them already.
export async function returnStatus(
  em: EntityManager,
  actor: Actor,
  rules: RuleContext,
  p: { forceId: string; year: number; now: Date; live?: ForceReturnTables },
): Promise<ReturnStatus> {
  const { forceId, year } = p;
  const head = await sql.selectHead(em, forceId, year, false);
  const state = head?.state ?? 'draft';
  const base = { forceId, state };
  const dependsOnData =
    allowedActions(actor, { ...base, dataChanged: true }).join() !== allowedActions(actor, { ...base, dataChanged: false }).join();
  let dataChanged = false;
  if (dependsOnData) {
    const latest = await sql.selectRevision(em, forceId, year, null);
    const live = p.live ?? (await computeReturn(em, { forceId, year, countingRulesVersion: countingRulesEditionFor(year, rules.config), generatedAt: p.now }));
    dataChanged = !latest || !sameData(live, latest.tables as ForceReturnTables);
  }
  return {
    state,
    version: head?.version ?? 0,
    currentRevision: head?.current_revision ?? 0,
    actions: allowedActions(actor, { ...base, dataChanged }),
  };
}
