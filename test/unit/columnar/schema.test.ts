import { describe, expect, it } from 'vitest';
import { SUMMARY_COLUMNS, SUMMARY_PARTITIONS } from '../../../shared/columnar/index.ts';

describe('SUMMARY_COLUMNS', () => {
  it('declares every CallPattern field but hour, in a fixed order', () => {
    expect(SUMMARY_COLUMNS.map((column) => `${column.name}:${column.type}`)).toEqual([
      'recordKind:string',
      'serviceNetworkArn:string',
      'serviceArn:string',
      'callerPrincipal:string',
      'callerKind:string',
      'callerAccount:string',
      'callerX509SubjectCN:string',
      'requestMethod:string',
      'pathTemplate:string',
      'sourceVpcId:string',
      'requests:bigint',
      'status1xx:bigint',
      'status2xx:bigint',
      'status3xx:bigint',
      'status4xx:bigint',
      'status5xx:bigint',
      'authDenied:bigint',
      'other4xx:bigint',
      'bytesReceived:bigint',
      'bytesSent:bigint',
      'durationSumMs:bigint',
      'durationMaxMs:bigint',
      'firstSeen:timestamp',
      'lastSeen:timestamp',
      'examplePaths:array<string>',
      'sessionNames:array<string>',
    ]);
  });

  it('describes every column, so the README and the Glue table can list them', () => {
    for (const column of SUMMARY_COLUMNS) expect(column.description).toMatch(/\S.*\.$/);
  });

  it('is frozen, so no caller can change the schema for everyone', () => {
    expect(Object.isFrozen(SUMMARY_COLUMNS)).toBe(true);
    expect(SUMMARY_COLUMNS.every((column) => Object.isFrozen(column))).toBe(true);
  });

  it('keeps the partition columns out of the file columns', () => {
    const names = new Set(SUMMARY_COLUMNS.map((column) => column.name as string));
    expect(SUMMARY_PARTITIONS.map((partition) => partition.name)).toEqual(['dt', 'hour']);
    for (const partition of SUMMARY_PARTITIONS) expect(names.has(partition.name)).toBe(false);
  });
});
