/**
 * Waits until each named service answers the standard gRPC health check with SERVING.
 * Usage: node -r @swc-node/register scripts/wait-healthy.ts crm=127.0.0.1:50051 ... [--timeout 120]
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

type HealthClient = grpc.Client & {
  check(req: { service: string }, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: { status: string }) => void): void;
};

const definition = protoLoader.loadSync(protoPath, { keepCase: true, enums: String });
const loaded = grpc.loadPackageDefinition(definition) as unknown as {
  grpc: { health: { v1: { Health: new (address: string, creds: grpc.ChannelCredentials) => HealthClient } } };
};

function check(address: string): Promise<string> {
  const client = new loaded.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.check({ service: '' }, { deadline: Date.now() + 2000 }, (err, res) => {
      client.close();
      resolve(err ? `error: ${err.details || err.message}` : (res?.status ?? 'UNKNOWN'));
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const timeoutIndex = args.indexOf('--timeout');
  const timeoutSeconds = timeoutIndex >= 0 ? Number(args.splice(timeoutIndex, 2)[1]) : 120;
  const targets = args.map((a) => a.split('=') as [string, string]);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const pending = new Map(targets);
  const last = new Map<string, string>();
  while (pending.size > 0 && Date.now() < deadline) {
    for (const [name, address] of [...pending]) {
      const status = await check(address);
      last.set(name, status);
      if (status === 'SERVING') {
        console.log(`  ${name.padEnd(14)} SERVING on ${address}`);
        pending.delete(name);
      }
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  if (pending.size > 0) {
    for (const [name, address] of pending) console.error(`  ${name} on ${address} not healthy: ${last.get(name)}`);
    process.exit(1);
  }
}

void main();
