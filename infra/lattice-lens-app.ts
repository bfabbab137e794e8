// What the CDK app holds: one LatticeLens stack configured from the app's context, checked by the
// cdk-nag AwsSolutions pack on every synth (an unacknowledged finding fails it). The tests build
// their apps through this too, so they check what `cdk synth` and `cdk deploy` build.
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.ts';
import { LatticeLensStack } from './lattice-lens-stack.ts';

export function addLatticeLens(app: App): LatticeLensStack {
  const config = readConfig(app.node);
  // No env: the template is environment-agnostic, so synth needs no credentials and no lookups,
  // and deploy takes the account and region of the caller's profile.
  const stack = new LatticeLensStack(app, config.stackName, {
    description:
      'lattice-lens: VPC Lattice access logs to least-privilege auth policies, 403 alarms',
    config,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
