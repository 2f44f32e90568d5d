import { parseArgs } from 'node:util';
import { pgQueryable, ScopedDb, type Queryable } from '#libs/persistence';
import { parseFinancialYear } from '#libs/recording-rules';
import {
  figuresDifferences,
  figuresForceYears,
  rebuildFigures,
  type FiguresScope,
} from '#libs/returns';
import { withDatabase, type Out } from './cli-support.js';

const USAGE = `usage: cyberflag figures verify|rebuild [--force F]... [--year YYYY-YY]...`;

// `cyberflag figures verify`: recompute the maintained aggregates (crime_figures, crime_figures_monthly) from the
// records and report every force-year that differs (exit 1 if any). `figures rebuild`: recompute those
// force-years' figures from their records (each in its own transaction; writers of crimes wait meanwhile), then
// verify again.
export async function figuresCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      force: { type: 'string', multiple: true },
      year: { type: 'string', multiple: true },
    },
  });
  const [sub] = positionals;
  if ((sub !== 'verify' && sub !== 'rebuild') || positionals.length > 1) throw new Error(USAGE);
  const scope: FiguresScope = {
    forceIds: values.force,
    years: values.year?.map((y) => parseFinancialYear(y)),
  };
  const label = (y: number) => `${y}-${String((y + 1) % 100).padStart(2, '0')}`;
  return withDatabase(async (ds) => {
    const scoped = new ScopedDb(ds);
    const inScope = <T>(work: (db: Queryable) => Promise<T>) =>
      scoped.run('all', (em) =>
        work(
          pgQueryable({ query: async (sql, params) => ({ rows: await em.query(sql, params) }) }),
        ),
      );
    if (sub === 'rebuild') {
      const targets = await inScope((db) => figuresForceYears(db, scope));
      for (const t of targets) {
        const groups = await inScope((db) => rebuildFigures(db, t.forceId, t.year));
        out(`rebuilt ${t.forceId} ${label(t.year)}: ${groups} groups`);
      }
    }
    const diffs = await inScope((db) => figuresDifferences(db, scope));
    for (const d of diffs)
      out(`DIFFERS ${d.forceId} ${label(d.year)}: ${d.groups} groups differ from the records`);
    out(
      diffs.length === 0
        ? 'figures verified: the maintained aggregate equals the records'
        : `figures verification FAILED for ${diffs.length} force-years (cyberflag figures rebuild repairs them)`,
    );
    return diffs.length === 0 ? 0 : 1;
  });
}
