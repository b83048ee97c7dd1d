import { copyFile, mkdir, readFile, rm, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, posix, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import type { Log } from "../log.ts";

const PROJECT_DIR = fileURLToPath(new URL("../../", import.meta.url));
const NODE_MODULES = join(PROJECT_DIR, "node_modules");

/**
 * The packages Framework 1.13 would download from jsDelivr for our pages (explicit `npm:` imports,
 * the implicit Plot, d3, html, Inputs, FileAttachment and sql imports, and their dependencies),
 * with the raw files it asks for beside the bundle (see getImplicitDownloads in its libraries.js).
 */
const VENDORED: readonly { name: string; files?: readonly string[] }[] = [
  { name: "apache-arrow" },
  { name: "d3-dsv" },
  { name: "d3" },
  { name: "htl" },
  { name: "isoformat" },
  { name: "@observablehq/plot" },
  { name: "arquero" },
  { name: "vega" },
  { name: "vega-lite" },
  { name: "vega-embed" },
  // The step 1 goal worksheet is written as .xlsx in the browser, when someone downloads it;
  // esbuild takes the package's browser build (its "browser" field).
  { name: "exceljs" },
  { name: "parquet-wasm", files: ["esm/parquet_wasm_bg.wasm"] },
  {
    name: "@duckdb/duckdb-wasm",
    files: [
      "dist/duckdb-mvp.wasm",
      "dist/duckdb-browser-mvp.worker.js",
      "dist/duckdb-eh.wasm",
      "dist/duckdb-browser-eh.worker.js",
    ],
  },
];

/**
 * Libraries Framework's client bundle can lazy-load (recommendedLibraries.js, sampleDatasets.js),
 * so each build resolves their latest version on the npm registry. An empty folder with a
 * placeholder version answers that look-up from the cache; a page that really imported one would
 * ask for its missing `_esm.js` and fail the build loudly.
 */
const NOT_VENDORED = [
  "react",
  "react-dom",
  "@observablehq/sample-datasets",
  "lodash",
  "echarts",
  "leaflet",
  "mapbox-gl",
  "topojson-client",
];
const NOT_VENDORED_VERSION = "0.0.0-not-vendored";

/**
 * Fills `<root>/.observablehq/cache/_npm/` from node_modules at exactly the paths Framework would
 * download to (`<name>@<version>/_esm.js` and raw files beside it), so that `observable build`
 * and `observable preview` find every library cached and never fetch. Replaces whatever `_npm`
 * held, so that no stale version outranks the installed one.
 */
export async function vendorNpmCache(root: string, log: Log): Promise<void> {
  const done = log.time();
  const npmDir = join(root, ".observablehq", "cache", "_npm");
  await assertDuckDBWasmVersion();

  const versions = new Map<string, string>();
  for (const { name } of VENDORED) versions.set(name, await readInstalledVersion(name));

  await rm(npmDir, { recursive: true, force: true });
  await mkdir(npmDir, { recursive: true });
  const sizes = await Promise.all(
    VENDORED.map(async ({ name, files = [] }) => {
      const dir = join(npmDir, `${name}@${versions.get(name)}`);
      let bytes = await bundlePackage(name, dir, versions);
      for (const file of files) {
        const target = join(dir, file);
        await mkdir(dirname(target), { recursive: true });
        await copyFile(join(NODE_MODULES, name, file), target);
        bytes += (await stat(target)).size;
      }
      return bytes;
    }),
  );

  for (const name of NOT_VENDORED) {
    await mkdir(join(npmDir, `${name}@${NOT_VENDORED_VERSION}`), { recursive: true });
  }

  const total = sizes.reduce((sum, bytes) => sum + bytes, 0);
  const list = [...versions].map(([name, version]) => `${name}@${version}`).join(", ");
  done(
    `vendored ${versions.size} npm packages (${list}) and ${NOT_VENDORED.length} placeholders` +
      ` into ${displayPath(npmDir)}, ${formatBytes(total)}`,
  );
}

/**
 * Framework hard-codes the duckdb-wasm version its DuckDB client is written for and resolves
 * `npm:@duckdb/duckdb-wasm` to exactly that version, so the installed one must match it.
 */
async function assertDuckDBWasmVersion(): Promise<void> {
  const frameworkDuckDB = join(NODE_MODULES, "@observablehq/framework/dist/duckdb.js");
  const { DUCKDB_WASM_VERSION } = (await import(pathToFileURL(frameworkDuckDB).href)) as {
    DUCKDB_WASM_VERSION: string;
  };
  const installed = await readInstalledVersion("@duckdb/duckdb-wasm");
  if (installed !== DUCKDB_WASM_VERSION) {
    throw new Error(
      `The installed @duckdb/duckdb-wasm is ${installed}, but Observable Framework is written for` +
        ` ${DUCKDB_WASM_VERSION} and would load that version in the browser. Pin` +
        ` "@duckdb/duckdb-wasm": "${DUCKDB_WASM_VERSION}" in package.json and run npm install.`,
    );
  }
}

async function readInstalledVersion(name: string): Promise<string> {
  const file = join(NODE_MODULES, name, "package.json");
  const { version } = JSON.parse(await readFile(file, "utf8")) as { version?: unknown };
  if (typeof version !== "string") throw new Error(`no version in ${file}`);
  return version;
}

/**
 * Bundles one installed package into a minified browser module `<dir>/_esm.js`. The package
 * itself is the entry point, so every export (the default one included) is kept. Returns its size.
 */
async function bundlePackage(
  name: string,
  dir: string,
  versions: ReadonlyMap<string, string>,
): Promise<number> {
  const result = await build({
    entryPoints: [name],
    absWorkingDir: PROJECT_DIR,
    outfile: join(dir, "_esm.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    // Framework parses these files with acorn to follow their imports; ES2022 is what it reads.
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "error",
    metafile: true,
    plugins: [importVendoredByPath(`${name}@${versions.get(name)}`, versions)],
  });
  const outputs = Object.values(result.metafile.outputs);
  return outputs.reduce((sum, output) => sum + output.bytes, 0);
}

/**
 * Leaves imports of other vendored packages as relative imports of their own `_esm.js`, as
 * jsDelivr's bundles do, so that the browser loads one copy of each (Arrow tables built by one
 * library must be instances of the same classes in another). Framework follows those paths to
 * copy the files into the site. Only the copy installed at the top of node_modules is shared;
 * an importer with its own nested copy keeps it bundled, except apache-arrow: Framework itself
 * gives duckdb-wasm and arquero the latest Arrow rather than the one they declare.
 */
function importVendoredByPath(self: string, versions: ReadonlyMap<string, string>): Plugin {
  return {
    name: "import-vendored-by-path",
    setup(esbuild) {
      esbuild.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind === "entry-point" || args.pluginData === "plain") return undefined;
        const version = versions.get(args.path);
        if (version === undefined || self.startsWith(`${args.path}@`)) return undefined;
        if (args.path !== "apache-arrow") {
          const plain = await esbuild.resolve(args.path, {
            kind: args.kind,
            resolveDir: args.resolveDir,
            pluginData: "plain",
          });
          if (!plain.path.startsWith(join(NODE_MODULES, args.path) + sep)) return undefined;
        }
        const path = posix.relative(`/${self}`, `/${args.path}@${version}/_esm.js`);
        return { path, external: true };
      });
    },
  };
}

/** A path relative to the project when it lies inside it, as people type it; else absolute. */
function displayPath(path: string): string {
  const inside = relative(PROJECT_DIR, path);
  return inside.startsWith("..") || isAbsolute(inside) ? path : inside;
}

/** Formats a byte count the way people read sizes of files: "83 MB", "412 kB". */
function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${Math.round(bytes / 1e3)} kB`;
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}
