import type pg from 'pg';
export function templateDatabaseName(): string;
export function copyName(template: string, kind: 'f' | 's' | 'b'): string;
export function copyPattern(template: string, kinds: string): string;
export function adminUrlOf(databaseUrl: string): string;
export function createCopy(c: pg.Client, template: string, name: string): Promise<void>;
export function startSpareMaker(templateUrl: string, keep?: number): { stop(): Promise<void> };
export function claimDatabase(templateUrl: string): Promise<string>;
export function dropCopies(adminUrl: string): Promise<void>;
