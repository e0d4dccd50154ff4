// The real bot's HTTP server and WhatsApp channel, signed webhooks in Meta's shapes, replies
// through a fake Graph API, state in real Redis.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../src/app.js";
import { WEBHOOK_MAX_BODY, whatsappWebhook } from "../src/channels/whatsapp/webhook.js";
import type { WhatsAppEvent } from "../src/channels/whatsapp/inbound.js";
import {
  FakeWhatsApp,
  WA,
  batch,
  buttonReply,
  choiceIds,
  failedStatus,
  fixture,
  listReply,
  otherMessage,
  postWebhook,
  seen,
  sign,
  textMessage,
  whatsappEnv,
} from "./fakes/whatsapp.js";
import { NOT_UNDERSTOOD } from "./helpers/language.js";
import { en, silentLog, startTestBot } from "./helpers/bot.js";
import { help } from "./helpers/messages.js";
import { injectable } from "./helpers/http.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";

let wa: FakeWhatsApp;
let r: TestRedis;
let bot: RunningApp;
let port: number;
let nextUser = 27_820_000_100;
const newUser = () => String(nextUser++);

beforeAll(async () => {
  wa = await new FakeWhatsApp().start();
  r = await testRedis();
  bot = await startTestBot({ redis: r, env: whatsappEnv(wa) });
  port = bot.httpPort!;
});
afterAll(async () => {
  await bot.stop();
  await wa.stop();
  await r.cleanup();
});

const texts = (to: string) => wa.sentTo(to).map((s) => seen(s).text);
const profile = (user: string) => r.redis.hgetall(r.keys.user(`whatsapp:${user}`, "profile"));

