// pg's own conversion of a JavaScript value to a parameter's text (Dates, arrays, objects), as its Query uses it:
// scoped-statement.ts binds the earlier statements of a pipeline itself. @types/pg does not declare the module.
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): unknown };
  export default utils;
}
