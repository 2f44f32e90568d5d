// jest's runtime cannot require() an ES module (Node 20.19+ can, so the app is unaffected). Two CommonJS packages
// of the Fastify platform require ESM-only versions of their dependencies; under jest only, and only for those
// packages, the same dependency's last CommonJS version is used instead (the same functions, which each uses):
// - @fastify/middie (loaded by @nestjs/platform-fastify; the app registers no middleware) requires path-to-regexp 9:
//   it gets 8 (parse, pathToRegexp), which NestJS itself uses;
// - @fastify/static requires content-disposition 3: it gets 2 (create, parse).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads a resolver as CommonJS
const { join } = require('node:path');

const ROOT = join(__dirname, '../..');
const SWAPS = [
  {
    importer: /\/@fastify\/middie(\/|$)/,
    request: 'path-to-regexp',
    to: 'node_modules/path-to-regexp',
  },
  {
    importer: /\/@fastify\/static(\/|$)/,
    request: 'content-disposition',
    to: 'node_modules/content-disposition',
  },
];

module.exports = (request, options) => {
  for (const s of SWAPS)
    if (request === s.request && s.importer.test(options.basedir))
      return options.defaultResolver(join(ROOT, s.to), options);
  return options.defaultResolver(request, options);
};
