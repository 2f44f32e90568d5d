// Bulk import, pure half: streaming parse, row validation, rejected-row report, demo data.
// The database half (staging COPY and set-based merge) builds on these.
export * from './import-error.js';
export * from './import-row.js';
export * from './parse-stream.js';
export * from './duplicate-tracker.js';
export * from './validate-batch.js';
export * from './report.js';
export { writeLines } from './csv-format.js';
export {
  generateDemoCrimes,
  demoCsvLines,
  demoNdjsonLines,
  writeDemoCsv,
  type DemoOptions,
} from './demo-generator.js';
export * from './load/index.js';
