import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import type { CrimeFacts, IncidentFacts } from '#libs/recording-rules';

// The other live records of the force entered for the same incident, for the Principal Crime Rule
// (CF-PRINCIPAL-001). Read in the caller's transaction; a finding names them, so reading them is logged.
@Injectable()
export class CrimeIncidents {
  constructor(private readonly log: AccessLogService) {}

  async of(
    em: EntityManager,
    ctx: RequestContext,
    record: { forceId: string; incidentReference?: string | null; id?: string | null },
  ): Promise<IncidentFacts | null> {
    const reference = record.incidentReference;
    if (!reference) return null;
    const rows: { id: string; crime_reference: string; offence_code: string }[] = await em.query(
      `SELECT id, crime_reference, offence_code FROM crimes
       WHERE force_id = $1 AND incident_reference = $2 AND status IN ('draft', 'confirmed')
         AND ($3::uuid IS NULL OR id <> $3::uuid)
       ORDER BY crime_reference`,
      [record.forceId, reference, record.id ?? null],
    );
    if (rows.length > 0)
      await this.log.record(em, {
        userId: ctx.actor.userId,
        action: 'consultation',
        forceIds: [record.forceId],
        route: ctx.route,
        purpose: ctx.purpose,
        query: { incidentReference: reference },
        recordIds: rows.map((r) => r.id),
        recordCount: rows.length,
        requestId: ctx.requestId,
      });
    return {
      reference,
      others: rows.map((r) => ({ crimeReference: r.crime_reference, offenceCode: r.offence_code })),
    };
  }

  // The rule facts with the incident attached.
  async facts(
    em: EntityManager,
    ctx: RequestContext,
    facts: CrimeFacts,
    record: { incidentReference?: string | null; id?: string | null },
  ): Promise<CrimeFacts> {
    return { ...facts, incident: await this.of(em, ctx, { forceId: facts.forceId, ...record }) };
  }
}
