// Test support (`#libs/recording-rules/testing`): a valid baseline record and a fixture catalogue, for specs in
// this and other libs. Never imported by production code, and left out of the production build.
export * from './baseline.js';
