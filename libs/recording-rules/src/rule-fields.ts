import type { CrimeFacts, RuleFinding } from './rule.js';

// The record fields each crime rule looks at: a form highlights them next to a finding, and an API caller knows
// which fields to change. Kept beside the registry (not on each rule) so the import's hot path is untouched;
// rule-fields.spec.ts fails when a crime rule has no entry.
export const CRIME_RULE_FIELDS: Readonly<Record<string, readonly (keyof CrimeFacts)[]>> = {
  'CF-CODE-001': ['offenceCode'],
  'CF-CODE-002': ['offenceCode', 'offenceFrom', 'offenceTo', 'recordedAt'],
  'CF-CODE-003': ['offenceCode'],
  'CF-FORCE-001': ['forceId', 'recordedAt'],
  'CF-DATE-001': ['reportedAt', 'recordedAt', 'offenceFrom', 'offenceTo'],
  'CF-DATE-002': ['reportedAt', 'recordedAt', 'offenceFrom', 'offenceTo'],
  'CF-DATE-009': ['offenceTo', 'reportedAt'],
  'CF-TIME-001': ['reportedAt', 'recordedAt'],
  'CF-AGE-001': ['offenceCode', 'victimAge'],
  'CF-AGE-002': ['offenceCode', 'victimAge'],
  'CF-AGE-003': ['offenceCode', 'victimAge'],
  'CF-AGE-004': ['offenceCode', 'victimAge'],
  'CF-AGE-005': ['offenceCode', 'victimAge'],
  'CF-AGE-006': ['victimAge', 'suspectAge'],
  'CF-AGE-007': ['offenceCode', 'victimAge'],
  'CF-AGE-008': ['offenceCode', 'victimAge'],
  'CF-SEX-001': ['offenceCode', 'victimSex'],
  'CF-SEX-002': ['offenceCode', 'victimSex'],
  'CF-OFFENDER-001': ['offenceCode', 'suspectAge'],
  'CF-FLAG-001': ['onlineFlag', 'status'],
  'CF-FLAG-002': ['onlineFlag', 'onlineMethod'],
  'CF-FLAG-003': ['offenceCode', 'onlineFlag'],
  'CF-DA-001': ['domesticAbuse', 'victimAge', 'suspectAge'],
  'CF-CSE-001': ['childSexualExploitation', 'childSexualAbuse', 'victimAge'],
  'CF-HATE-001': ['hateStrands'],
  'CF-HATE-002': ['offenceCode', 'hateStrands'],
  'CF-PRINCIPAL-001': ['offenceCode', 'incident'],
};

// A finding as callers see it (validate-without-saving, and the details of a 422): which fields are involved,
// and what the caller can do about it where there is something to do.
export interface FindingView extends RuleFinding {
  fields: string[];
  hint?: string;
}

export function explainFinding(f: RuleFinding): FindingView {
  const view: FindingView = { ...f, fields: [...(CRIME_RULE_FIELDS[f.code] ?? [])] };
  if (f.severity === 'confirm') view.hint = `to save anyway, send "${f.code}" in acknowledge`;
  return view;
}
