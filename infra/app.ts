// The CDK app entry (`npx cdk synth|deploy`, `npm run synth`: the app command in cdk.json).
import { App } from 'aws-cdk-lib';
import { ConfigError } from './config.ts';
import { addLatticeLens } from './lattice-lens-app.ts';

try {
  addLatticeLens(new App());
} catch (error) {
  // A bad context value is the user's typo, not a crash: one line naming the key, no stack.
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`lattice-lens: ${error.message}\n`);
  process.exit(2);
}
