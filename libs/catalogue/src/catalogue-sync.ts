import type { EntityManager } from 'typeorm';
import type { Catalogue } from './catalogue.js';

// Copies the shipped catalogue into the reference tables (for foreign keys and SQL joins in returns).
// Idempotent upsert; codes are never deleted because records may refer to them.
export async function syncCatalogue(em: EntityManager, c: Catalogue): Promise<void> {
  for (const r of c.regions()) {
    await em.query(
      `INSERT INTO regions (id, name, source) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, source = EXCLUDED.source`,
      [r.id, r.name, r.source],
    );
  }
  for (const f of c.forces()) {
    await em.query(
      `INSERT INTO forces (id, name, region_id, territorial, valid_from, valid_to, source) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, region_id = EXCLUDED.region_id, territorial = EXCLUDED.territorial,
         valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, source = EXCLUDED.source`,
      [f.id, f.name, f.regionId, f.territorial, f.validFrom, f.validTo, f.source],
    );
  }
  for (const a of c.authorities()) {
    await em.query(
      `INSERT INTO investigating_authorities (id, name, jurisdiction, source) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, jurisdiction = EXCLUDED.jurisdiction, source = EXCLUDED.source`,
      [a.id, a.name, a.jurisdiction, a.source],
    );
  }
  for (const o of c.offences()) {
    await em.query(
      `INSERT INTO offences (code, name, group_name, subgroup, sexual_offence, rape, victim_age_min, victim_age_max, victim_sex,
         offender_age_min, offender_age_max, under13_alternative, usually_online, recorded_by, valid_from, valid_to, status, source, commenced_on,
         table_b, personal_victim)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, group_name = EXCLUDED.group_name, subgroup = EXCLUDED.subgroup,
         sexual_offence = EXCLUDED.sexual_offence, rape = EXCLUDED.rape, victim_age_min = EXCLUDED.victim_age_min,
         victim_age_max = EXCLUDED.victim_age_max, victim_sex = EXCLUDED.victim_sex, offender_age_min = EXCLUDED.offender_age_min,
         offender_age_max = EXCLUDED.offender_age_max, under13_alternative = EXCLUDED.under13_alternative,
         usually_online = EXCLUDED.usually_online, recorded_by = EXCLUDED.recorded_by, valid_from = EXCLUDED.valid_from,
         valid_to = EXCLUDED.valid_to, status = EXCLUDED.status, source = EXCLUDED.source, commenced_on = EXCLUDED.commenced_on,
         table_b = EXCLUDED.table_b, personal_victim = EXCLUDED.personal_victim`,
      [
        o.code,
        o.name,
        o.group,
        o.subgroup,
        o.sexualOffence,
        o.rape,
        o.victimAgeMin,
        o.victimAgeMax,
        o.victimSex,
        o.offenderAgeMin,
        o.offenderAgeMax,
        o.under13Alternative,
        o.usuallyOnline,
        o.recordedBy,
        o.validFrom,
        o.validTo,
        o.status,
        o.source,
        o.commencedOn,
        o.tableB,
        o.personalVictim,
      ],
    );
  }
}
