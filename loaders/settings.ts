import { readFileSync } from "node:fs";

/**
 * Rules that ../shared/domain.md marks unconfirmed or conventional are settings, never constants
 * buried in code. The defaults are documented in the README; a JSON file named by --settings or
 * PIM_SETTINGS overrides any of them.
 */
export interface Settings {
  /** Groups with fewer students than this get no published figure (domain.md section 6). */
  minGroupSize: number;
  /** An item is flagged when the school is this many points or more below the state (section 5). */
  itemFlagPoints: number;
  /**
   * Codes of closed or merged schools mapped to the code their results belong under, applied to
   * every file as it loads: {"01234567": "01234568"}.
   */
  orgCrosswalk: Readonly<Record<string, string>>;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  minGroupSize: 10,
  itemFlagPoints: 10,
  orgCrosswalk: Object.freeze({}),
});

const NUMERIC: ReadonlySet<string> = new Set(["minGroupSize", "itemFlagPoints"]);

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
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
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
    } else {
      settings.orgCrosswalk = parseCrosswalk(value, origin);
    }
  }
  return settings;
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
