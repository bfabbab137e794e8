// The lattice-lens command line.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { CorruptInputError, InputError } from '../shared/log/index.ts';
import { formatAnalyze, runAnalyze } from './analyze.ts';
import { UsageError } from './usage-error.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

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

program
  .command('analyze')
  .description(
    'Aggregate access logs into call-pattern summaries and suggest one auth policy per service.',
  )
  .argument('<inputs...>', 'access-log files or directories (JSON lines, plain or gzip)')
  .requiredOption('-o, --out <dir>', 'output directory')
  .option('--json', 'print a machine-readable summary on stdout', false)
  .option(
    '--min-requests <n>',
    'flag statements backed by fewer successful requests',
    positiveInteger,
    5,
  )
  .addHelpText(
    'after',
    `
Examples:
  $ lattice-lens analyze sample-logs --out out
  $ lattice-lens analyze /var/log/lattice/*.log.gz --out out --json`,
  )
  .action(
    async (inputs: string[], options: { out: string; json: boolean; minRequests: number }) => {
      const result = await runAnalyze(inputs, {
        out: options.out,
        minRequests: options.minRequests,
      });
      process.stdout.write(
        options.json ? `${JSON.stringify(result, null, 2)}\n` : formatAnalyze(result, options.out),
      );
    },
  );

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
  )
    fail(error.message);
  throw error;
}
