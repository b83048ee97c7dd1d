import { readFileSync } from "node:fs";
import {
  DEFAULT_SETTINGS,
  type AypSettings,
  type EssaSettings,
  type PpiSettings,
  type Settings,
} from "./settings-defaults.ts";

export { DEFAULT_SETTINGS };
export type { AypSettings, EssaSettings, PpiSettings, Settings };

const NUMERIC: ReadonlySet<string> = new Set([
  "minGroupSize",
  "itemFlagPoints",
  "itemFlagRatio",
  "significanceZ",
]);

/** What each value of a nested group of settings may be. */
type Check =
  | { kind: "number"; min: number; max?: number; whole?: boolean }
  | { kind: "choice"; choices: readonly string[] };

type Group = "ayp" | "ppi" | "essa";

const GROUP_CHECKS: Record<Group, Record<string, Check>> = {
  ayp: {
    aggregateMinN: { kind: "number", min: 1, whole: true },
    subgroupMinN: { kind: "number", min: 1, whole: true },
    errorBand: { kind: "number", min: 0 },
    statusExitYears: { kind: "number", min: 1, whole: true },
  },
  ppi: {
    onTargetBand: { kind: "number", min: 0 },
    noChangeBand: { kind: "number", min: 0 },
    extraCredit: { kind: "choice", choices: ["relative", "points"] },
  },
  essa: {
    noChangeBandScaledScore: { kind: "number", min: 0 },
    noChangeBandCpi: { kind: "number", min: 0 },
    // Below target and without improvement a group cannot earn what improvement earns (2).
    noChangePoints: { kind: "number", min: 0, max: 2, whole: true },
    declinedPoints: { kind: "number", min: 0, max: 2, whole: true },
    // 40 and up earn 2 or more, as confirmed; the 1-point cut can only lie below that.
    growthOnePointFrom: { kind: "number", min: 1, max: 40 },
  },
};

export function loadSettings(file = process.env.PIM_SETTINGS): Settings {
  if (!file) return { ...DEFAULT_SETTINGS };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read the settings file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return mergeSettings(parsed, file);
}

export function mergeSettings(overrides: unknown, origin = "settings"): Settings {
  if (!isPlainObject(overrides)) {
    throw new Error(`${origin}: expected a JSON object of settings.`);
  }
  const settings: Settings = { ...DEFAULT_SETTINGS };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in DEFAULT_SETTINGS)) {
      const known = Object.keys(DEFAULT_SETTINGS).join(", ");
      throw new Error(`${origin}: unknown setting "${key}"; the known settings are ${known}.`);
    }
    if (NUMERIC.has(key)) {
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new Error(`${origin}: setting "${key}" must be a non-negative number, not ${value}.`);
      }
      (settings as unknown as Record<string, number>)[key] = value;
    } else if (key in GROUP_CHECKS) {
      const group = key as Group;
      const merged = mergeGroup(group, value, origin);
      (settings as unknown as Record<Group, unknown>)[group] = merged;
    } else {
      settings.orgCrosswalk = parseCrosswalk(value, origin);
    }
  }
  if (settings.essa.declinedPoints > settings.essa.noChangePoints) {
    throw new Error(
      `${origin}: setting "essa.declinedPoints" (${settings.essa.declinedPoints}) must not ` +
        `exceed "essa.noChangePoints" (${settings.essa.noChangePoints}).`,
    );
  }
  return settings;
}

/** One era's settings: the defaults with the file's values over them, each value checked. */
function mergeGroup(group: Group, value: unknown, origin: string): Record<string, unknown> {
  const checks = GROUP_CHECKS[group];
  if (!isPlainObject(value)) {
    const known = Object.keys(checks).join(", ");
    throw new Error(`${origin}: setting "${group}" must be an object holding any of ${known}.`);
  }
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS[group] };
  for (const [key, given] of Object.entries(value)) {
    const check = checks[key];
    if (!check) {
      const known = Object.keys(checks).join(", ");
      throw new Error(
        `${origin}: unknown setting "${group}.${key}"; the known "${group}" settings are ${known}.`,
      );
    }
    const problem = problemWith(given, check);
    if (problem) {
      throw new Error(
        `${origin}: setting "${group}.${key}" must be ${problem}, not ${JSON.stringify(given)}.`,
      );
    }
    merged[key] = given;
  }
  return merged;
}

/** What the value should have been, or null when it is acceptable. */
function problemWith(value: unknown, check: Check): string | null {
  if (check.kind === "choice") {
    const quoted = check.choices.map((choice) => `"${choice}"`).join(" or ");
    return typeof value === "string" && check.choices.includes(value) ? null : quoted;
  }
  const range =
    check.max === undefined ? `at least ${check.min}` : `from ${check.min} to ${check.max}`;
  const expected = `${check.whole ? "a whole number" : "a number"} ${range}`;
  if (typeof value !== "number" || !Number.isFinite(value)) return expected;
  if (check.whole && !Number.isInteger(value)) return expected;
  if (value < check.min || (check.max !== undefined && value > check.max)) return expected;
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseCrosswalk(value: unknown, origin: string): Record<string, string> {
  const expected = `${origin}: setting "orgCrosswalk" must map 8-digit codes to 8-digit codes`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${expected}, as {"01234567": "01234568"}.`);
  }
  const crosswalk: Record<string, string> = {};
  for (const [from, to] of Object.entries(value)) {
    if (!/^\d{8}$/.test(from) || typeof to !== "string" || !/^\d{8}$/.test(to)) {
      throw new Error(`${expected}; "${from}": ${JSON.stringify(to)} is not.`);
    }
    crosswalk[from] = to;
  }
  return crosswalk;
}
