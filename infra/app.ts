// The CDK app entry (`npx cdk synth|deploy`, the app command in cdk.json).
import { App } from 'aws-cdk-lib';
import { addLatticeLens } from './lattice-lens-app.ts';

addLatticeLens(new App());
