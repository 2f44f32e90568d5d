import { Column, Entity, PrimaryColumn } from 'typeorm';

export type HistoryAction =
  'created' | 'amended' | 'reclassified' | 'confirmed' | 'cancelled' | 'transferred';
export type FieldChanges = Record<string, { old: unknown; new: unknown }>;

// Append-only (a trigger refuses UPDATE/DELETE): who, when, why, old -> new.
@Entity('crime_history')
export class CrimeHistory {
  @PrimaryColumn({ type: 'text' }) forceId: string;
  @PrimaryColumn({ type: 'bigint', insert: false }) id: string;
  @Column({ type: 'uuid' }) crimeId: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'text' }) action: HistoryAction;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'jsonb' }) changes: FieldChanges;
  @Column({ type: 'timestamptz', insert: false }) changedAt: Date;
  @Column({ type: 'text' }) changedBy: string;
}
