// The WhatsApp channel's sending side against the fake Graph API: the 24-hour window and
// templates, and what each injected Meta error leads to.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../src/app.js";
import { loadContent } from "../src/content/content.js";
import { done } from "../src/core/context.js";
import { defineCommand } from "../src/core/flow.js";
import { coreFlows } from "../src/core/flows/index.js";
import { text } from "../src/core/types.js";
import { WhatsAppChannel } from "../src/channels/whatsapp/channel.js";
import { WhatsAppClient } from "../src/channels/whatsapp/client.js";
import { WhatsAppContacts } from "../src/channels/whatsapp/contacts.js";
import { parseWebhook } from "../src/channels/whatsapp/inbound.js";
import type { Channel } from "../src/channels/types.js";
import { DeliveryError, type ProactiveKind } from "../src/core/ports/delivery.js";
import { FakeWhatsApp, WA, postWebhook, seen, textMessage, whatsappEnv } from "./fakes/whatsapp.js";
import { FakeClock, MESSAGES_DIR, silentLog, startTestBot } from "./helpers/bot.js";
import { help } from "./helpers/messages.js";
import { makeEngine } from "./helpers/engine.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);

let wa: FakeWhatsApp;
let r: TestRedis;
let bot: RunningApp;
let channel: Channel;
const clock = new FakeClock(T0);
let nextUser = 27_830_000_100;
const newUser = () => String(nextUser++);

beforeAll(async () => {
  wa = await new FakeWhatsApp().start();
  r = await testRedis();
  bot = await startTestBot({
    redis: r,
    clock,
    env: whatsappEnv(wa, {
      WHATSAPP_TEMPLATE_DAILY: "bounce_back_daily",
      WHATSAPP_TEMPLATE_REMINDER: "bounce_back_reminder",
    }),
  });
  channel = bot.channels.get("whatsapp")!;
});
afterAll(async () => {
  await bot.stop();
  await wa.stop();
  await r.cleanup();
});

/** The user writes at the fake clock's time; resolves once the bot answered. */
async function userWrites(u: string, words = "/help"): Promise<void> {
  const before = wa.sentTo(u).length;
  await postWebhook(bot.httpPort!, textMessage(u, words, { timestamp: Math.floor(clock.now() / 1000) }));
  await eventually(() => wa.sentTo(u).length > before);
}

const reminder = (words: string) => [text(words, [{ label: "Done", value: "/done r1" }])];
const proactive = (kind: ProactiveKind, params: string[]) => ({ proactive: { kind, params } });

describe("the 24-hour window", () => {
  it("sends a reminder due 2 days after the user's last message as the template", async () => {
    clock.set(T0);
    const u = newUser();
    await userWrites(u);
    clock.set(T0 + 2 * DAY);
    await channel.send(
      u,
      reminder("Call Thandi about the role"),
      proactive("reminder", ["Call Thandi\nabout the role"]),
    );
    const last = wa.sentTo(u).at(-1)!;
    expect(last.payload).toMatchObject({
      type: "template",
      template: {
        name: "bounce_back_reminder",
        language: { code: "en" },
        // Meta refuses new lines in parameters: flattened.
        components: [{ type: "body", parameters: [{ type: "text", text: "Call Thandi about the role" }] }],
      },
    });
  });

  it("sends one due within the window as normal messages", async () => {
    clock.set(T0);
    const u = newUser();
    await userWrites(u);
    clock.set(T0 + 20 * 3600_000);
    await channel.send(u, reminder("Call Thandi"), proactive("reminder", ["Call Thandi"]));
    const last = wa.sentTo(u).at(-1)!;
    expect(seen(last)).toEqual({ text: "Call Thandi", labels: ["Done"], style: "buttons" });
  });

  it("falls back to the template when a free-form send gets 131047", async () => {
    clock.set(T0);
    const u = newUser();
    await userWrites(u);
    wa.fail({ code: 131047, to: u, type: "interactive" });
    await channel.send(u, reminder("Update the CV"), proactive("daily", ["Small steps count."]));
    expect(wa.refused.filter((x) => x.to === u).map((x) => x.code)).toEqual([131047]);
    expect(seen(wa.sentTo(u).at(-1)!).text).toBe("template:bounce_back_daily");
  });

  it("says needs_template when no template is configured for that kind", async () => {
    clock.set(T0);
    const u = newUser();
    await userWrites(u);
    clock.set(T0 + 3 * DAY);
    await expect(channel.send(u, reminder("x"), proactive("broadcast", ["x"]))).rejects.toMatchObject({
      failure: { status: "needs_template" },
    });
  });

  it("sends replies without `proactive` as normal messages whatever the window", async () => {
    clock.set(T0);
    const u = newUser();
    await userWrites(u);
    clock.set(T0 + 3 * DAY);
    await channel.send(u, [text("hello")]);
    expect(seen(wa.sentTo(u).at(-1)!).style).toBe("text");
  });
});

