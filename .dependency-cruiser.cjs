// The layers of shared/DESIGN.md ("Layers (what may import what)"), checked in `npm test`
// (npm run lint:deps), so that an arrow the wrong way fails the build instead of a review.
// test/ is the folder for test-only support code.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Modules that import each other cannot be read, tested or loaded on their own.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "components-not-to-app",
      comment: "components/ is UI: it gets data and server actions from app/ as props, never imports app/.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "components-no-db",
      comment: "components/ gets its data via props: no lib/db, no Prisma at run time (a row's type is fine).",
      severity: "error",
      from: { path: "^components/" },
      to: { path: ["^lib/db/", "^node_modules/(@prisma/|prisma/)"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "lib-not-to-outer-layers",
      comment: "lib/ is imported by app/, scripts/ and tests, never the other way round.",
      severity: "error",
      from: { path: "^lib/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^(app|components|scripts|e2e|test|bench|examples)/" },
    },
    {
      name: "lib-tests-not-to-outer-layers",
      comment: "A test beside lib/ code may use the test support in test/, and nothing else outside lib/.",
      severity: "error",
      from: { path: "^lib/.*\\.test\\.tsx?$" },
      to: { path: "^(app|components|scripts|e2e|bench|examples)/" },
    },
    {
      name: "test-support-not-in-production",
      comment: "Nothing that ships imports test support: test/ is for tests (and e2e/, bench/ harnesses) only.",
      severity: "error",
      from: { path: "^(app|components|scripts)/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^test/" },
    },
    {
      name: "nothing-ships-examples",
      comment: "examples/ are programs of their own that use Latchkey over HTTP: what ships never imports them.",
      severity: "error",
      from: { path: "^(app|components|scripts)/" },
      to: { path: "^examples/" },
    },
    {
      name: "examples-stand-alone",
      comment:
        "examples/ show how an API protects itself with Latchkey over HTTP (jose, the MCP SDK), so they can be copied out " +
        "of the repository: no Latchkey code. Their tests may use the test support in test/.",
      severity: "error",
      from: { path: "^examples/" },
      to: { path: "^(lib|app|components|scripts|e2e|bench)/" },
    },
    {
      name: "examples-only-tests-use-test-support",
      comment: "Only the examples' tests use test/; the examples themselves do not.",
      severity: "error",
      from: { path: "^examples/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^test/" },
    },
    {
      name: "oauth-core-is-pure",
      comment: "lib/oauth is the protocol core: zod, jose and its own types; its collaborators come in as arguments.",
      severity: "error",
      from: { path: "^lib/oauth/" },
      to: {
        path: [
          "^node_modules/(next|next-auth|react|react-dom|@prisma/[^/]+|prisma|better-sqlite3|pg|pino|prom-client)/",
          "^lib/(db|http|auth|ops|log)/",
        ],
      },
    },
    {
      name: "ops-is-a-leaf",
      comment:
        "lib/ops (the metrics registry) is counted into from everywhere (the request listener, the stores, the purge), so it " +
        "imports nothing of Latchkey but the process-wide slot: the pool and queue it reports come in through a callback.",
      severity: "error",
      from: { path: "^lib/ops/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^lib/", pathNot: ["^lib/ops/", "^lib/process-wide\\.ts$"] },
    },
    {
      name: "log-is-a-leaf",
      comment: "lib/log (the logger) is used from every layer: it imports only its own settings and the process-wide slot.",
      severity: "error",
      from: { path: "^lib/log/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^lib/", pathNot: ["^lib/log/", "^lib/process-wide\\.ts$", "^lib/config/log-settings\\.ts$"] },
    },
    {
      name: "prisma-only-in-lib-db",
      comment:
        "lib/db is the only place that imports Prisma or the generated clients. Exceptions: prisma.config.ts (the CLI's " +
        "own config) and bench/admin-lists.ts (builds its own client with query events, to count the statements).",
      severity: "error",
      from: { pathNot: ["^lib/db/", "^prisma\\.config\\.ts$", "^bench/admin-lists\\.ts$"] },
      to: { path: ["^node_modules/(@prisma/[^/]+|prisma)/", "^lib/db/generated/"] },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to nothing: a typo, or a package missing from package.json.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "^lib/db/generated/"] },
    // Everything in the repository but build output and data; the folders are found, not listed.
    exclude: { path: ["^\\.next/", "^\\.git/", "^data/", "^test-results/", "^playwright-report/", "^e2e/\\.data/", "^bench/results/", "^dist/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
    cache: false,
  },
};
