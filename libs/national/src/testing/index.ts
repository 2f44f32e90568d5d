// Test and bench support (`#libs/national/testing`): synthetic counts, a realistic national year, the reader
// of published linked tables and database seeders. Never imported by production code, and left out of the
// production build (the benches build it).
export * from './fake-counts.js';
export * from './linked-reader.js';
export * from './national-year.js';
export * from './seed.js';
