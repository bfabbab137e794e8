// The shape of an AWS Organizations id, the value `aws:PrincipalOrgID` compares against. Checked
// wherever an org id enters (CLI flag, function environment, CDK context), so a typo fails there
// and not as a policy that denies every caller.
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

export function isOrganizationId(value: string): boolean {
  return ORGANIZATION_ID.test(value);
}
