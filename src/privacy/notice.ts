// The inactivity notice (retention.ts): a user silent for INACTIVE_MONTHS is told, through their
// own channel, that their data goes in a week unless they write. After months of silence it is
// always a proactive message: on WhatsApp only an approved template may carry it (the channel
// maps the kind "inactivity" to WHATSAPP_TEMPLATE_INACTIVITY).
import type { Content } from "../content/content.js";
import { failureOf, type Sender } from "../core/ports/delivery.js";
import type { Profiles } from "../core/ports/state.js";
import { channelOf, platformIdOf, type ChannelName, type UserKey } from "../core/types.js";
import { userRef, type Logger } from "../log.js";

/** sent; unreachable (blocked, or no template): the week of grace starts anyway; failed: try tomorrow. */
export type NoticeResult = "sent" | "unreachable" | "failed";

export interface NoticeOptions {
  senders: ReadonlyMap<ChannelName, Sender>;
  profiles: Pick<Profiles, "get">;
  content: Content;
  inactiveMonths: number;
  log: Logger;
}

export function inactivityNotifier(o: NoticeOptions): (user: UserKey) => Promise<NoticeResult> {
  return async (user) => {
    const channel = o.senders.get(channelOf(user));
    if (!channel) return "failed";
    const t = o.content.for(o.content.localeFor(await o.profiles.get(user)));
    try {
      await channel.send(
        platformIdOf(user),
        [{ kind: "text", text: t.text("privacy.inactive_notice", { inactive: o.inactiveMonths }) }],
        {
          proactive: { kind: "inactivity", params: [String(o.inactiveMonths)] },
        },
      );
      return "sent";
    } catch (err) {
      const failure = failureOf(err);
      if (failure?.status === "gone") return "unreachable";
      if (failure?.status === "needs_template") {
        // We cannot tell them without a template; retention must still happen, so their week
        // of grace starts anyway (they can still come back by writing).
        o.log.warn(
          { user: userRef(user) },
          'inactivity notice needs a WhatsApp template (kind "inactivity"); none configured, so the user was not told',
        );
        return "unreachable";
      }
      o.log.warn({ err, user: userRef(user) }, "inactivity notice not delivered; will try again tomorrow");
      return "failed";
    }
  };
}
