import { Inject, Injectable } from '@nestjs/common';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
import { countingRulesEditionFor, RULE_CONTEXT, type RuleContext } from '#libs/recording-rules';
import { computeReturn } from '../compute-return.js';
import { CSV_CONTENT_TYPE, toCsv } from '#libs/csv';
import {
  exportDocument,
  exportTables,
  EXPORT_TABLE_KEYS,
  type ExportSource,
  type ReturnExportDocument,
} from './export/export-document.js';
import { toXlsx } from './export/xlsx.js';
import { zipFiles } from './export/zip.js';
import {
  accessEntry,
  assertReturnAccess,
  RETURNS_CLOCK,
  yearLabel,
  type Clock,
} from './return-access.js';
import { ReturnRevisionsService, verify } from './return-revisions.service.js';
import { inSnapshot } from './snapshot-transaction.js';

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportTableKey = (typeof EXPORT_TABLE_KEYS)[number];

export interface ExportRequest {
  format: ExportFormat;
  revision?: number; // a submitted revision; the live draft when absent
  table?: ExportTableKey; // csv only: one table as one CSV file instead of the zip
}

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

// Exports of the return as JSON, CSV (zip, or one table) and XLSX. Each is logged as a
// 'disclosure' in the same transaction that reads the data (DPA 2018 s.62; issue 5 §5).
@Injectable()
export class ReturnExportService {
  constructor(
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
    private readonly revisions: ReturnRevisionsService,
    @Inject(RULE_CONTEXT) private readonly rules: RuleContext,
    @Inject(RETURNS_CLOCK) private readonly clock: Clock,
  ) {}

  export(
    ctx: RequestContext,
    forceId: string,
    year: number,
    req: ExportRequest,
  ): Promise<ExportFile> {
    if (req.table !== undefined && req.format !== 'csv')
      throw new DomainError('INVALID_INPUT', 'table= applies to format=csv only');
    return this.disclose(
      ctx,
      forceId,
      year,
      req.revision,
      { format: req.format, table: req.table ?? null },
      async (doc, base) => {
        const file = await this.render(doc, base, req);
        return { result: file, file: file.fileName };
      },
    );
  }

  // The export document itself, for a caller that shows it (the CLI's table on a terminal): logged as a
  // disclosure like the files, with format 'table' and no file.
  document(
    ctx: RequestContext,
    forceId: string,
    year: number,
    revision?: number,
  ): Promise<ReturnExportDocument> {
    return this.disclose(
      ctx,
      forceId,
      year,
      revision,
      { format: 'table', table: null },
      async (doc) => ({ result: doc, file: null }),
    );
  }

  private disclose<T>(
    ctx: RequestContext,
    forceId: string,
    year: number,
    revision: number | undefined,
    shown: { format: string; table: string | null },
    present: (
      doc: ReturnExportDocument,
      base: string,
    ) => Promise<{ result: T; file: string | null }>,
  ): Promise<T> {
    assertReturnAccess(ctx.actor, forceId, year);
    return inSnapshot(this.db, ctx.actor.forces, async (em) => {
      let tables;
      let source: ExportSource;
      if (revision === undefined) {
        tables = await computeReturn(em, {
          forceId,
          year,
          countingRulesVersion: countingRulesEditionFor(year, this.rules.config),
          generatedAt: this.clock(),
          source: 'figures', // the live draft, as the return page shows it
        });
        source = { kind: 'draft', revision: null };
      } else {
        const snap = await this.revisions.snapshot(em, forceId, year, revision);
        tables = snap.tables;
        source = {
          kind: 'revision',
          revision: {
            ...snap.summary,
            verified: verify({ sha256: snap.summary.sha256, tables }).ok,
          },
        };
      }
      const doc = exportDocument(tables, source);
      const base = `${forceId}-${yearLabel(year)}-${revision === undefined ? 'draft' : `r${revision}`}`;
      const { result, file } = await present(doc, base);
      await this.log.record(
        em,
        accessEntry(ctx, 'disclosure', forceId, {
          return: forceId,
          year: yearLabel(year),
          format: shown.format,
          table: shown.table,
          revision: revision ?? null,
          file,
          recordsAggregated: tables.metadata.source.recordCount,
        }),
      );
      return result;
    });
  }

  private async render(
    doc: ReturnExportDocument,
    base: string,
    req: ExportRequest,
  ): Promise<ExportFile> {
    switch (req.format) {
      case 'json':
        return {
          fileName: `${base}.json`,
          contentType: 'application/json; charset=utf-8',
          body: Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8'),
        };
      case 'xlsx':
        return {
          fileName: `${base}.xlsx`,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          body: await toXlsx(doc, exportTables(doc)),
        };
      case 'csv': {
        const tables = exportTables(doc);
        const one = tables.find((t) => t.key === req.table);
        if (one)
          return {
            fileName: `${base}-${one.file}`,
            contentType: CSV_CONTENT_TYPE,
            body: Buffer.from(toCsv(one.header, one.rows), 'utf8'),
          };
        const files = tables.map((t) => ({ name: t.file, content: toCsv(t.header, t.rows) }));
        return {
          fileName: `${base}-csv.zip`,
          contentType: 'application/zip',
          body: await zipFiles(files, new Date(doc.metadata.generatedAt)),
        };
      }
    }
  }
}
