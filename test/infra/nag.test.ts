// cdk-nag AwsSolutions on the stack as `cdk synth` builds it: no unacknowledged finding, every
// acknowledgement carries a reason and is still needed, and the pack really guards the synth.
import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp, SUBSCRIBED } from './lattice-lens-app.ts';

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

/** Every `Validations.of(x).acknowledge()` in the tree, with the construct path it was made on. */
function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

type Violation = ReturnType<AwsSolutionsChecks['validateScope']>['violations'][number];

function describeViolations(violations: Violation[]): string[] {
  return violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`,
    ),
  );
}

/** The findings with every acknowledgement ignored: what the pack sees in the raw stack. */
function rawFindings(root: IConstruct): { id: string; path: string }[] {
  const checks = new AwsSolutionsChecks();
  // isAcknowledged is private to NagPack; answering "no" to it lists what the acknowledgements hide.
  (checks as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return checks.validateScope(root).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      id: violation.ruleName,
      path: resource.constructPath ?? '',
    })),
  );
}

const CONFIGURATIONS = {
  'no context at all (a clean clone)': {},
  'subscriptions and an alarm e-mail': { ...SUBSCRIBED, alarmEmail: 'secops@example.com' },
};

describe('cdk-nag AwsSolutions', () => {
  for (const [name, context] of Object.entries(CONFIGURATIONS)) {
    it(`reports no unacknowledged error or warning, and synth passes: ${name}`, () => {
      const { app } = buildApp(context);
      let synthError: unknown;
      try {
        app.synth();
      } catch (error) {
        synthError = error;
      }
      const { violations } = new AwsSolutionsChecks().validateScope(app);
      expect(describeViolations(violations.filter((v) => v.severity === 'error'))).toEqual([]);
      // The validation framework fails the synth on warnings too, so they are held to zero as well.
      expect(describeViolations(violations)).toEqual([]);
      expect(synthError).toBeUndefined();
    });
  }

  it('every acknowledgement has a written reason and hides a finding that really exists', () => {
    const { app } = buildApp({ ...SUBSCRIBED, alarmEmail: 'secops@example.com' });
    app.synth();
    const acknowledgements = acknowledgementsIn(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    const findings = rawFindings(app);
    for (const acknowledgement of acknowledgements) {
      expect(acknowledgement.id).toMatch(/^AwsSolutions-/);
      // A sentence that says why, not a placeholder.
      expect(acknowledgement.reason.length, acknowledgement.id).toBeGreaterThanOrEqual(60);
      const hidden = findings.filter(
        (finding) =>
          finding.id === acknowledgement.id &&
          (finding.path === acknowledgement.path ||
            finding.path.startsWith(`${acknowledgement.path}/`)),
      );
      expect(hidden, `${acknowledgement.id} at ${acknowledgement.path}`).not.toEqual([]);
    }
  });

  it('fails the synth when a resource breaks a rule nobody acknowledged', () => {
    const { app, stack } = buildApp();
    new s3.Bucket(Stack.of(stack), 'CarelessBucket');
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
