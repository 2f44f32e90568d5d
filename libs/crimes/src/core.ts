// The crime's field list without the lib's Nest module and entities: what the import's parse worker loads.
export * from './crime-fields.js';
