// Builds the LatticeLens app for the infra tests the way `cdk synth` does: cdk.json's context (the
// feature flags) plus the test's own keys, through the same addLatticeLens the app entry calls.
import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { addLatticeLens } from '../../infra/lattice-lens-app.ts';
import type { LatticeLensStack } from '../../infra/lattice-lens-stack.ts';

const CDK_JSON = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

/** Context that subscribes two service networks and one service, as a real deployment would. */
export const SUBSCRIBED = {
  serviceNetworks:
    'sn-0123456789abcdef0,arn:aws:vpc-lattice:eu-west-1:111122223333:servicenetwork/sn-0fedcba9876543210',
  services: 'svc-0a1b2c3d4e5f60718',
} as const;

export interface BuiltApp {
  app: App;
  stack: LatticeLensStack;
}

/**
 * A fresh app and stack. Bundling is skipped unless asked for (`aws:cdk:bundling-stacks` = []),
 * which keeps a synth at a couple of seconds; the bundling test runs esbuild for real.
 */
export function buildApp(
  context: Record<string, unknown> = {},
  options: { bundle?: boolean } = {},
): BuiltApp {
  const app = new App({
    context: {
      ...CDK_JSON.context,
      ...(options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
  });
  return { app, stack: addLatticeLens(app) };
}

export function synthTemplate(context: Record<string, unknown> = {}): {
  stack: LatticeLensStack;
  template: Template;
} {
  const { stack } = buildApp(context);
  return { stack, template: Template.fromStack(stack) };
}

/** The logical id a construct's CloudFormation resource gets in the template. */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

/** `Fn::GetAtt` of a construct's resource, as it appears in the template. */
export function getAtt(
  construct: IConstruct,
  attribute: string,
): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [logicalIdOf(construct), attribute] };
}

/** The template form of `bucket.arnForObjects(pattern)`. */
export function objectsArn(bucket: IConstruct, pattern: string): unknown {
  return { 'Fn::Join': ['', [getAtt(bucket, 'Arn'), `/${pattern}`]] };
}
