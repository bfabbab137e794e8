// `npm run synth`: synthesizes the app into cdk.out/ without the CDK CLI, offline and without
// credentials, with cdk.json's context plus `-c key=value` flags, as `cdk synth` would. The CLI
// pinned in package.json (aws-cdk 3.0.0) reads cloud assembly schema 43 at most, and aws-cdk-lib
// 2.276 writes schema 55, so `cdk synth` refuses the assembly this app writes (README, Deploy).
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { ConfigError } from './config.ts';
import { addLatticeLens } from './lattice-lens-app.ts';

const USAGE = 'usage: npm run synth -- [-c key=value]... [--output <dir>]';

function parseArgs(args: readonly string[]): { context: Record<string, string>; outdir: string } {
  const context: Record<string, string> = {};
  let outdir = 'cdk.out';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if ((arg === '-c' || arg === '--context') && value !== undefined) {
      const equals = value.indexOf('=');
      if (equals < 1) throw new UsageError(`${arg} ${value}: expected key=value`);
      context[value.slice(0, equals)] = value.slice(equals + 1);
      i++;
    } else if ((arg === '-o' || arg === '--output') && value !== undefined) {
      outdir = value;
      i++;
    } else {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  return { context, outdir };
}

class UsageError extends Error {}

try {
  const { context, outdir } = parseArgs(process.argv.slice(2));
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({ outdir, context: { ...cdkJson.context, ...context } });
  const stack = addLatticeLens(app);
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).templateFullPath;
  process.stdout.write(`${stack.stackName}: ${template}\n`);
} catch (error) {
  if (error instanceof UsageError || error instanceof ConfigError) {
    process.stderr.write(`synth: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    // Validation failures (cdk-nag) carry their report in the message.
    process.stderr.write(
      `synth failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
