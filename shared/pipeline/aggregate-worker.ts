// Worker-thread entry of aggregateLogFiles: reads the pieces it claims and posts back its
// patterns (packed) and per-piece outcomes (and, when asked, the bytes it reads, for progress).
import { parentPort, workerData } from 'node:worker_threads';
import type { AggregateWorkerData, AggregateWorkerMessage } from './aggregate-files.ts';
import { Aggregation } from './aggregate-logs.ts';
import { aggregatePieces, PieceQueue } from './aggregate-pieces.ts';

const port = parentPort;
if (port === null) throw new Error('aggregate-worker.ts runs as a worker thread only');
const { pieces, next, reportsBytes } = workerData as AggregateWorkerData;
const post = (message: AggregateWorkerMessage) => port.postMessage(message);
const aggregation = new Aggregation();
const outcomes = await aggregatePieces(
  new PieceQueue(pieces, next),
  reportsBytes ? (bytes) => post({ kind: 'bytes', bytes }) : undefined,
  aggregation,
  true,
);
const packed = aggregation.pack();
port.postMessage({ kind: 'done', packed, outcomes } satisfies AggregateWorkerMessage, [
  packed.numbers.buffer,
  packed.ids.buffer,
]);
