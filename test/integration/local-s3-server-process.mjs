// Runs s3rver for the integration tests in its own Node process, started with
// --openssl-legacy-provider: s3rver 3.7 makes ListObjectsV2 continuation tokens with DES, which
// OpenSSL 3 (Node 17+) refuses, so any listing longer than one page (1000 keys) fails in-process.
// Prints {"port":N} once listening on a free loopback port; stops on SIGTERM or when stdin closes.
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
// The test process holds stdin open: if it dies without stopping us, we do not linger.
process.stdin.on('end', stop);
process.stdin.resume();
