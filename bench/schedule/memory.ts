// Memory: Redis bytes per daily subscriber. N users who already have a profile (as every user
// who talked to the bot does) subscribe with Daily.subscribe (the code /daily runs). Measured
// as the change in INFO used_memory on a private, otherwise empty redis-server, and with
// MEMORY USAGE summed over the keys for one subscriber as a cross-check.
//
//   npx tsx bench/schedule/memory.ts [N=100000]
import { Redis } from "ioredis";
import { DAILY_BUCKETS, dailyBucketOf, Keys } from "../../src/store/keys.js";
import { DueIndex } from "../../src/schedule/store.js";
import { Daily } from "../../src/schedule/daily.js";
import type { UserKey } from "../../src/core/types.js";
import { CORES, privateRedis } from "./lib.js";
import { RedisProfiles } from "../../src/store/profiles.js";
import { UserIndex } from "../../src/store/user-index.js";

const N = Number(process.argv[2] ?? 100_000);
const redisServer = await privateRedis();
const redis = new Redis(redisServer.url);
const keys = new Keys("bb");
const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))![1]);
const zones = ["Africa/Johannesburg", "Europe/London", "Africa/Lagos", "America/New_York"];
const users = Array.from({ length: N }, (_, i) => `telegram:${5_000_000_000 + i * 7919}` as UserKey);
try {
  const empty = await used();
  const profiles = new RedisProfiles(redis, keys);
  for (let i = 0; i < N; i += 500) await Promise.all(users.slice(i, i + 500).map((u) => profiles.touch(u, Date.now())));
  const withProfiles = await used();

  const daily = new Daily(new DueIndex(redis, keys), profiles, { now: () => Date.now() }, "Africa/Johannesburg");
  const times = ["06:30", "07:00", "07:30", "08:00", "20:00"];
  for (let i = 0; i < N; i += 500) {
    await Promise.all(
      users
        .slice(i, i + 500)
        .map((u, j) => daily.subscribe(u, times[(i + j) % times.length]!, zones[(i + j) % zones.length]!)),
    );
  }
  const withDaily = await used();

  const perSub = (withDaily - withProfiles) / N;
  const perUser = (withDaily - empty) / N;
  const one = users[1]!;
  const profileBytes = Number(await redis.memory("USAGE", keys.user(one, "profile")));
  // The due index (one head per daily bucket) and every daily bucket, summed, per subscriber.
  const bucketSizes = await Promise.all(
    Array.from({ length: DAILY_BUCKETS }, (_, b) => redis.memory("USAGE", keys.dailyBucket(b))),
  );
  const dueBytes =
    (Number(await redis.memory("USAGE", keys.sched("due"))) +
      bucketSizes.reduce<number>((a, b) => a + Number(b ?? 0), 0)) /
    N;
  const dailyBucket = keys.dailyBucket(dailyBucketOf(one));
  const [dailyMembers, dailyEncoding] = [await redis.zcard(dailyBucket), await redis.object("ENCODING", dailyBucket)];
  // The indexes are INDEX_BUCKETS hashes each: every bucket's MEMORY USAGE, summed, per member.
  const indexBytes = async (name: "users" | "subscribers") => {
    const sizes = await Promise.all(new UserIndex(redis, keys, name).bucketKeys().map((k) => redis.memory("USAGE", k)));
    return sizes.reduce<number>((a, b) => a + Number(b ?? 0), 0) / N;
  };
  const usersBytes = await indexBytes("users");
  const bucket = keys.indexOf("users", one);
  const [fields, encoding] = [await redis.hlen(bucket), await redis.object("ENCODING", bucket)];
  console.log(
    `schedule memory benchmark (${CORES} cores, redis ${/redis_version:(\S+)/.exec(await redis.info("server"))![1]})`,
  );
  console.log(
    `  method: ${N} users with a profile (Profiles.touch), then Daily.subscribe for each (time + zone on the`,
  );
  console.log(
    `          profile hash, the user in a daily bucket of the due index); INFO used_memory before and after.`,
  );
  console.log(
    `  daily subscription: ${perSub.toFixed(0)} bytes per subscriber (the bucket member + two profile fields)`,
  );
  console.log(`  whole user incl. profile hash: ${perUser.toFixed(0)} bytes per subscriber`);
  console.log(
    `  cross-check, MEMORY USAGE: profile hash ${profileBytes} B, due index and daily buckets ${dueBytes.toFixed(0)} B per subscriber (one bucket: ${dailyMembers} members, ${String(dailyEncoding)}), user index ${usersBytes.toFixed(0)} B per`,
  );
  console.log(`          member (bucket hashes summed, keys included;`);
  console.log(
    `          one bucket: ${fields} fields, ${String(encoding)}); the rest is the keyspace's own tables (profile keys)`,
  );
  console.log(`  where it goes: a Redis key costs its dict entry, object header and name before any data; a`);
  console.log(`          daily subscriber is a listpack entry in a bucket sorted set and an index member a listpack`);
  console.log(`          entry in a bucket hash, each plus a share of the bucket keys (fewer as users grow).`);
  console.log(
    `  baseline: the profile alone costs ${((withProfiles - empty) / N).toFixed(0)} B per user; the subscription adds ${((perSub / ((withProfiles - empty) / N)) * 100).toFixed(0)}% to it`,
  );
  console.log(
    `  aim <= 300 B per daily subscriber (all keys): ${perUser <= 300 ? "met" : perSub <= 300 ? "met for the subscription's own keys; not with the profile counted" : "NOT met"}`,
  );
} finally {
  redis.disconnect();
  redisServer.stop();
}
process.exit(0);
