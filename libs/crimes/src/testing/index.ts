// Test support of the crimes lib (`#libs/crimes/testing`): for int and e2e specs only.
export * from './crime-rows.js';
