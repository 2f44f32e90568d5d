export * from './table.js';
export * from './config.js';
export {
  attackPublishedTable,
  attackerViewOf,
  entryAt,
  entryIndex,
  InconsistentTableError,
  intervalOfPublished,
  NOT_AVAILABLE,
  STRUCTURAL_ZERO,
  SUPPRESSED,
  TableAttacker,
  type AttackedEntry,
  type AttackerView,
  type FeasibleRange,
  type Interval,
  type PublishedTable,
} from './attacker.js';
export * from './suppression.js';
export * from './extremes.js';
export { FlowNetwork, UNBOUNDED } from './max-flow.js';
export { NetworkAttacker, type NetworkArc } from './network-attacker.js';
export {
  attributeSecondaries,
  optimalSuppression,
  readerInterval,
  suppressionCost,
  type ArcRole,
  type OptimalSuppression,
  type ProtectionArc,
} from './optimal.js';
