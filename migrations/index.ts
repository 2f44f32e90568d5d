import { CreateCatalogueAndCrimes1780000000000 } from './1780000000000-CreateCatalogueAndCrimes.js';
import { CreateUsersAccessLogAndRls1780000001000 } from './1780000001000-CreateUsersAccessLogAndRls.js';
import { CreateReturnsLifecycle1780000002000 } from './1780000002000-CreateReturnsLifecycle.js';
import { CreateAuditing1780000003000 } from './1780000003000-CreateAuditing.js';
import { LockPublishedReturns1780000005000 } from './1780000005000-LockPublishedReturns.js';
import { CreateImports1780000006000 } from './1780000006000-CreateImports.js';
import { SetBasedCrimeReferences1780000007000 } from './1780000007000-SetBasedCrimeReferences.js';
import { TimeOrderedCrimeIds1780000008000 } from './1780000008000-TimeOrderedCrimeIds.js';
import { AccessLogRecordDigest1780000009000 } from './1780000009000-AccessLogRecordDigest.js';
import { HashedReferenceCheck1780000010000 } from './1780000010000-HashedReferenceCheck.js';
import { ImportCollectionsByImportId1780000011000 } from './1780000011000-ImportCollectionsByImportId.js';
import { CrimeChecksFollowRules1780000012200 } from './1780000012200-CrimeChecksFollowRules.js';
import { TransfersToOtherAuthorities1780000012300 } from './1780000012300-TransfersToOtherAuthorities.js';
import { ReturnCodeSets1780000012400 } from './1780000012400-ReturnCodeSets.js';
import { RevisedReturnsAndSupersededPublications1780000012700 } from './1780000012700-RevisedReturnsAndSupersededPublications.js';
import { LoginThrottle1780000018000 } from './1780000018000-LoginThrottle.js';
import { CatchUpEditedMigrations1780000019000 } from './1780000019000-CatchUpEditedMigrations.js';
import { SeparateUserAdministration1780000020000 } from './1780000020000-SeparateUserAdministration.js';
import { LeastPrivilegeAppRole1780000020100 } from './1780000020100-LeastPrivilegeAppRole.js';
import { ReportedIncidentsN1001780000021000 } from './1780000021000-ReportedIncidentsN100.js';
import { CrimeIncidentReference1780000021100 } from './1780000021100-CrimeIncidentReference.js';
import { SealedAccessLogChain1780000022000 } from './1780000022000-SealedAccessLogChain.js';
import { AccessLogSealingUnderRls1780000022100 } from './1780000022100-AccessLogSealingUnderRls.js';
import { MaintainedCrimeFigures1780000026000 } from './1780000026000-MaintainedCrimeFigures.js';
import { NotifyAuthChanges1780000027000 } from './1780000027000-NotifyAuthChanges.js';
import { ImportLoaderRole1780000027200 } from './1780000027200-ImportLoaderRole.js';
import { MonthlyCrimeFigures1780000027300 } from './1780000027300-MonthlyCrimeFigures.js';
import { BackfillMonthlyCrimeFigures1780000027310 } from './1780000027310-BackfillMonthlyCrimeFigures.js';
import { PublicationAccessLogCheckpoint1780000027400 } from './1780000027400-PublicationAccessLogCheckpoint.js';
import { CrimesReadIndexes1780000027500 } from './1780000027500-CrimesReadIndexes.js';
import { CheaperSealGuard1780000027600 } from './1780000027600-CheaperSealGuard.js';
import { CrimeVersionAdvances1780000027700 } from './1780000027700-CrimeVersionAdvances.js';

// Every migration, in order. Listed explicitly (no glob) so ESM builds, jest and the CLI load the same set.
export const ALL_MIGRATIONS = [
  CreateCatalogueAndCrimes1780000000000,
  CreateUsersAccessLogAndRls1780000001000,
  CreateReturnsLifecycle1780000002000,
  CreateAuditing1780000003000,
  LockPublishedReturns1780000005000,
  CreateImports1780000006000,
  SetBasedCrimeReferences1780000007000,
  TimeOrderedCrimeIds1780000008000,
  AccessLogRecordDigest1780000009000,
  HashedReferenceCheck1780000010000,
  ImportCollectionsByImportId1780000011000,
  CrimeChecksFollowRules1780000012200,
  TransfersToOtherAuthorities1780000012300,
  ReturnCodeSets1780000012400,
  RevisedReturnsAndSupersededPublications1780000012700,
  LoginThrottle1780000018000,
  CatchUpEditedMigrations1780000019000,
  SeparateUserAdministration1780000020000,
  LeastPrivilegeAppRole1780000020100,
  ReportedIncidentsN1001780000021000,
  CrimeIncidentReference1780000021100,
  SealedAccessLogChain1780000022000,
  AccessLogSealingUnderRls1780000022100,
  MaintainedCrimeFigures1780000026000,
  NotifyAuthChanges1780000027000,
  ImportLoaderRole1780000027200,
  MonthlyCrimeFigures1780000027300,
  BackfillMonthlyCrimeFigures1780000027310,
  PublicationAccessLogCheckpoint1780000027400,
  CrimesReadIndexes1780000027500,
  CheaperSealGuard1780000027600,
  CrimeVersionAdvances1780000027700,
];
