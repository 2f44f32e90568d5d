import { ValidationPipe, type ArgumentMetadata, type ValidationPipeOptions } from '@nestjs/common';
import { TransformationType, type TransformFnParams } from 'class-transformer';
import { defaultOptions } from 'class-transformer/cjs/constants/default-options.constant.js';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import {
  getMetadataStorage,
  ValidationTypes,
  type ValidationArguments,
  type ValidationError,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
} from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import { quickerConstraint } from './quick-checks.js';

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
// The same goes for making the instance (class-transformer's plainToInstance, and Nest's walks of the value around
// it: another 6 % of a create's CPU under load). A JSON object of plain values, for a class whose class-transformer
// metadata is only @Transform, is made into the instance here as plainToInstance makes it (`new` the class, then each
// key of the body in its order, through the key's @Transform functions) and checked with the plan; anything else (a
// nested object or array, a class with @Type, @Expose or @Exclude, transform options, a body the plan cannot pass)
// goes through Nest's pipe whole, as before.
//
// Decorators run when their class is defined, at import, before the app serves; a plan is made on a class's first
// validation and kept for the life of the process.
type Check = {
  metadata: ValidationMetadata;
  constraints: { instance: Pick<ValidatorConstraintInterface, 'validate'> }[];
};
type PropertyPlan = {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  checks: Check[]; // IsDefined first, then the rest, as class-validator runs them
};
type TransformFn = (params: TransformFnParams) => unknown;
type Plan = {
  known: Set<string>;
  properties: PropertyPlan[];
  // Each known key's @Transform functions, in class-transformer's order; null: plainToInstance must make the instance.
  transforms: Map<string, TransformFn[]> | null;
};
type Class = abstract new (...args: never[]) => unknown;

const MODELLED = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
]);

export class PlannedValidationPipe extends ValidationPipe {
  private readonly plans = new WeakMap<object, Plan | null>();
  // Whether this pipe's options let it make instances itself: transform on, no expected type, no transform options.
  private readonly makesInstances: boolean;

  constructor(options?: ValidationPipeOptions) {
    super(options);
    this.makesInstances =
      this.isTransformEnabled &&
      !this.expectedType &&
      Object.keys(this.transformOptions ?? {}).length === 0 &&
      plannable(this.validatorOptions);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return this.quickInstance(value, metadata) ?? super.transform(value, metadata);
  }

  // The instance Nest's pipe would pass on, made and found valid without class-transformer or class-validator; or
  // undefined: ask Nest's pipe.
  quickInstance(value: unknown, metadata: ArgumentMetadata): object | undefined {
    const metatype = metadata.metatype;
    if (!this.makesInstances || typeof metatype !== 'function' || !this.toValidate(metadata))
      return undefined;
    // A parsed JSON object: its own prototype is Object's (form bodies, arrays, Buffers and class instances are not).
    if (
      value === null ||
      typeof value !== 'object' ||
      Object.getPrototypeOf(value) !== Object.prototype
    )
      return undefined;
    const plan = this.planOf(metatype);
    if (!plan?.transforms) return undefined;
    const body = value as Record<string, unknown>;
    const keys = Object.keys(body);
    for (const key of keys) {
      if (!plan.known.has(key)) return undefined;
      const v = body[key];
      if (v !== null && (typeof v === 'object' || typeof v === 'function')) return undefined;
    }
    const entity = new (metatype as new () => Record<string, unknown>)();
    if (entity.constructor !== metatype) return undefined;
    const options = { ...defaultOptions }; // plainToInstance's, when the pipe has no transform options
    for (const key of keys) {
      let v = body[key];
      const fns = plan.transforms.get(key);
      if (fns)
        for (const fn of fns)
          v = fn({ value: v, key, obj: body, type: TransformationType.PLAIN_TO_CLASS, options });
      // Nest's pipe looks into objects (binary values), which this path does not model.
      if (v !== null && typeof v === 'object') return undefined;
      entity[key] = v;
    }
    return this.validWithPlan(entity, this.validatorOptions) ? entity : undefined;
  }

  private planOf(target: object): Plan | null {
    let plan = this.plans.get(target);
    if (plan === undefined) this.plans.set(target, (plan = makePlan(target as Class)));
    return plan;
  }

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
    const plan = this.planOf(target);
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
      // The instance is class-validator's singleton for the constraint (its default container), or a quicker
      // way to its yes (quick-checks.ts).
      checks.push({
        metadata: m,
        constraints: constraints.map((c) => ({
          instance: quickerConstraint(c.name, m.constraints, c.instance),
        })),
      });
    }
    properties.push({
      name,
      conditions: ms
        .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((m) => m.constraints[0] as (object: object, value: unknown) => boolean),
      checks,
    });
  }
  const known = new Set(Object.keys(grouped).filter((k) => grouped[k]!.length > 0));
  return { known, properties, transforms: transformPlan(target, known) };
}

// The @Transform functions plainToInstance (no options) applies to each known key, or null when it would do more
// than copy the keys through them: a class-level or property @Expose/@Exclude, a @Type, or a key the class's
// prototype has (a method or accessor, which plainToInstance skips).
function transformPlan(target: Class, known: Set<string>): Map<string, TransformFn[]> | null {
  const storage = defaultMetadataStorage;
  if (storage.getStrategy(target) !== 'none') return null;
  if (storage.getExposedMetadatas(target).length > 0) return null;
  if (storage.getExcludedMetadatas(target).length > 0) return null;
  const transforms = new Map<string, TransformFn[]>();
  for (const key of known) {
    if (key in target.prototype || storage.findTypeMetadata(target, key)) return null;
    // As plainToInstance filters them with no groups asked for.
    const fns = storage
      .findTransformMetadatas(target, key, TransformationType.PLAIN_TO_CLASS)
      .filter((m) => !m.options?.groups?.length)
      .map((m) => m.transformFn);
    if (fns.length > 0) transforms.set(key, fns);
  }
  return transforms;
}
