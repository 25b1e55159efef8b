import type { Command } from 'commander';

export function registerRepriceCommand(program: Command): void {
  program.command('reprice').description('(not built yet)').action(() => {
    process.stderr.write('sellerops reprice: not built yet\n');
    process.exitCode = 2;
  });
}
