// The HiGHS MIP solver (npm `highs`: HiGHS compiled to WebAssembly, no native build), loaded once when the
// library is first imported (top-level await: loading compiles the WebAssembly, ~0.2 s), so that the
// suppression functions stay synchronous. `solve` is synchronous and starts a fresh HiGHS instance per call.
import highsModule from 'highs';

type Loader = typeof import('highs').default;
// The package's types describe its CommonJS build (default export under `.default`); Node's ESM import gets
// the function itself. Accept either.
const m = highsModule as unknown as Loader | { default: Loader };
const load: Loader = typeof m === 'function' ? m : m.default;

export const highs = await load();
export type HighsSolution = ReturnType<typeof highs.solve>;
