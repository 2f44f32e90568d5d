export * from './crime.entity.js';
export * from './crime-history.entity.js';
export * from './crime.types.js';
export * from './crime-query.service.js';
export * from './crime-recording.service.js';
export * from './crime-amendment.service.js';
export * from './crime-removal.service.js';
export * from './crimes.module.js';
