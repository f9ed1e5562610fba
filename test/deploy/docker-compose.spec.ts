import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SearchAttributes } from '@projectflo/platform/workflow';

// docker-compose.yml cannot run on machines without a Docker engine, so this keeps it in step with
// what scripts/infra.sh and the services actually use: the same components, ports and settings.

const ROOT = join(__dirname, '..', '..');
const ports = JSON.parse(readFileSync(join(ROOT, 'deploy', 'ports.json'), 'utf8')) as {
  postgres: number;
  kafka: number;
  temporal: number;
  temporalUi: number;
  mailpitSmtp: number;
  mailpitUi: number;
  eventstore: number;
  services: Record<string, number>;
};

interface ComposeService {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const infraScript = readFileSync(join(ROOT, 'scripts', 'infra.sh'), 'utf8');

const hostPorts = (service: ComposeService): number[] => (service.ports ?? []).map((p) => Number(p.split(':')[0]));

describe('docker-compose.yml', () => {
  it('describes the infrastructure the scripts start, plus EventStoreDB, on the same host ports', () => {
    expect(hostPorts(compose.services['postgres'])).toContain(ports.postgres);
    expect(hostPorts(compose.services['kafka'])).toContain(ports.kafka);
    expect(hostPorts(compose.services['temporal'])).toContain(ports.temporal);
    expect(hostPorts(compose.services['temporal-ui'])).toContain(ports.temporalUi);
    expect(hostPorts(compose.services['eventstore'])).toContain(ports.eventstore);
    expect(hostPorts(compose.services['mailpit'])).toEqual(expect.arrayContaining([ports.mailpitSmtp, ports.mailpitUi]));
  });

  it.each(Object.entries(ports.services))('runs %s compiled from its own main.ts (the build in dist/) on its port, reachable from the host', (name, port) => {
    const service = compose.services[name];
    expect(service).toBeDefined();
    const main = service.command?.find((part) => part.endsWith('main.js'));
    expect(main).toBe(`dist/apps/${name}/src/main.js`);
    // dist/ mirrors the source tree (scripts/build.ts): the compiled main.js is this main.ts's.
    expect(existsSync(join(ROOT, 'apps', name, 'src', 'main.ts'))).toBe(true);
    expect(service.command).toEqual(expect.arrayContaining(['-r', 'reflect-metadata']));
    // No runtime compiler in the image: the services run the JavaScript `npm run build` wrote.
    expect(service.command).not.toContain('@swc-node/register');
    expect(service.environment?.['GRPC_PORT']).toBe(String(port));
    // Bound to every interface inside its container, or the published port reaches nothing.
    expect(service.environment?.['GRPC_HOST']).toBe('0.0.0.0');
    expect(hostPorts(service)).toEqual([port]);
  });

  it('builds the image with the same build as scripts/platform.sh and runs the compiled service', () => {
    const dockerfile = readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
    const platform = readFileSync(join(ROOT, 'scripts', 'platform.sh'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['build']).toBe('node -r @swc-node/register scripts/build.ts');
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toContain('dist/apps/${SERVICE}/src/main.js');
    expect(dockerfile).not.toContain('@swc-node/register');
    expect(platform).toContain('scripts/build.ts --if-changed');
    expect(platform).toContain('"dist/apps/$svc/src/main.js"');
  });

  it('registers the search attributes that the workflows set and scripts/infra.sh registers', () => {
    const setup = (compose.services['temporal-setup'].command ?? []).join('\n');
    for (const key of Object.values(SearchAttributes)) {
      expect(setup).toContain(`--name ${key.name}`);
      expect(infraScript).toContain(`${key.name}=`);
    }
  });

  it('uses the same Temporal namespace, Postgres owner and database as the scripts', () => {
    expect(compose.services['temporal'].environment?.['DEFAULT_NAMESPACE']).toBe('projectflo');
    expect(infraScript).toMatch(/TEMPORAL_NAMESPACE=.*projectflo/);
    expect(compose.services['postgres'].environment).toMatchObject({ POSTGRES_USER: 'projectflo', POSTGRES_DB: 'projectflo' });
  });

  it('creates the service roles as scripts/infra.sh does, with passwords the operator exports (production refuses the development ones)', () => {
    const postgres = compose.services['postgres'] as ComposeService & { volumes?: string[] };
    expect(postgres.volumes).toContain('./deploy/postgres/service-roles.sh:/docker-entrypoint-initdb.d/10-service-roles.sh:ro');
    expect(infraScript).toContain('deploy/postgres/service-roles.sh');
    expect(postgres.environment?.['POSTGRES_PASSWORD']).toBe('${POSTGRES_PASSWORD:?export POSTGRES_PASSWORD}');
    for (const name of Object.keys(ports.services)) {
      const role = `pf_${name.replace(/-/g, '_')}`;
      const password = `\${${role.toUpperCase()}_PASSWORD:?export ${role.toUpperCase()}_PASSWORD}`;
      expect(postgres.environment?.[`${role.toUpperCase()}_PASSWORD`]).toBe(password);
      // Each service logs in as its own role; the owner only migrates.
      expect(compose.services[name].environment).toMatchObject({
        DATABASE_URL: `postgres://${role}:${password}@postgres:5432/projectflo`,
        MIGRATION_DATABASE_URL: 'postgres://projectflo:${POSTGRES_PASSWORD:?export POSTGRES_PASSWORD}@postgres:5432/projectflo',
      });
    }
  });
});
