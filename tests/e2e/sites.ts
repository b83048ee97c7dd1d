import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { TestProject } from "vitest/node";
import { REAL_DIR } from "../helpers/real.ts";

/**
 * Builds the two sites the browser and build tests look at, once per run: the embedded sample and
 * the real public files. Each build runs `pim build` as a user would, in its own process, with
 * every network connection refused and recorded, so that the same build proves it is offline.
 */

const PROJECT_DIR = fileURLToPath(new URL("../../", import.meta.url));
const PIM = join(PROJECT_DIR, "bin", "pim.js");
const BLOCKER = fileURLToPath(new URL("../build/block-network.mjs", import.meta.url));

export interface BuiltSite {
  /** The folder of state files it was built from. */
  input: string;
  /** The built site. */
  dir: string;
  /** The warehouse the build made beside it. */
  database: string;
  code: number | null;
  output: string;
  /** Connections the build tried to open to other hosts (refused). */
  networkAttempts: unknown[];
}

declare module "vitest" {
  export interface ProvidedContext {
    sites: { sample: BuiltSite; real: BuiltSite };
  }
}

async function build(workDir: string, name: string, input: string): Promise<BuiltSite> {
  const dir = join(workDir, name);
  const networkLog = join(workDir, `${name}.network.jsonl`);
  await writeFile(networkLog, "");
  // NODE_OPTIONS reaches every Node process of the build: pim, Framework and each data loader.
  const nodeOptions = `${process.env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(BLOCKER).href}`;
  const { code, output } = await run(
    process.execPath,
    [PIM, "build", "--input", input, "--out", dir],
    {
      ...process.env,
      NODE_OPTIONS: nodeOptions.trim(),
      PIM_NETWORK_LOG: networkLog,
    },
  );
  const lines = (await readFile(networkLog, "utf8")).split("\n").filter(Boolean);
  return {
    input,
    dir,
    database: `${dir}.duckdb`,
    code,
    output,
    networkAttempts: lines.map((line) => JSON.parse(line) as unknown),
  };
}

/** Runs a command to its end; resolves to its exit code and its interleaved output. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: PROJECT_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workDir = await mkdtemp(join(tmpdir(), "pim-sites-"));
  // One after the other: both builds use the shared src/.observablehq/cache.
  const sample = await build(workDir, "sample", join(PROJECT_DIR, "data", "sample"));
  const real = await build(workDir, "real", REAL_DIR);
  project.provide("sites", { sample, real });
  return async () => {
    await rm(workDir, { recursive: true, force: true });
  };
}
