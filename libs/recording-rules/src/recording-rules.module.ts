import { Module } from '@nestjs/common';
import { Catalogue, CatalogueModule } from '#libs/catalogue';
import { defaultRulesConfig } from './rules-config.js';
import type { RuleContext, RulesConfig } from './rule.js';

export const RULES_CONFIG = Symbol('RULES_CONFIG');
export const RULE_CONTEXT = Symbol('RULE_CONTEXT');

// Thin Nest wrapper: the rules stay pure; this only hands them the catalogue and the config.
@Module({
  imports: [CatalogueModule],
  providers: [
    { provide: RULES_CONFIG, useValue: defaultRulesConfig },
    {
      provide: RULE_CONTEXT,
      inject: [Catalogue, RULES_CONFIG],
      useFactory: (c: Catalogue, config: RulesConfig): RuleContext => ({
        offence: (code) => c.offence(code),
        force: (id) => c.force(id),
        authority: (id) => c.authority(id),
        principalCrime: (code) => c.principalCrime(code),
        config,
      }),
    },
  ],
  exports: [RULES_CONFIG, RULE_CONTEXT],
})
export class RecordingRulesModule {}
