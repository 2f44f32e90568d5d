import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { DomainError } from '#libs/persistence';
import { countingRulesEditionFor, RULE_CONTEXT, type RuleContext } from '#libs/recording-rules';
import { computeReturn } from '../compute-return.js';
import { toCsv } from './export/csv.js';
import { exportDocument, exportTables, EXPORT_TABLE_KEYS, type ExportSource } from './export/export-document.js';
import { toXlsx } from './export/xlsx.js';
import { zipFiles } from './export/zip.js';
import { accessEntry, assertForceScope, RETURNS_CLOCK, yearLabel, type Clock } from './return-access.js';
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
    private readonly ds: DataSource,
    private readonly log: AccessLogService,
    private readonly revisions: ReturnRevisionsService,
    @Inject(RULE_CONTEXT) private readonly rules: RuleContext,
    @Inject(RETURNS_CLOCK) private readonly clock: Clock,
  ) {}

  export(ctx: RequestContext, forceId: string, year: number, req: ExportRequest): Promise<ExportFile> {
    assertForceScope(ctx.actor, forceId);
    if (req.table !== undefined && req.format !== 'csv') throw new DomainError('INVALID_INPUT', 'table= applies to format=csv only');
    return inSnapshot(this.ds, ctx.actor.forces, async (em) => {
      let tables;
      let source: ExportSource;
      if (req.revision === undefined) {
        tables = await computeReturn(em, { forceId, year, countingRulesVersion: countingRulesEditionFor(year, this.rules.config), generatedAt: this.clock() });
        source = { kind: 'draft', revision: null };
      } else {
        const snap = await this.revisions.snapshot(em, forceId, year, req.revision);
        tables = snap.tables;
        source = { kind: 'revision', revision: { ...snap.summary, verified: verify({ sha256: snap.summary.sha256, tables }).ok } };
      }
      const doc = exportDocument(tables, source);
      const base = `${forceId}-${yearLabel(year)}-${req.revision === undefined ? 'draft' : `r${req.revision}`}`;
      const file = await this.render(doc, base, req);
      await this.log.record(em, accessEntry(ctx, 'disclosure', forceId, {
        return: forceId, year: yearLabel(year), format: req.format, table: req.table ?? null, revision: req.revision ?? null, file: file.fileName,
        recordsAggregated: tables.metadata.source.recordCount,
      }));
      return file;
    });
  }

  private async render(doc: ReturnType<typeof exportDocument>, base: string, req: ExportRequest): Promise<ExportFile> {
    switch (req.format) {
      case 'json':
        return { fileName: `${base}.json`, contentType: 'application/json; charset=utf-8', body: Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8') };
      case 'xlsx':
        return {
          fileName: `${base}.xlsx`,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          body: await toXlsx(doc, exportTables(doc)),
        };
      case 'csv': {
        const tables = exportTables(doc);
        const one = tables.find((t) => t.key === req.table);
        if (one) return { fileName: `${base}-${one.file}`, contentType: 'text/csv; charset=utf-8', body: Buffer.from(toCsv(one), 'utf8') };
        const files = tables.map((t) => ({ name: t.file, content: toCsv(t) }));
        return { fileName: `${base}-csv.zip`, contentType: 'application/zip', body: await zipFiles(files, new Date(doc.metadata.generatedAt)) };
      }
    }
  }
}
