export * from './actor.js';
export * from './auth.decorators.js';
export * from './dev-identity.guard.js';
