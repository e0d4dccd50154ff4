// A real local Redis Cluster of three masters for the cluster tests: three `redis-server
// --cluster-enabled yes` in a temp dir (AOF on, so a node restarted from its files keeps its
// data), joined by `redis-cli --cluster create`, ready once every node says `cluster_state:ok`.
// The vitest project "cluster" starts one for the whole suite (this file's default export) and
// provides its seeds; a test that restarts a node starts a cluster of its own (`startCluster`).
import { execFile, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { freePort, startRedisServer } from "./global.js";

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  dir: string;
  process: ChildProcess;
}

export interface LocalCluster {
  /** `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`, as REDIS_CLUSTER_NODES takes it. */
  seeds: string;
  nodes: ClusterNode[];
  /** The node serving the slot of this key (`CLUSTER KEYSLOT` and `CLUSTER SLOTS`). */
  nodeFor(key: string): Promise<ClusterNode>;
  /** SIGTERM (Redis writes its AOF and exits), then starts again from the same files. */
  stopNode(node: ClusterNode): Promise<void>;
  startNode(node: ClusterNode): Promise<void>;
  /** Until every node says `cluster_state:ok`. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

function nodeArgs(dir: string, nodeTimeoutMs: number): string[] {
  return [
    "--cluster-enabled",
    "yes",
    "--cluster-config-file",
    path.join(dir, "nodes.conf"),
    "--cluster-node-timeout",
    String(nodeTimeoutMs),
    "--appendonly",
    "yes",
    "--appendfsync",
    "everysec",
  ];
}

async function cli(port: number, ...args: string[]): Promise<string> {
  return (await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { encoding: "utf8" })).stdout;
}

/** Starts three masters and joins them; `nodeTimeoutMs` is how long a silent node takes to be marked failed. */
export async function startCluster(o: { nodeTimeoutMs?: number } = {}): Promise<LocalCluster> {
  const root = mkdtempSync(path.join(os.tmpdir(), "bb-cluster-"));
  const timeout = o.nodeTimeoutMs ?? 5000;
  const nodes: ClusterNode[] = [];
  const exited = new WeakSet<ChildProcess>();
  const started = async (node: Omit<ClusterNode, "process">): Promise<ClusterNode> => {
    const child = await startRedisServer(node.port, node.dir, nodeArgs(node.dir, timeout));
    child.once("exit", () => exited.add(child));
    return { ...node, process: child };
  };
  try {
    for (let i = 0; i < 3; i++) {
      const dir = path.join(root, `n${i}`);
      mkdirSync(dir);
      nodes.push(await started({ port: await freePort(), dir }));
    }
    await run(
      "redis-cli",
      ["--cluster", "create", ...nodes.map((n) => `127.0.0.1:${n.port}`), "--cluster-replicas", "0", "--cluster-yes"],
      { encoding: "utf8" },
    );
  } catch (err) {
    for (const n of nodes) n.process.kill("SIGKILL");
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  const cluster: LocalCluster = {
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(","),
    nodes,
    async nodeFor(key) {
      const slot = Number((await cli(nodes[0]!.port, "CLUSTER", "KEYSLOT", key)).trim());
      for (const n of nodes) {
        const mine = (await cli(n.port, "CLUSTER", "NODES")).split("\n").find((l) => l.includes("myself"))!;
        // Fields 9 on are the node's slot ranges: "0-5460", or a single "7021".
        for (const range of mine.split(" ").slice(8)) {
          const [from, to = from] = range.split("-").map(Number);
          if (slot >= from! && slot <= to!) return n;
        }
      }
      throw new Error(`no node serves slot ${slot}`);
    },
    async stopNode(node) {
      const gone = new Promise<void>((r) => (exited.has(node.process) ? r() : node.process.once("exit", () => r())));
      node.process.kill("SIGTERM");
      await gone;
    },
    async startNode(node) {
      node.process = (await started(node)).process;
    },
    async ready() {
      for (let i = 0; ; i++) {
        const states = await Promise.all(nodes.map((n) => cli(n.port, "CLUSTER", "INFO").catch(() => "")));
        if (states.every((s) => s.includes("cluster_state:ok"))) return;
        if (i > 600) throw new Error("the local Redis Cluster did not reach cluster_state:ok");
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await Promise.all(
        nodes.map(
          (n) =>
            new Promise<void>((r) =>
              exited.has(n.process) ? r() : (n.process.once("exit", () => r()), n.process.kill("SIGKILL")),
            ),
        ),
      );
      rmSync(root, { recursive: true, force: true });
    },
  };
  await cluster.ready();
  return cluster;
}

/** The suite's cluster (vitest project "cluster"): started once, its seeds provided to every test. */
export default async function setup(project: TestProject) {
  const cluster = await startCluster();
  project.provide("redisMode", "cluster");
  project.provide("clusterNodes", cluster.seeds);
  project.provide("redisUrl", "");
  return () => cluster.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    redisMode: "single" | "cluster";
    /** The suite cluster's seeds (project "cluster"); "" in the single-Redis project. */
    clusterNodes: string;
  }
}
