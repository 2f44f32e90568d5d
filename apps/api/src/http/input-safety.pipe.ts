import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { DomainError } from '#libs/persistence';

// Deepest nesting a request body, query or parameter may have. The deepest DTO is 3 levels (an amendment's
// `changes` holding a list); class-transformer recurses per level, and 10,000 levels overflowed its stack.
export const MAX_INPUT_DEPTH = 32;

// Runs before the ValidationPipe on every body, query and route parameter (issue #18 findings 2 and 3):
// - nesting deeper than MAX_INPUT_DEPTH is refused before anything recurses over it;
// - a NUL character (U+0000), in a value or a key, is refused: PostgreSQL cannot store it in text or jsonb
//   (error 22021), and no field of this API has a use for it.
// Both are 400 INVALID_INPUT naming where, never echoing the value. Iterative, so it cannot overflow itself.
@Injectable()
export class InputSafetyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value; // the app's own values (the request context), not input
    checkInput(value, metadata.type === 'body' ? 'body' : (metadata.data ?? metadata.type));
    return value;
  }
}

export function checkInput(value: unknown, root: string): void {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value, path: root, depth: 0 },
  ];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\0')) throw nul(path);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw new DomainError(
        'INVALID_INPUT',
        `${root} is nested more than ${MAX_INPUT_DEPTH} levels deep`,
        { maxDepth: MAX_INPUT_DEPTH },
      );
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++)
        stack.push({ value: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(v)) {
      if (key.includes('\0')) throw nul(`a field name in ${path}`);
      stack.push({
        value: (v as Record<string, unknown>)[key],
        path: `${path}.${key}`,
        depth: depth + 1,
      });
    }
  }
}

function nul(where: string): DomainError {
  return new DomainError(
    'INVALID_INPUT',
    `${where} contains a NUL character (U+0000), which is not allowed`,
    { field: where },
  );
}
