// The DuckDB baseline (aws-contracts.md §11): read_ndjson with an explicit columns map, one thread,
// grouped by the naive baseline's columns (UTC hour, service, caller, method, path, source VPC).
import { stat } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { reportRun } from './report-run.ts';

const [file] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: duckdb.ts <file>');

const started = performance.now();
const startedCpu = process.cpuUsage();
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run('SET threads = 1');
// Malformed lines (the bench log has a few) are skipped, as the naive baseline skips them.
const reader = await connection.runAndReadAll(
  `SELECT count(*) AS groups, sum(requests) AS lines FROM (
     SELECT substr(startTime, 1, 13) AS hour, serviceArn, callerPrincipal, requestMethod,
            split_part(requestPath, '?', 1) AS path, sourceVpcId, count(*) AS requests
     FROM read_ndjson($file, ignore_errors = true, columns = {
       startTime: 'VARCHAR', serviceArn: 'VARCHAR', callerPrincipal: 'VARCHAR',
       requestMethod: 'VARCHAR', requestPath: 'VARCHAR', sourceVpcId: 'VARCHAR'
     })
     GROUP BY ALL
   )`,
  { file },
);
const [row] = reader.getRowObjects();
reportRun({
  name: 'duckdb',
  bytes: (await stat(file)).size,
  lines: Number(row?.lines ?? 0),
  groups: Number(row?.groups ?? 0),
  started,
  startedCpu,
});
