import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dockerContextIncludes } from './dockerignore';
import { NODE_VERSION, nxBuildCommand, renderDockerfile, RUNTIME_UID, WEB_APP_LIBRARIES } from './dockerfile';
import { runtimeLibraries } from './project-dependencies';
import { servicePort } from './service-config';
import { dockerfilePath, SERVICES, serviceRoot, WORKSPACE } from './workspace';

const dockerfile = (service: (typeof SERVICES)[number]) =>
  readFileSync(path.join(WORKSPACE, dockerfilePath(service)), 'utf8');
const filesUnder = (relative: string): string[] => {
  const full = path.join(WORKSPACE, relative);
  return statSync(full).isDirectory()
    ? readdirSync(full).flatMap((entry) => filesUnder(path.join(relative, entry)))
    : [relative];
};

interface NxGraph {
  nodes: Record<string, { data: { root: string; tags?: string[] } }>;
  dependencies: Record<string, Array<{ target: string }>>;
}

/** Nx's own project graph, as `nx graph --file` writes it. */
const nxGraph: NxGraph = (() => {
  const directory = mkdtempSync(path.join(tmpdir(), 'nx-graph-'));
  try {
    const file = path.join(directory, 'graph.json');
    const result = spawnSync(
      process.execPath,
      [require.resolve('nx/bin/nx.js', { paths: [WORKSPACE] }), 'graph', `--file=${file}`],
      { cwd: WORKSPACE, env: { ...process.env, NX_DAEMON: 'false' }, encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`nx graph failed: ${result.stderr}`);
    return JSON.parse(readFileSync(file, 'utf8')).graph;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
})();

describe.each([...SERVICES])('the %s image', (service) => {
  it('is built from a Dockerfile generated from its current imports (run `npm run dockerfiles` after changing them)', () => {
    expect(dockerfile(service)).toBe(renderDockerfile(service));
  });

  it('copies the libraries its service imports, and no others (the gateway: and those its web app bundles)', () => {
    const copied = [...dockerfile(service).matchAll(/^COPY (libs\/[\w-]+)\/src /gm)].map((m) => m[1]);
    const web = service === 'gateway' ? WEB_APP_LIBRARIES : [];
    expect(copied).toEqual([...runtimeLibraries(serviceRoot(service)), ...web]);
    expect(copied).toEqual(expect.arrayContaining(['libs/config', 'libs/contracts']));
  });

  it("agrees with Nx's project graph: the libraries it copies are the service's Nx dependencies, less test helpers", () => {
    const closure = new Set<string>();
    const visit = (project: string) => {
      for (const { target } of nxGraph.dependencies[project] ?? []) {
        if (!nxGraph.nodes[target] || closure.has(target)) continue;
        closure.add(target);
        visit(target);
      }
    };
    visit(service);
    const isTestHelper = (project: string) => nxGraph.nodes[project].data.tags?.includes('type:testing');
    const fromNx = [...closure]
      .filter((project) => !isTestHelper(project))
      .map((project) => nxGraph.nodes[project].data.root)
      .sort();
    expect(runtimeLibraries(serviceRoot(service))).toEqual(fromNx);
  });

  it("builds each project it copies with that project's Nx build command", () => {
    const text = dockerfile(service);
    for (const project of [...runtimeLibraries(serviceRoot(service)), serviceRoot(service)])
      expect(text).toContain(nxBuildCommand(project));
  });

  it('finds every file it copies in the build context', () => {
    for (const [, source] of dockerfile(service).matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const item of source.split(' ')) {
        const files = filesUnder(item).filter((file) => !file.endsWith('.spec.ts'));
        expect([item, files.length > 0]).toEqual([item, true]);
        for (const file of files) expect([file, dockerContextIncludes(file)]).toEqual([file, true]);
      }
    }
  });

  it('installs production dependencies only, from the lockfile, and runs as a fixed non-root user with node as PID 1', () => {
    const text = dockerfile(service);
    const runtime = text.slice(text.lastIndexOf('FROM '));
    expect(text).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(runtime).toContain('COPY --from=dependencies /app/node_modules ./node_modules');
    expect(runtime).toContain(`USER ${RUNTIME_UID}:${RUNTIME_UID}`);
    expect(runtime).toContain(`EXPOSE ${servicePort(service)}`);
    expect(runtime).toContain(`ENTRYPOINT ["node", "dist/${serviceRoot(service)}/src/main.js"]`);
    expect(RUNTIME_UID).toBeGreaterThan(0);
  });
});

describe('the web app in the gateway image', () => {
  it("copies the libraries the web app depends on in Nx's project graph", () => {
    // an import and the implicit dependency are two edges to the same project
    const deps = [
      ...new Set(
        (nxGraph.dependencies.web ?? [])
          .map(({ target }) => nxGraph.nodes[target]?.data.root)
          .filter((root): root is string => root !== undefined),
      ),
    ].sort();
    expect(deps).toEqual([...WEB_APP_LIBRARIES].sort());
    expect(dockerfile('gateway')).toContain(`RUN npx ${nxBuildCommand('clients/web')}`);
  });
});

describe('the pinned Node.js', () => {
  it('is one release everywhere: .nvmrc, engines and the images; npm is pinned exactly', () => {
    const pkg = JSON.parse(readFileSync(path.join(WORKSPACE, 'package.json'), 'utf8'));
    expect(NODE_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.engines.node).toBe(NODE_VERSION);
    expect(pkg.packageManager).toMatch(/^npm@\d+\.\d+\.\d+$/);
    for (const service of SERVICES)
      expect([service, readFileSync(dockerfilePath(service), 'utf8')]).toEqual([
        service,
        expect.stringContaining(`ARG NODE_IMAGE=node:${NODE_VERSION}-bookworm-slim\n`),
      ]);
  });
});

describe('the build context', () => {
  it('leaves out what no image needs, so edits there rebuild nothing', () => {
    for (const file of [
      'node_modules/nx/package.json',
      'dist/services/gateway/src/main.js',
      '.git/HEAD',
      'README.md',
      'charts/study-buddy/values.yaml',
      'test/project.json',
      'services/gateway/src/main.spec.ts',
      'libs/event-store/test/contract.ts',
      '.data/jwt-signing-key.pem',
    ]) {
      expect([file, dockerContextIncludes(file)]).toEqual([file, false]);
    }
    for (const file of [
      'package.json',
      'package-lock.json',
      '.swcrc',
      'libs/config/src/env.ts',
      'services/notes/src/main.ts',
      'libs/devstack/scripts/build-project.js',
    ]) {
      expect([file, dockerContextIncludes(file)]).toEqual([file, true]);
    }
  });

  it('is matched the way Docker matches it', () => {
    expect(dockerContextIncludes('a/b.ts', 'a\n')).toBe(false);
    expect(dockerContextIncludes('a/b.ts', '**\n!a/**\n')).toBe(true);
    expect(dockerContextIncludes('a/b.spec.ts', '**\n!a/**\n**/*.spec.ts\n')).toBe(false);
    expect(dockerContextIncludes('c/b.ts', '**\n!a/**\n')).toBe(false);
    expect(dockerContextIncludes('.env', '**\n')).toBe(false);
    expect(dockerContextIncludes('.swcrc', '**\n!.swcrc\n')).toBe(true);
    expect(dockerContextIncludes('libs/x/src/a.ts', '**\n!libs/*/src/**\n')).toBe(true);
    expect(dockerContextIncludes('libs/x/y/src/a.ts', '**\n!libs/*/src/**\n')).toBe(false);
    expect(dockerContextIncludes('a.log', '*.lo?\n')).toBe(false);
  });
});
