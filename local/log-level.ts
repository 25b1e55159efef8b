/**
 * The local stack's log level, fixed before anything builds the Powertools Logger: the Logger reads
 * POWERTOOLS_LOG_LEVEL once, when built, and goes back to that level at every invocation. `npm start` logs warnings and
 * errors (`--verbose`: INFO); a POWERTOOLS_LOG_LEVEL already set wins (`POWERTOOLS_LOG_LEVEL=DEBUG npm start`).
 * Imported first by local/start.ts.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= process.argv.includes('--verbose') ? 'INFO' : 'WARN';
