import { Injectable } from '@nestjs/common';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { partitionFindings, type FindingView } from '#libs/recording-rules';
import { ScopedDb } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { toRuleFacts } from './crime.mapper.js';
import { CrimeIncidents } from './crime-incident.js';
import { CrimeRuleChecker } from './crime-rule-checker.js';
import { CrimeStore } from './crime-store.js';
import {
  factDefaults,
  type AmendCrimeInput,
  type RecordedFacts,
  type RecordCrimeInput,
} from './crime.types.js';

// What saving would do: 'saved' (nothing stops it), 'needs_acknowledgement' (only unacknowledged 'confirm'
// findings stop it), 'refused' (a 'block' finding), 'incomplete' (required facts missing: no rules run).
export type ValidationOutcome = 'would_save' | 'needs_acknowledgement' | 'refused' | 'incomplete';

export interface ValidationView {
  outcome: ValidationOutcome;
  findings: FindingView[];
  missing: string[]; // required facts not given yet (create only)
  currentVersion: number | null; // amendments: the record's version now, so a form can tell it is stale
}

const REQUIRED = [
  'forceId',
  'crimeReference',
  'offenceCode',
  'status',
  'reportedAt',
  'recordedAt',
  'offenceFrom',
  'onlineFlag',
  'victimSex',
] as const;

// Validate without saving (issue 13 §3): the same rules and acknowledgement logic as recording and amending,
// and nothing written but the access-log consultation of a stored record an amendment is checked against.
@Injectable()
export class CrimeValidationService {
  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
    private readonly rules: CrimeRuleChecker,
    private readonly log: AccessLogService,
    private readonly incidents: CrimeIncidents,
  ) {}

  async candidate(ctx: RequestContext, input: Partial<RecordCrimeInput>): Promise<ValidationView> {
    if (input.forceId !== undefined) this.store.assertForce(ctx.actor, input.forceId);
    const missing = REQUIRED.filter((k) => input[k] === undefined);
    if (missing.length > 0)
      return { outcome: 'incomplete', findings: [], missing, currentVersion: null };
    const base = toRuleFacts({ ...factDefaults(), ...input } as Crime);
    // Only a candidate with an incident reference reads anything (the incident's other records).
    const facts = input.incidentReference
      ? await this.db.run(ctx.actor.forces, (em) =>
          this.incidents.facts(em, ctx, base, { incidentReference: input.incidentReference }),
        )
      : base;
    return this.judge(this.rules.explainCrime(facts), input.acknowledge ?? [], null);
  }

  amendment(
    ctx: RequestContext,
    id: string,
    input: Omit<AmendCrimeInput, 'version' | 'reason'>,
  ): Promise<ValidationView> {
    return this.db.run(ctx.actor.forces, async (em) => {
      const before = await this.store.find(em, ctx.actor, id);
      await this.log.record(em, this.store.entry(ctx, 'consultation', before));
      const after: Crime = { ...before, ...(input.changes as Partial<RecordedFacts>) };
      const findings = this.rules.explainCrime(
        await this.incidents.facts(em, ctx, toRuleFacts(after), before),
      );
      return this.judge(
        findings,
        [...before.acknowledgedRules, ...(input.acknowledge ?? [])],
        before.version,
      );
    });
  }

  private judge(
    findings: FindingView[],
    acknowledge: string[],
    currentVersion: number | null,
  ): ValidationView {
    const { blocking, unacknowledged } = partitionFindings(findings, acknowledge);
    const outcome: ValidationOutcome =
      blocking.length > 0
        ? 'refused'
        : unacknowledged.length > 0
          ? 'needs_acknowledgement'
          : 'would_save';
    return { outcome, findings, missing: [], currentVersion };
  }
}
