/**
 * Import boundaries of sellerops (`npm run lint:deps`). The layers, innermost first:
 *
 *   shared/kernel/                 errors, clock, ids, money, marketplaces: imports nothing of ours
 *   shared/contracts/              versioned event schemas: kernel only
 *   shared/<domain>/               pure domain (repricer, lost-and-found, csm, customers, onboarding, service,
 *                                  marketplace-sim): kernel, contracts, its own files and other domains' ports
 *                                  and use-case modules; never an edge, never AWS
 *   shared/api/                    the HTTP contract: an edge over the domain
 *   shared/web/                    the web app's build and security policy (used by local/, infra/, cli/ at build time)
 *   web/src/                       the web app (browser code): its own files, shared/kernel and browser libraries
 *   shared/adapters/               one adapter per port (AWS, SP-API, simulated) and the composition helpers
 *   functions/                     Lambda handlers: domain + adapters + edges, never infra
 *   infra/                         CDK and the wiring definition
 *   local/, cli/, bench/, test/    know everything (local is the only runtime place that knows functions and
 *                                  infra together)
 *
 * Each rule's name says which boundary broke; `err-long` prints it with the offending import.
 */
const DOMAINS = '(repricer|lost-and-found|csm|customers|onboarding|service|marketplace-sim|amazon-access|operations)';
const DOMAIN_CODE = `^shared/(kernel|contracts|${DOMAINS.slice(1, -1)})/`;
const AWS_RUNTIME_PACKAGES = '^node_modules/(@aws-sdk|@aws-lambda-powertools|@middy|@types/aws-lambda|aws-cdk-lib|constructs|aws-jwt-verify|aws-sdk-client-mock)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Folders depend on each other in one direction only: an import that closes a loop between two folders breaks the layering.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(shared|functions|infra|local|cli|bench)/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment:
        'No runtime import cycle between modules (evaluation order would decide what is undefined). A type-only loop inside a folder, such as ports.ts naming the model that names its port, is harmless and allowed.',
      severity: 'error',
      from: { path: '^(shared|functions|infra|local|cli|bench)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'kernel-imports-nothing-of-ours',
      comment: 'shared/kernel is the innermost layer: it imports only its own files.',
      severity: 'error',
      from: { path: '^shared/kernel/' },
      to: { path: '^(shared|functions|infra|local|cli|bench|test)/', pathNot: '^shared/kernel/' },
    },
    {
      name: 'contracts-import-only-kernel',
      comment: 'Event schemas (shared/contracts) are shared by producers and consumers of every domain: kernel only.',
      severity: 'error',
      from: { path: '^shared/contracts/' },
      to: { path: '^(shared|functions|infra|local|cli|bench|test)/', pathNot: '^shared/(kernel|contracts)/' },
    },
    {
      name: 'domain-not-importing-edges',
      comment:
        'Domain code is pure: it never imports adapters, the HTTP contract (shared/api), the dashboard page (shared/web), handlers, infra, the local stack, the CLI, benchmarks or tests. The edge maps to the domain, not the other way round.',
      severity: 'error',
      from: { path: DOMAIN_CODE },
      to: { path: '^(shared/(adapters|api|web)|functions|infra|local|cli|bench|test)/' },
    },
    {
      name: 'domain-not-importing-aws',
      comment: 'Domain code is pure TypeScript: AWS SDK, Powertools, middy and CDK live behind ports, in shared/adapters.',
      severity: 'error',
      from: { path: DOMAIN_CODE },
      to: { path: AWS_RUNTIME_PACKAGES },
    },
    {
      name: 'domain-imports-other-domains-through-index',
      comment:
        "A domain uses another domain only through that domain's public entry point, shared/<domain>/index.ts: what it exports is the other domain's contract, the rest may change freely.",
      severity: 'error',
      from: { path: `^shared/${DOMAINS}/` },
      to: { path: `^shared/${DOMAINS}/`, pathNot: ['^shared/$1/', `^shared/${DOMAINS}/index\\.ts$`] },
    },
    {
      name: 'edges-not-importing-runtime',
      comment: 'The HTTP contract and the dashboard page are pure edges: no adapters, handlers, infra or local stack.',
      severity: 'error',
      from: { path: '^shared/(api|web)/' },
      to: { path: '^(shared/adapters|functions|infra|local|cli|bench|test)/' },
    },
    {
      name: 'web-app-is-browser-code',
      comment:
        'The web app (web/src) runs in the browser and talks to the system only over the HTTP API: it may import its own files, shared/kernel (plain data such as the marketplaces) and browser libraries, never a domain, an adapter, a handler, infra, the local stack or Node.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^(shared/(?!kernel/)|functions|infra|local|cli|bench|test)/|^node:|^(fs|path|crypto|http|https|os|child_process|zlib|stream)$', pathNot: '^shared/kernel/' },
    },
    {
      name: 'web-app-build-runs-at-build-time',
      comment: 'shared/web builds and hosts the web app (esbuild): only the local stack, the CDK app, the CLI and tests use it, never a handler or the domain.',
      severity: 'error',
      from: { path: '^(functions|shared/(?!web/))' },
      to: { path: '^shared/web/' },
    },
    {
      name: 'functions-not-importing-infra',
      comment: 'Handlers get their configuration from the environment the wiring sets, never by importing infra/ (CDK code in a Lambda bundle).',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^infra/' },
    },
    {
      name: 'functions-not-importing-local-or-tests',
      comment: 'Handlers are production code: the local stack, CLI, benchmarks and tests wrap them, never the other way round.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(local|cli|bench|test)/' },
    },
    {
      name: 'adapters-not-importing-handlers',
      comment: 'Adapters implement ports; they never import a handler, infra, the local stack, the CLI or tests.',
      severity: 'error',
      from: { path: '^shared/adapters/' },
      to: { path: '^(functions|infra|local|cli|bench|test)/' },
    },
    {
      name: 'infra-not-importing-runtime',
      comment: 'infra/ describes resources; it may read handler entry paths but never imports the local stack, CLI or tests.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(local|cli|bench|test)/' },
    },
    {
      name: 'production-not-importing-tests',
      comment: 'Nothing that ships or runs the local stack imports test code (fakes live in test/support).',
      severity: 'error',
      from: { path: '^(shared|functions|infra|local|cli|bench|web)/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdk\\.out|\\.cache)/' },
    // Type-only imports are dependencies too: a domain importing an HTTP schema type is still coupled to it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
