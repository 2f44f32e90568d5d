// Settings of national publications (deployment data, not code: PUBLICATION_MIN_COVERAGE).
export interface PublicationConfig {
  // The share of the year's expected forces whose returns must be accepted (or locked) for a publication to
  // go out without more ado. Below it, the request must acknowledge each missing force by id
  // (acknowledgeMissingForces), so national figures never leave out forces silently. 1 = every expected
  // force: a statistician who publishes without one force says so; 0 = never asked.
  minCoverage: number;
}

export const defaultPublicationConfig: PublicationConfig = { minCoverage: 1 };

export const PUBLICATION_CONFIG = Symbol('PUBLICATION_CONFIG');
