// The lattice-lens command line: one subcommand per file, errors as one line and exit code 2.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CorruptInputError, InputError } from '../shared/log/index.ts';
import { analyzeCommand } from './analyze.ts';
import { downloadCommand } from './download.ts';
import { UsageError } from './usage-error.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command()
  .name('lattice-lens')
  .description('Turn Amazon VPC Lattice access logs into least-privilege auth policies.')
  .version(pkg.version)
  .exitOverride()
  .configureOutput({
    // One line on stderr, like every other failure of the command.
    outputError: (text, write) =>
      write(`lattice-lens: ${(text.trim().split('\n')[0] ?? '').replace(/^error: /, '')}\n`),
  });

for (const command of [analyzeCommand(), downloadCommand()]) {
  // Subcommands report usage errors through the same one-line, exit-2 path as the program.
  program.addCommand(command.exitOverride().configureOutput(program.configureOutput()));
}

function fail(message: string): never {
  process.stderr.write(`lattice-lens: ${message}\n`);
  process.exit(2);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  if (
    error instanceof UsageError ||
    error instanceof InputError ||
    error instanceof CorruptInputError
  ) {
    fail(error.message);
  }
  throw error;
}
