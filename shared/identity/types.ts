// Caller identity as lattice-lens reasons about it: the principal a policy can name, not the raw log string.

/** The X.509 identity that IAM Roles Anywhere adds to a request signed with its credentials. */
export interface X509Identity {
  subjectCN?: string;
  issuerOU?: string;
  sanNameCN?: string;
  sanDNS?: string;
  sanURI?: string;
}

export type CallerKind =
  | 'role' // an IAM role, from a role ARN or an assumed-role session
  | 'user' // an IAM user
  | 'root' // an account root
  | 'principal' // any other principal form, kept verbatim (federated user, service principal, …)
  | 'anonymous'; // no principal: the request was not signed

export interface CallerIdentity {
  kind: CallerKind;
  /**
   * The principal as an auth policy names it: a role ARN (never a session), a user ARN,
   * `arn:aws:iam::ACCOUNT:root`, a verbatim principal; for anonymous callers `anonymous`.
   */
  principal: string;
  /** The caller's account: from the principal ARN, or for anonymous callers the source VPC owner. */
  account?: string;
  /** The STS session name of an assumed-role caller (not part of the identity key). */
  sessionName?: string;
  /** Present when the caller signed with IAM Roles Anywhere credentials. */
  x509?: X509Identity;
  /** The caller's VPC (always known for Lattice traffic; the only identity of anonymous callers). */
  sourceVpcId?: string;
}