describe("GET /whatsapp/webhook (Meta's verification)", () => {
  const get = (q: Record<string, string | undefined>) =>
    fetch(
      `http://127.0.0.1:${port}/whatsapp/webhook?${new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined))}`,
    );

  it("answers the challenge when the verify token matches", async () => {
    const res = await get({
      "hub.mode": "subscribe",
      "hub.verify_token": WA.verifyToken,
      "hub.challenge": "1158201444",
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("1158201444");
  });

  it("refuses a wrong token, a missing token and another mode with 403", async () => {
    for (const q of [
      { "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1" },
      { "hub.mode": "subscribe", "hub.challenge": "1" },
      { "hub.mode": "unsubscribe", "hub.verify_token": WA.verifyToken, "hub.challenge": "1" },
    ]) {
      const res = await get(q);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain("1");
    }
  });
});

describe("POST /whatsapp/webhook", () => {
  it("answers a text message and stores both ids and a guessed time zone", async () => {
    const u = newUser();
    const res = await postWebhook(port, textMessage(u, "hi", { userId: "ZA.998877" }));
    expect(res.status).toBe(200);
    await eventually(() => texts(u).length >= 2);
    expect(texts(u)[0]).toBe(en.text("core.welcome"));
    const p = await profile(u);
    expect(p.waId).toBe(u);
    expect(p.waUserId).toBe("ZA.998877");
    expect(p.timezone).toBe("Africa/Johannesburg");
    expect(Number(p.waLastInboundAt)).toBeGreaterThan(0);
  });

  it("refuses a missing or wrong signature with 401 and processes nothing", async () => {
    const u = newUser();
    const body = JSON.stringify(textMessage(u, "/help"));
    const attempts = [
      await postWebhook(port, body, { signature: null }),
      await postWebhook(port, body, { signature: sign(body, "not-the-app-secret") }),
      await postWebhook(port, body, { signature: sign(body + " ") }), // the signature of other bytes
      await postWebhook(port, body, { signature: "sha1=" + sign(body).slice(7) }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    // A later, valid message proves the refused ones were dropped, not just slow.
    await postWebhook(port, textMessage(u, "/tip"));
    await eventually(() => texts(u).length >= 1);
    expect(texts(u)).toHaveLength(1);
    expect(texts(u)[0]).not.toBe(help());
  });

  it("answers a malformed body 400 and an unknown object 200 without processing", async () => {
    expect((await postWebhook(port, "{not json")).status).toBe(400);
    expect((await postWebhook(port, "[1,2]")).status).toBe(400);
    const u = newUser();
    const page = { ...textMessage(u, "/help"), object: "page" };
    const res = await postWebhook(port, page);
    expect(res).toEqual({ status: 200, text: "ignored" });
    expect(await r.redis.exists(r.keys.user(`whatsapp:${u}`, "profile"))).toBe(0);
  });

  it("takes a 3 MB body, and refuses one past the cap with 413", async () => {
    const u = newUser();
    const delivered = fixture("status_delivered").entry[0]!.changes[0]!.value.statuses as object[];
    const payload = textMessage(u, "/help");
    const value = payload.entry[0]!.changes[0]!.value;
    const one = JSON.stringify(delivered[0]).length + 1;
    value.statuses = Array.from({ length: Math.floor((3 * 1024 * 1024) / one) }, () => delivered[0]);
    const body = JSON.stringify(payload);
    expect(body.length).toBeGreaterThan(3 * 1024 * 1024 - 2048);
    expect((await postWebhook(port, body)).status).toBe(200);
    await eventually(() => texts(u).length >= 1);
    expect(texts(u)).toEqual([help()]);

    const tooBig = Buffer.alloc(WEBHOOK_MAX_BODY + 1024, 0x20);
    expect((await postWebhook(port, tooBig)).status).toBe(413);
  });

  it("answers 50 messages in one body, each user's in order", async () => {
    const users = Array.from({ length: 10 }, newUser);
    const payloads = users.flatMap((u) =>
      ["/help", "/tip", "/cancel", "qwerty zxcvb", "/help"].map((t) => textMessage(u, t)),
    );
    // Meta is answered before any message is handled: with every send held, the 200 still comes.
    const release = wa.hold();
    try {
      const res = await postWebhook(port, batch(...payloads));
      expect(res.status).toBe(200);
      expect(users.flatMap((u) => texts(u))).toEqual([]);
    } finally {
      release();
    }
    await eventually(() => users.every((u) => texts(u).length >= 5), 15_000);
    for (const u of users) {
      const t = texts(u);
      expect(t).toHaveLength(5);
      expect(t[0]).toBe(help());
      expect(t[2]).toBe(en.text("core.nothing_to_cancel"));
      expect(t[3]).toBe(NOT_UNDERSTOOD);
      expect(t[4]).toBe(help());
    }
  });

  it("handles the same message id twice only once", async () => {
    const u = newUser();
    const m = textMessage(u, "/help", { id: "wamid.same-one" });
    await postWebhook(port, m);
    await postWebhook(port, m);
    await postWebhook(port, textMessage(u, "/cancel"));
    await eventually(() => texts(u).length >= 2);
    expect(texts(u)).toEqual([help(), en.text("core.nothing_to_cancel")]);
  });

  it("takes button and list replies as choices, and other types as unsupported", async () => {
    const u = newUser();
    await postWebhook(port, textMessage(u, "/start"));
    await eventually(() => texts(u).length >= 2);
    const consent = wa.sentTo(u)[1]!;
    expect(seen(consent)).toMatchObject({
      style: "buttons",
      labels: [en.label("consent_yes"), en.label("consent_no")],
    });
    await postWebhook(port, buttonReply(u, choiceIds(consent)[0]!, en.label("consent_yes")));
    await eventually(() => texts(u).length >= 3);
    expect(texts(u)[2]).toBe(en.text("consent.thanks_yes"));
    expect((await profile(u)).consent).toBe("yes");
    // The menu after consent: buttons up to 3 choices, a list beyond.
    const menu = seen(wa.sentTo(u)[2]!);
    expect(menu.style).toBe(menu.labels.length <= 3 ? "buttons" : "list");

    await postWebhook(port, listReply(u, "/help", en.label("menu_help")));
    await eventually(() => texts(u).length >= 4);
    expect(texts(u)[3]).toBe(help());

    for (const type of ["image", "sticker", "location", "reaction", "audio"])
      await postWebhook(port, otherMessage(u, type));
    await eventually(() => texts(u).length >= 9);
    expect(texts(u).slice(4)).toEqual(Array(5).fill(en.text("core.unsupported")));
  });

  it("guesses the time zone from the country code once, and keeps one the user chose", async () => {
    const ng = "2348031234567";
    await postWebhook(port, textMessage(ng, "/help", { userId: "NG.1" }));
    await eventually(async () => (await profile(ng)).timezone);
    expect((await profile(ng)).timezone).toBe("Africa/Lagos");
    await r.redis.hset(r.keys.user(`whatsapp:${ng}`, "profile"), "timezone", "Europe/London");
    await postWebhook(port, textMessage(ng, "/tip"));
    await eventually(() => texts(ng).length >= 2);
    expect((await profile(ng)).timezone).toBe("Europe/London");
    const us = "15551234567";
    await postWebhook(port, textMessage(us, "/help", { userId: "US.1" }));
    await eventually(() => texts(us).length >= 1);
    expect((await profile(us)).timezone).toBe(bot.config.DEFAULT_TIMEZONE);
  });

  it("keys a user without a phone number by their business-scoped id", async () => {
    const payload = textMessage("0", "/help", { userId: "ZA.77665544" });
    const value = payload.entry[0]!.changes[0]!.value;
    delete (value.contacts as Record<string, unknown>[])[0]!.wa_id;
    delete (value.messages as Record<string, unknown>[])[0]!.from;
    await postWebhook(port, payload);
    await eventually(() => wa.sentTo("ZA.77665544").length >= 1);
    expect(wa.sentTo("ZA.77665544")[0]!.payload.recipient).toBe("ZA.77665544");
    expect((await r.redis.hgetall(r.keys.user("whatsapp:ZA.77665544", "profile"))).timezone).toBe(
      "Africa/Johannesburg",
    );
  });

  it("stops proactive messages to a user after a failed status 131026", async () => {
    const u = newUser();
    await postWebhook(port, textMessage(u, "/help"));
    await eventually(() => texts(u).length >= 1);
    expect((await postWebhook(port, failedStatus(u, 131026))).status).toBe(200);
    await eventually(async () => (await profile(u)).waProactiveStopped);
    const channel = bot.channels.get("whatsapp")!;
    const before = wa.sent.length + wa.refused.length;
    await expect(
      channel.send(u, [{ kind: "text", text: "daily" }], { proactive: { kind: "daily", params: ["x"] } }),
    ).rejects.toMatchObject({
      failure: { status: "gone" },
    });
    expect(wa.sent.length + wa.refused.length).toBe(before);
    // Delivered and read statuses change nothing.
    await postWebhook(port, fixture("status_delivered"));
    expect((await profile(u)).waProactiveStopped).toContain("131026");
  });
});

describe("while shutting down", () => {
  it("answers 503 so Meta redelivers, and hands nothing to the channel", async () => {
    const handed: unknown[] = [];
    const server = await injectable(
      whatsappWebhook({
        channel: {
          accepting: false,
          ready: async () => true,
          handleEvents: async (e: readonly WhatsAppEvent[]) => void handed.push(e),
        },
        appSecret: WA.appSecret,
        verifyToken: WA.verifyToken,
        phoneNumberId: WA.phoneNumberId,
        log: silentLog,
      }),
    );
    const body = JSON.stringify(textMessage("27820000999", "/help"));
    const res = await server.app.inject({
      method: "POST",
      url: "/whatsapp/webhook",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
      payload: body,
    });
    expect(res.statusCode).toBe(503);
    expect(handed).toHaveLength(0);
    await server.close();
  });
});
