// /mydata on WhatsApp, through the real channel (fake Graph API, signed webhooks): the readable
// list, then the full JSON as a document (uploaded, sent by media id); if the upload fails, the
// list is followed by the note that no file could be sent, and nothing is lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../src/app.js";
import { FakeWhatsApp, postWebhook, seen, textMessage, whatsappEnv } from "./fakes/whatsapp.js";
import { en, startTestBot } from "./helpers/bot.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";

let wa: FakeWhatsApp;
let r: TestRedis;
let bot: RunningApp;
beforeAll(async () => {
  wa = await new FakeWhatsApp().start();
  r = await testRedis();
  bot = await startTestBot({ redis: r, env: whatsappEnv(wa) });
});
afterAll(async () => {
  await bot.stop();
  await wa.stop();
  await r.cleanup();
});

async function say(user: string, words: string, n: number): Promise<void> {
  const before = wa.sentTo(user).length;
  expect((await postWebhook(bot.httpPort!, textMessage(user, words))).status).toBe(200);
  await eventually(() => wa.sentTo(user).length >= before + n, 10_000, `${n} replies to "${words}"`);
}

describe("/mydata on WhatsApp", () => {
  it("sends the readable list, then the JSON as a document", async () => {
    const user = "27825550201";
    await say(user, "hi", 2);
    await say(user, "1", 1); // consent: yes
    await say(user, "mydata", 2);
    const [list, doc] = wa.sentTo(user).slice(-2);
    expect(seen(list!).text).toContain("📄 Everything I keep about you");
    const d = doc!.payload as { type: string; document: { id: string; filename: string; caption: string } };
    expect(d.type).toBe("document");
    expect(d.document.filename).toMatch(/^bounce-back-my-data-\d{4}-\d\d-\d\d\.json$/);
    expect(d.document.caption).toBe(en.text("privacy.export_caption"));
    const upload = wa.uploads.find((u) => u.id === d.document.id)!;
    expect(upload.type).toBe("text/plain");
    expect(JSON.parse(upload.bytes.toString("utf8")).user).toBe(`whatsapp:${user}`);
  });

  it("sends the note instead of the file when the upload fails", async () => {
    const user = "27825550202";
    await say(user, "hi", 2);
    await say(user, "1", 1);
    wa.fail({ edge: "media", code: 500, times: 10 });
    await say(user, "mydata", 2);
    const [list, note] = wa
      .sentTo(user)
      .slice(-2)
      .map((s) => seen(s).text);
    expect(list).toContain("📄 Everything I keep about you");
    expect(note).toBe(en.text("privacy.export_no_file"));
  });
});
