import { Inject, Injectable } from '@nestjs/common';
import {
  RULE_CONTEXT,
  evaluateCancellation,
  evaluateCrime,
  evaluateReclassification,
  explainFinding,
  partitionFindings,
  type CancellationFacts,
  type CrimeFacts,
  type FindingView,
  type ReclassificationFacts,
  type RuleContext,
  type RuleFinding,
} from '#libs/recording-rules';
import { DomainError } from '#libs/persistence';

export interface RuleOutcome {
  warnings: string[]; // warn-severity codes kept on the record
  acknowledged: string[]; // confirm-severity codes the caller accepted and that still apply
}

// Runs the recording-rules engine and turns refusals into one coded 422 error.
@Injectable()
export class CrimeRuleChecker {
  constructor(@Inject(RULE_CONTEXT) private readonly ctx: RuleContext) {}

  checkCrime(facts: CrimeFacts, acknowledge: string[]): RuleOutcome {
    return this.decide(evaluateCrime(facts, this.ctx), acknowledge);
  }

  // The findings for a candidate record without refusing anything (validate without saving).
  explainCrime(facts: CrimeFacts): FindingView[] {
    return evaluateCrime(facts, this.ctx).map(explainFinding);
  }

  checkCancellation(facts: CancellationFacts): void {
    this.decide(evaluateCancellation(facts, this.ctx), []);
  }

  checkReclassification(facts: ReclassificationFacts): void {
    this.decide(evaluateReclassification(facts, this.ctx), []);
  }

  private decide(findings: RuleFinding[], acknowledge: string[]): RuleOutcome {
    const { blocking, unacknowledged, acknowledged, warnings } = partitionFindings(
      findings,
      acknowledge,
    );
    const refused = [...blocking, ...unacknowledged];
    if (refused.length > 0) {
      const codes = refused.map((f) => f.code);
      throw new DomainError(
        'RULE_VIOLATION',
        `recording rules refused the record: ${codes.join(', ')}`,
        {
          ruleCodes: codes,
          violations: refused.map(explainFinding),
          warnings: warnings.map(explainFinding),
        },
      );
    }
    const codes = (list: RuleFinding[]) => [...new Set(list.map((f) => f.code))];
    return { warnings: codes(warnings), acknowledged: codes(acknowledged) };
  }
}
