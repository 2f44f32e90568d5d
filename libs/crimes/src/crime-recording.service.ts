import { Injectable } from '@nestjs/common';
import { QueryFailedError, type EntityManager } from 'typeorm';
import type { RequestContext } from '#libs/auth';
import type { CrimeFacts } from '#libs/recording-rules';
import { DomainError, ScopedDb } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { toRuleFacts, toView } from './crime.mapper.js';
import { CrimeCreateBatcher } from './crime-create-batcher.js';
import { CrimeIncidents } from './crime-incident.js';
import { CrimeRuleChecker } from './crime-rule-checker.js';
import { CrimeStore, diff, type NewRecord } from './crime-store.js';
import type { FieldChanges } from './crime-history.entity.js';
import { CREATED_FIELDS } from './derived-creation.js';
import {
  factDefaults,
  REQUIRED_FACTS,
  type ConfirmCrimeInput,
  type CrimeView,
  type NewCrimeInput,
  type RecordCrimeInput,
} from './crime.types.js';

// Recording a crime and confirming a draft.
@Injectable()
export class CrimeRecordingService {
  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
    private readonly rules: CrimeRuleChecker,
    private readonly incidents: CrimeIncidents,
    private readonly batcher: CrimeCreateBatcher,
  ) {}

  async record(ctx: RequestContext, input: NewCrimeInput): Promise<CrimeView> {
    this.store.assertForce(ctx.actor, input.forceId);
    // No spreads or rests of these objects on this path: V8 keeps an object of 20 or more properties added one by
    // one as a dictionary, and copying one with `...` took about 3 µs each time (bench/README.md, "Seventeenth
    // session"); a loop copies it in under 1.
    const { fields, acknowledge } = withDefaults(input);
    type Values = NewRecord['crime'];
    const record = (values: Values, changes: FieldChanges): NewRecord => ({
      crime: values,
      actor: ctx.actor,
      changes,
      log: { ctx, action: 'collection' },
    });
    const decide = (facts: CrimeFacts) => {
      const outcome = this.rules.checkCrime(facts, acknowledge);
      const values = copyOf(fields) as Values;
      values.forceId = input.forceId;
      values.crimeReference = input.crimeReference;
      values.ruleWarnings = outcome.warnings;
      values.acknowledgedRules = outcome.acknowledged;
      return { values, changes: diff({} as Crime, values, CREATED_FIELDS) };
    };
    const saved = fields.incidentReference
      ? // The rules see the other records of the same incident (CF-PRINCIPAL-001), read in this transaction;
        // the view is built inside it: if it could not be built, nothing is committed (issue #18).
        this.db.run(ctx.actor.forces, async (em) => {
          const facts = await this.incidents.facts(
            em,
            ctx,
            toRuleFacts(fields as unknown as Crime),
            fields,
          );
          const { values, changes } = decide(facts);
          return toView(await this.store.insert(em, record(values, changes)));
        })
      : // Nothing to read first (no incident: the rules' incident is null, as CrimeIncidents.facts gives it): the
        // record, its history row and its access-log entry are one statement in one round trip, written together
        // with other requests' creates and amendments that arrive meanwhile (CrimeWriteBatcher, issue #21). The
        // view is built after the commit; toView only copies fields and its formatter is total (issue #18).
        (async () => {
          const facts: CrimeFacts = toRuleFacts(fields as unknown as Crime); // a fresh object
          facts.incident = null;
          const { values, changes } = decide(facts);
          return toView(await this.batcher.create(ctx.actor.forces, record(values, changes)));
        })();
    return saved.catch((e: unknown) => {
      if (
        e instanceof QueryFailedError &&
        (e.driverError as { constraint?: string }).constraint === 'uq_crimes_reference'
      ) {
        throw new DomainError(
          'DUPLICATE_REFERENCE',
          `crime reference ${input.crimeReference} already exists in ${input.forceId}`,
        );
      }
      throw e;
    });
  }

  async confirm(ctx: RequestContext, id: string, input: ConfirmCrimeInput): Promise<CrimeView> {
    // The view is built inside the transaction: if it could not be built, nothing is committed (issue #18).
    return this.db.run(ctx.actor.forces, async (em) =>
      toView(await this.confirmIn(em, ctx, id, input)),
    );
  }

  // Confirmation inside the caller's transaction (bulk resolution runs many in one).
  async confirmIn(
    em: EntityManager,
    ctx: RequestContext,
    id: string,
    input: ConfirmCrimeInput,
  ): Promise<Crime> {
    const before = await this.store.lockForChange(em, ctx.actor, id, input.version);
    if (before.status !== 'draft') {
      throw new DomainError(
        'INVALID_TRANSITION',
        `only a draft can be confirmed; this record is ${before.status}`,
      );
    }
    const facts = await this.incidents.facts(
      em,
      ctx,
      toRuleFacts({ ...before, status: 'confirmed' }),
      before,
    );
    const outcome = this.rules.checkCrime(facts, [
      ...before.acknowledgedRules,
      ...(input.acknowledge ?? []),
    ]);
    const patch: Partial<Crime> = {
      status: 'confirmed',
      ruleWarnings: outcome.warnings,
      acknowledgedRules: outcome.acknowledged,
    };
    const after = await this.store.update(
      em,
      before,
      patch,
      ctx.actor,
      'confirmed',
      null,
      diff(before, patch, ['status']),
      { ctx, action: 'alteration' },
    );
    return after;
  }
}

// The facts a caller did not state get their defaults; a required fact missing is the caller's error (400).
function withDefaults(input: NewCrimeInput): {
  fields: Omit<RecordCrimeInput, 'acknowledge'>;
  acknowledge: string[];
} {
  const missing = REQUIRED_FACTS.filter((k) => input[k] === undefined || input[k] === null);
  if (missing.length > 0)
    throw new DomainError('INVALID_INPUT', `${missing.join(', ')} must be given`, { missing });
  // Absent keys only: an explicit null (unknown) is kept. Built up from an empty object: adding the input's keys
  // to a copy made by spreading the defaults took 13 µs a call in V8 against about 1 µs this way (2 % of a
  // create's CPU under load; bench/README.md, "Seventeenth session").
  const fields: Record<string, unknown> = {};
  const defaults: Record<string, unknown> = factDefaults();
  for (const k of Object.keys(defaults)) fields[k] = defaults[k];
  for (const k of Object.keys(input)) {
    const v = input[k as keyof NewCrimeInput];
    if (v !== undefined && k !== 'acknowledge') fields[k] = v;
  }
  return {
    fields: fields as unknown as Omit<RecordCrimeInput, 'acknowledge'>,
    acknowledge: input.acknowledge !== undefined ? input.acknowledge : [],
  };
}

// A shallow copy, property by property (see record()).
function copyOf(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = (o as Record<string, unknown>)[k];
  return out;
}
