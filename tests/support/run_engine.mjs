// Run widgets/engine.js on JSON from stdin: {"pack": ..., "texts": [...]} and print a
// JSON list of results, one per text (tests/test_engine_conformance.py). With
// "repeat": N, print instead the milliseconds each text took, median of N runs
// (benchmarks/selfcheck.py).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { checkMessage } from "../../widgets/engine.js";

const input = JSON.parse(readFileSync(0, "utf-8"));
if (input.repeat) {
  const medians = input.texts.map((text) => {
    checkMessage(input.pack, text);
    const times = [];
    for (let i = 0; i < input.repeat; i += 1) {
      const start = performance.now();
      checkMessage(input.pack, text);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  });
  process.stdout.write(JSON.stringify(medians));
} else {
  const results = input.texts.map((text) => checkMessage(input.pack, text));
  process.stdout.write(JSON.stringify(results));
}