describe("Meta's errors", () => {
  it("backs off on 130429 and retries a reply, delivering it once", async () => {
    clock.set(T0);
    const u = newUser();
    wa.fail({ code: 130429, to: u });
    await userWrites(u, "/help");
    const refused = wa.refused.filter((x) => x.to === u);
    expect(refused.map((x) => x.code)).toEqual([130429]);
    expect(wa.sentTo(u).map((s) => seen(s).text)).toEqual([help()]);
    // The retry came after the 2 s Meta asks for on 130429, measured at the fake.
    expect(wa.sentTo(u)[0]!.at - refused[0]!.at).toBeGreaterThanOrEqual(1900);
  });

  it("classifies scheduled-send failures for the delivery queue, without retrying", async () => {
    clock.set(T0);
    const u = newUser();
    await userWrites(u);
    const failureOf = async (code: number) => {
      wa.fail({ code, to: u });
      const err = await channel.send(u, [text("x")]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DeliveryError);
      return (err as DeliveryError).failure;
    };
    expect(await failureOf(130429)).toMatchObject({ status: "rate_limited", scope: "channel" });
    expect(await failureOf(131056)).toMatchObject({ status: "rate_limited", scope: "user" });
    expect(await failureOf(131049)).toMatchObject({ status: "rate_limited", scope: "user" });
    expect(await failureOf(500)).toMatchObject({ status: "transient" });
    expect(await failureOf(131048)).toMatchObject({ status: "rejected" });
    expect(await failureOf(190)).toMatchObject({
      status: "rejected",
      reason: expect.stringContaining("WHATSAPP_TOKEN"),
    });
    expect(await failureOf(131026)).toMatchObject({ status: "gone" });
    // Seven failures, seven attempts: nothing was retried behind the queue's back.
    expect(wa.refused.filter((x) => x.to === u)).toHaveLength(7);
  });

  it("stops proactive messages to a user after 131026, until they write again", async () => {
    clock.set(T0);
    const u = newUser();
    await userWrites(u);
    wa.fail({ code: 131026, to: u });
    await expect(channel.send(u, reminder("a"), proactive("daily", ["a"]))).rejects.toMatchObject({
      failure: { status: "gone" },
    });
    // Marked: the next proactive message is refused without a call to Meta.
    const tried = wa.refused.length + wa.sent.length;
    await expect(channel.send(u, reminder("b"), proactive("daily", ["b"]))).rejects.toMatchObject({
      failure: { status: "gone" },
    });
    expect(wa.refused.length + wa.sent.length).toBe(tried);
    // Writing again shows they are reachable: proactive messages resume (inside the window, as text).
    await userWrites(u);
    await channel.send(u, reminder("c"), proactive("daily", ["c"]));
    expect(seen(wa.sentTo(u).at(-1)!).text).toBe("c");
  });

  it("reports a network failure or a timeout as transient", async () => {
    const client = new WhatsAppClient({
      apiRoot: "http://127.0.0.1:9",
      version: WA.version,
      phoneNumberId: WA.phoneNumberId,
      token: WA.token,
      timeoutMs: 500,
    });
    const { classify } = await import("../src/channels/whatsapp/client.js");
    const err = await client.sendMessage("27820000000", { type: "text", text: { body: "x" } }).catch((e: unknown) => e);
    expect(classify(err)).toMatchObject({ status: "transient" });
  });
});

describe("STOP and UNSUBSCRIBE", () => {
  // A stand-in for the schedule's /stop flow (src/core/flows/daily.ts) proves the words reach it.
  const stopped: string[] = [];
  const stopFlow = defineCommand({
    name: "stop_stub",
    commands: ["stop"],
    async start(ctx) {
      stopped.push(ctx.user);
      return done(text("stopped"));
    },
  });

  it("reach /stop on WhatsApp, idle or in the middle of a flow", async () => {
    const rr = await testRedis();
    const content = loadContent(MESSAGES_DIR, "en");
    const engine = makeEngine(rr.redis, rr.prefix, {
      clock,
      flows: [...coreFlows.filter((f) => f.name !== "stop"), stopFlow],
    });
    const unreachable = async () => undefined;
    const ch = new WhatsAppChannel(
      { engine, catalog: content.for("en"), log: silentLog, clock, unreachable },
      {
        client: new WhatsAppClient({
          apiRoot: wa.url,
          version: WA.version,
          phoneNumberId: WA.phoneNumberId,
          token: WA.token,
        }),
        contacts: new WhatsAppContacts(rr.redis, rr.keys),
        defaultTimezone: "Africa/Johannesburg",
        templates: { names: {}, language: "en" },
      },
    );
    const say = (u: string, words: string) =>
      ch.handleEvents(parseWebhook(textMessage(u, words), WA.phoneNumberId).events);
    try {
      await say("27840000001", "STOP");
      await say("27840000002", "Unsubscribe");
      await say("27840000003", "/start"); // now in the consent question
      await say("27840000003", "stop");
      expect(stopped).toEqual(["whatsapp:27840000001", "whatsapp:27840000002", "whatsapp:27840000003"]);
      expect(
        wa
          .sentTo("27840000003")
          .map((s) => seen(s).text)
          .at(-1),
      ).toBe("stopped");
    } finally {
      await ch.stop();
      await rr.cleanup();
    }
  });
});

describe("the window's start", () => {
  it("only moves forward: an old message redelivered late does not shorten it", async () => {
    clock.set(T0 + DAY);
    const u = newUser();
    await userWrites(u, "/help"); // at T0 + 1 day
    const late = textMessage(u, "/tip", { timestamp: Math.floor(T0 / 1000) }); // written a day earlier
    await postWebhook(bot.httpPort!, late);
    await eventually(() => wa.sentTo(u).length >= 2);
    expect(Number(await r.redis.hget(r.keys.user(`whatsapp:${u}`, "profile"), "waLastInboundAt"))).toBe(T0 + DAY);
  });
});
