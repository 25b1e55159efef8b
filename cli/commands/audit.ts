import type { Command } from 'commander';

export function registerAuditCommand(program: Command): void {
  program.command('audit').description('(not built yet)').action(() => {
    process.stderr.write('sellerops audit: not built yet\n');
    process.exitCode = 2;
  });
}
