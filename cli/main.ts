import { Command } from 'commander';
import { registerRepriceCommand } from './commands/reprice.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerDlqCommand } from './commands/dlq.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerSimulateCommand } from './commands/simulate.ts';

/** `sellerops <command>`: each command lives in `cli/commands/` and calls the same use case as its Lambda. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('sellerops').description('sellerops command line').showHelpAfterError();
  registerRepriceCommand(program);
  registerAuditCommand(program);
  registerDlqCommand(program);
  registerMigrateCommand(program);
  registerSimulateCommand(program);
  await program.parseAsync(argv);
}
