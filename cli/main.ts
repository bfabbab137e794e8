// The lattice-lens command line: one subcommand per file; every failure one line on stderr with
// the exit code of cli/output.ts (0 ok, 1 check failed, 2 usage or input, 70 internal).
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { analyzeCommand } from './analyze.ts';
import { backtestCommand } from './backtest.ts';
import { diffCommand } from './diff.ts';
import { downloadCommand } from './download.ts';
import { EXIT_USAGE, failureOf } from './output.ts';
import { replayCommand } from './replay.ts';
import { reportCommand } from './report.ts';
import { simulateCommand } from './simulate.ts';
import { UsageError } from './usage-error.ts';

// The AWS SDK writes a nine-line process warning on stderr under Node.js < 22 (its releases after
// January 2027 will need 22), even when the command succeeds; lattice-lens supports Node.js 20,
// and its stderr holds only progress on a TTY and one-line failures. This variable is the SDK's
// documented opt-out (aws/aws-sdk-js-v3#7983), read when a client is built; a value the user set
// is kept, so `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false` brings the warning back.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
  })
  .addHelpText(
    'after',
    `
Examples:
  $ lattice-lens analyze sample-logs/access-logs --out out
  $ lattice-lens report --summaries out --out out/report.html
  $ lattice-lens help analyze

Exit codes: 0 success, 1 a check failed, 2 bad usage or unreadable input.`,
  );

for (const command of [
  analyzeCommand(),
  reportCommand(),
  downloadCommand(),
  simulateCommand(),
  replayCommand(),
  backtestCommand(),
  diffCommand(),
]) {
  // Subcommands report usage errors through the same one-line, exit-2 path as the program.
  program.addCommand(command.exitOverride().configureOutput(program.configureOutput()));
}

// `lattice-lens … | head` closes stdout early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  if (process.argv.length <= 2) {
    // Commander would print the whole help on stderr; a script wants the one-line reason.
    throw new UsageError(
      `missing command: one of ${program.commands.map((c) => c.name()).join(', ')} (see lattice-lens --help)`,
    );
  }
  const [first, topic] = process.argv.slice(2);
  if (first === 'help' && topic !== undefined) {
    // Commander has no command named help to find, and for any name it cannot find it prints the
    // whole program help on stderr: help on help is the program's, an unknown name one line.
    if (topic === 'help') program.help();
    if (!program.commands.some((c) => c.name() === topic)) {
      throw new UsageError(`unknown command '${topic}' (see lattice-lens --help)`);
    }
  }
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander printed its line already; --help and --version end here too, with code 0.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    const failure = failureOf(error);
    process.stderr.write(`lattice-lens: ${failure.message}\n`);
    if (process.env.LATTICE_LENS_DEBUG === '1' && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    // exitCode, not exit(): results already written to a pipe must be flushed first.
    process.exitCode = failure.exitCode;
  }
}
