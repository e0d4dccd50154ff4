// Two projects over the same helpers: "redis" runs every test against one private redis-server;
// "cluster" runs the cluster tests, and the channel conformance scripts again, against a local
// Redis Cluster of three masters (test/setup/cluster.ts). A redis-server too old for Cluster
// (before 3.0) leaves the second project out, and says so.
import { spawnSync } from "node:child_process";
import { defineConfig } from "vitest/config";

const CLUSTER_TESTS = ["test/cluster*.test.ts", "test/conformance.test.ts"];

function clusterSupport(): { ok: true } | { ok: false; why: string } {
  const v = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  const major = Number(/v=(\d+)\./.exec(v.stdout ?? "")?.[1] ?? 0);
  if (v.error || v.status !== 0) return { ok: false, why: "redis-server is not on the PATH" };
  return major >= 3
    ? { ok: true }
    : { ok: false, why: `redis-server ${major}.x has no cluster support (3.0 or later needed)` };
}

const support = clusterSupport();
if (!support.ok) console.warn(`Redis Cluster tests skipped: ${support.why}.`);

const shared = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
  // Two cores: files run in parallel workers; each test isolates itself by key prefix.
  pool: "forks" as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: "redis",
          include: ["test/**/*.test.ts"],
          exclude: ["test/cluster*.test.ts", "**/node_modules/**"],
          globalSetup: ["test/setup/global.ts"],
        },
      },
      ...(support.ok
        ? [{ test: { ...shared, name: "cluster", include: CLUSTER_TESTS, globalSetup: ["test/setup/cluster.ts"] } }]
        : []),
    ],
  },
});
