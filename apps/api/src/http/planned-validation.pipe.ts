import { ValidationPipe } from '@nestjs/common';
import {
  getMetadataStorage,
  ValidationTypes,
  type ValidationArguments,
  type ValidationError,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
} from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';

// The app's ValidationPipe, with a quicker way to say yes (issue #21). class-validator works out, on every call,
// which of its decorators apply to the class (it walks every validated class of the app for inherited ones),
// groups them by property and builds an error object for every property, valid or not: in a profile of creates
// under load that was most of the 14 % of the workers' time the pipe took, more than the checks themselves.
//
// Here that work is done once per class (a plan: the same metadata, found by class-validator's own lookup with the
// same options), and a value is run through the same constraint instances, with the same arguments and the same
// conditions (ValidateIf, IsOptional, a constraint's validateIf, `each` over arrays). The plan only ever says
// "valid": anything else (a failing check, an unknown property, a Promise, a Set or Map under `each`, a class
// with nested, promise or other kinds of validation, options it does not model) goes to class-validator as
// before, which then finds and words the errors. So a body is refused exactly when it was before, with the same
// errors; planned-validation.pipe.spec.ts compares the two on generated bodies.
//
// Decorators run when their class is defined, at import, before the app serves; a plan is made on a class's first
// validation and kept for the life of the process.
type Check = {
  metadata: ValidationMetadata;
  constraints: { instance: ValidatorConstraintInterface }[];
};
type PropertyPlan = {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  checks: Check[]; // IsDefined first, then the rest, as class-validator runs them
};
type Plan = { known: Set<string>; properties: PropertyPlan[] };
type Class = abstract new (...args: never[]) => unknown;

const MODELLED = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
]);

export class PlannedValidationPipe extends ValidationPipe {
  private readonly plans = new WeakMap<object, Plan | null>();

  protected override validate(
    object: object,
    options?: ValidatorOptions,
  ): Promise<ValidationError[]> | ValidationError[] {
    if (this.validWithPlan(object, options)) return [];
    return super.validate(object, options);
  }

  // True only when every check passed; false means "ask class-validator".
  validWithPlan(object: object, options: ValidatorOptions = {}): boolean {
    if (!plannable(options)) return false;
    const target = (object as { constructor?: unknown }).constructor;
    if (typeof target !== 'function') return false;
    let plan = this.plans.get(target);
    if (plan === undefined) this.plans.set(target, (plan = makePlan(target as Class)));
    if (plan === null) return false;
    for (const key of Object.keys(object)) if (!plan.known.has(key)) return false;
    const targetName = target.name;
    for (const p of plan.properties) {
      const value = (object as Record<string, unknown>)[p.name];
      let applies = true;
      for (const condition of p.conditions) if (!condition(object, value)) applies = false;
      if (!applies) continue;
      for (const { metadata, constraints } of p.checks) {
        if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
        const args: ValidationArguments = {
          targetName,
          property: metadata.propertyName,
          object,
          value,
          constraints: metadata.constraints,
        };
        // `each` checks an array's items (a Set or Map is left to class-validator); otherwise the value itself.
        const each = metadata.each === true;
        if (each && (value instanceof Set || value instanceof Map)) return false;
        const items = each && Array.isArray(value) ? (value as unknown[]) : null;
        for (const { instance } of constraints) {
          // Anything but true (false, or a Promise) is class-validator's to decide.
          if (items === null) {
            if (instance.validate(value, args) !== true) return false;
          } else {
            for (const item of items) if (instance.validate(item, args) !== true) return false;
          }
        }
      }
    }
    return true;
  }
}

// Options that change which metadata applies or which properties are skipped are left to class-validator.
function plannable(o: ValidatorOptions): boolean {
  return (
    o.groups === undefined &&
    !o.always &&
    !o.strictGroups &&
    !o.skipMissingProperties &&
    !o.skipNullProperties &&
    !o.skipUndefinedProperties
  );
}

function makePlan(target: Class): Plan | null {
  const storage = getMetadataStorage();
  // No schema name, as validate(object) passes none.
  const metadatas = storage.getTargetValidationMetadatas(
    target,
    undefined as unknown as string,
    false,
    false,
    undefined,
  );
  if (metadatas.length === 0) return null; // forbidUnknownValues: class-validator's error
  if (metadatas.some((m) => !MODELLED.has(m.type))) return null;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: PropertyPlan[] = [];
  for (const [name, ms] of Object.entries(grouped)) {
    const checks: Check[] = [];
    for (const m of [
      ...ms.filter((m) => m.type === ValidationTypes.IS_DEFINED),
      ...ms.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION),
    ]) {
      const constraints = storage.getTargetValidatorConstraints(m.constraintCls);
      if (constraints.some((c) => c.async)) return null;
      // The instance is class-validator's singleton for the constraint (its default container).
      checks.push({ metadata: m, constraints: constraints.map((c) => ({ instance: c.instance })) });
    }
    properties.push({
      name,
      conditions: ms
        .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((m) => m.constraints[0] as (object: object, value: unknown) => boolean),
      checks,
    });
  }
  return { known: new Set(Object.keys(grouped).filter((k) => grouped[k]!.length > 0)), properties };
}
