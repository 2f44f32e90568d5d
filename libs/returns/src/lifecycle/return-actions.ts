import type { EntityManager } from 'typeorm';
import type { Actor } from '#libs/auth';
import { countingRulesEditionFor, type RuleContext } from '#libs/recording-rules';
import { computeReturn } from '../compute-return.js';
import { firstBlockingReturnRule, type ReturnFinding } from '../return-rules.js';
import type { ForceReturnTables } from '../return-tables.js';
import * as sql from './lifecycle.query.js';
import { SUBMISSION_ACTIONS, type ReturnStatus } from './lifecycle.types.js';
import { sameData } from './return-access.js';
import { allowedActions } from './state-machine.js';

// State, version and the caller's next actions, for every GET. Whether the data changed since the
// latest revision (which decides 'resubmit' from submitted or accepted) needs the live tables; they
// are computed only when that answer could change what this caller may do. A submission is offered
// only while no blocking return rule fails (the same rules that would refuse it with 422).
// live: the tables when the caller has computed them already; findings: the return rules' findings
// on them, when the caller has evaluated them already (GET …/validation).
export async function returnStatus(
  em: EntityManager,
  actor: Actor,
  rules: RuleContext,
  p: {
    forceId: string;
    year: number;
    now: Date;
    live?: ForceReturnTables;
    findings?: readonly ReturnFinding[];
  },
): Promise<ReturnStatus> {
  const { forceId, year } = p;
  const head = await sql.selectHead(em, forceId, year, false);
  const state = head?.state ?? 'draft';
  const base = { forceId, state };
  const dependsOnData =
    allowedActions(actor, { ...base, dataChanged: true }).join() !==
    allowedActions(actor, { ...base, dataChanged: false }).join();
  let live = p.live;
  const tables = async () =>
    (live ??= await computeReturn(em, {
      forceId,
      year,
      countingRulesVersion: countingRulesEditionFor(year, rules.config),
      generatedAt: p.now,
      source: 'figures',
    }));
  let dataChanged = false;
  if (dependsOnData) {
    const latest = await sql.selectRevision(em, forceId, year, null);
    dataChanged = !latest || !sameData(await tables(), latest.tables as ForceReturnTables);
  }
  let actions = allowedActions(actor, { ...base, dataChanged });
  let blockedBy: string[] = [];
  if (actions.some((a) => SUBMISSION_ACTIONS.includes(a))) {
    blockedBy = p.findings
      ? p.findings.map((f) => f.code)
      : await firstBlockingReturnRule(em, {
          forceId,
          year,
          ruleContext: rules,
          tables: await tables(),
        });
    if (blockedBy.length > 0) actions = actions.filter((a) => !SUBMISSION_ACTIONS.includes(a));
  }
  return {
    state,
    version: head?.version ?? 0,
    currentRevision: head?.current_revision ?? 0,
    actions,
    blockedBy,
  };
}
