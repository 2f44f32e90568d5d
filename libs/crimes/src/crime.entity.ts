import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CrimeStatus, HateStrand, OnlineFlag, VictimSex } from '#libs/recording-rules';

// One crime per victim (HOCR Section D). No victim names and no dates of birth, by design.
@Entity('crimes')
export class Crime {
  @PrimaryColumn({ type: 'text' }) forceId: string;
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) crimeReference: string;
  @Column({ type: 'text' }) offenceCode: string;
  // The force's incident (log) reference, shared by the records of one incident (Principal Crime Rule).
  @Column({ type: 'text', nullable: true }) incidentReference: string | null;
  @Column({ type: 'timestamptz' }) reportedAt: Date;
  @Column({ type: 'timestamptz' }) recordedAt: Date;
  @Column({ type: 'smallint', insert: false, update: false }) financialYear: number;
  @Column({ type: 'timestamptz' }) offenceFrom: Date;
  @Column({ type: 'timestamptz', nullable: true }) offenceTo: Date | null;
  @Column({ type: 'text' }) onlineFlag: OnlineFlag;
  @Column({ type: 'text', nullable: true }) onlineMethod: string | null;
  @Column({ type: 'text', nullable: true }) onlinePlatform: string | null;
  @Column({ type: 'smallint', nullable: true }) victimAge: number | null;
  @Column({ type: 'text' }) victimSex: VictimSex;
  @Column({ type: 'smallint', nullable: true }) suspectAge: number | null;
  @Column({ type: 'boolean' }) domesticAbuse: boolean;
  @Column({ type: 'text', array: true }) hateStrands: HateStrand[];
  @Column({ type: 'boolean' }) childSexualExploitation: boolean;
  @Column({ type: 'boolean' }) childSexualAbuse: boolean;
  @Column({ type: 'text' }) status: CrimeStatus;
  @Column({ type: 'text', array: true }) ruleWarnings: string[];
  @Column({ type: 'text', array: true }) acknowledgedRules: string[];
  @Column({ type: 'text', nullable: true }) cancellationCategory: string | null;
  @Column({ type: 'text', nullable: true }) cancellationJustification: string | null;
  @Column({ type: 'timestamptz', nullable: true }) cancelledAt: Date | null;
  @Column({ type: 'text', nullable: true }) cancelledBy: string | null;
  @Column({ type: 'text', nullable: true }) transferredToForceId: string | null;
  @Column({ type: 'text', nullable: true }) transferredToAuthorityId: string | null; // Police Scotland, PSNI, …
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'text' }) createdBy: string;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
  @Column({ type: 'text' }) updatedBy: string;
  // The bulk import that created the record (null when recorded through the API); written only by the import.
  @Column({ type: 'uuid', nullable: true, insert: false, update: false }) importId: string | null;
}
