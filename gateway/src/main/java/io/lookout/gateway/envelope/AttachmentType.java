package io.lookout.gateway.envelope;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code attachment_type} item header of an {@code attachment} item, as Relay knows it
 * ({@code relay-server/src/envelope/attachment.rs}). Absent means {@link #ATTACHMENT}. An
 * unknown value is {@link #UNKNOWN}; the item keeps the raw name in its header
 * ({@link EnvelopeItem#attachmentTypeName()}) so it can be forwarded unchanged.
 */
public enum AttachmentType {
  /** A regular attachment without special meaning (the default). */
  ATTACHMENT("event.attachment", false),
  /** A minidump crash report (binary). */
  MINIDUMP("event.minidump", true),
  /** An Apple crash report (text). */
  APPLE_CRASH_REPORT("event.applecrashreport", true),
  /** A msgpack event payload from a multipart upload; merged into the event, never stored. */
  EVENT_PAYLOAD("event.payload", true),
  /** Msgpack breadcrumbs (one of two swap buffers); merged into the event, never stored. */
  BREADCRUMBS("event.breadcrumbs", true),
  /** An application UI view hierarchy (JSON). */
  VIEW_HIERARCHY("event.view_hierarchy", false),
  /** A PlayStation crash dump. */
  PROSPERODUMP("playstation.prosperodump", true),
  /** A Nintendo Switch dying message. */
  NINTENDO_SWITCH_DYING_MESSAGE("nswitch.dying_message", false),
  /** Unreal Engine 4 crash context (binary). */
  UNREAL_CONTEXT("unreal.context", false),
  /** Unreal Engine 4 logs (binary). */
  UNREAL_LOGS("unreal.logs", false),
  /** A value this version does not know; it never creates an event (as in Relay). */
  UNKNOWN(null, false);

  private static final Map<String, AttachmentType> BY_NAME = new HashMap<>();

  static {
    for (AttachmentType type : values()) {
      if (type.wireName != null) {
        BY_NAME.put(type.wireName, type);
      }
    }
  }

  private final String wireName;
  private final boolean createsEvent;

  AttachmentType(String wireName, boolean createsEvent) {
    this.wireName = wireName;
    this.createsEvent = createsEvent;
  }

  /** The header value, e.g. {@code event.minidump}; {@code null} for {@link #UNKNOWN}. */
  public String wireName() {
    return wireName;
  }

  /** Whether an attachment of this type makes an event on its own (crash reports, event payloads). */
  public boolean createsEvent() {
    return createsEvent;
  }

  /** Exact (case-sensitive) match, as in Relay; anything else is {@link #UNKNOWN}. */
  public static AttachmentType fromWireName(String name) {
    AttachmentType type = name == null ? null : BY_NAME.get(name);
    return type == null ? UNKNOWN : type;
  }
}
