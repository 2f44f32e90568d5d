// Crimes rows written straight into the database: the one factory lives in the crimes lib (libs may not import
// from test/), re-exported here for the e2e specs.
export * from '#libs/crimes/testing';
