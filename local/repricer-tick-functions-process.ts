/**
 * The process one role of the local tick run's functions runs in (forked by `startTickFunction`): per tick it receives
 * a request, runs the role and sends its report; it exits when the harness disconnects. Its peak RSS is that role's
 * alone.
 */
import { runTickFunctionRole, type TickFunctionsRequest } from './repricer-tick-functions.ts';

process.on('message', (request: TickFunctionsRequest) => {
  runTickFunctionRole(request).then(
    (report) => process.send?.({ report }),
    (error: unknown) => process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
// The harness is done with this function (or gone): nothing of the role may keep the process alive.
process.on('disconnect', () => process.exit(0));
