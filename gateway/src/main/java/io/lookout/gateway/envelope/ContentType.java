package io.lookout.gateway.envelope;

import java.util.Locale;

/**
 * The {@code content_type} item header, as Relay classifies it
 * ({@code relay-server/src/envelope/content_type.rs}): known values compare case-insensitively;
 * the raw header value stays in the item ({@link EnvelopeItem#contentTypeName()}).
 */
public enum ContentType {
  /** No {@code content_type} header. */
  NONE(null),
  TEXT("text/plain"),
  JSON("application/json"),
  NDJSON("application/x-ndjson"),
  MSGPACK("application/x-msgpack"),
  OCTET_STREAM("application/octet-stream"),
  MINIDUMP("application/x-dmp"),
  /** {@code text/xml} or {@code application/xml}. */
  XML("text/xml"),
  ENVELOPE("application/x-sentry-envelope"),
  PROTOBUF("application/x-protobuf"),
  /** A container of logs; the item carries {@code item_count}. */
  LOG_CONTAINER("application/vnd.sentry.items.log+json"),
  /** A container of v2 spans; the item carries {@code item_count}. */
  SPAN_V2_CONTAINER("application/vnd.sentry.items.span.v2+json"),
  /** A container of trace metrics; the item carries {@code item_count}. */
  TRACE_METRIC_CONTAINER("application/vnd.sentry.items.trace-metric+json"),
  /** An attachment of a trace or span; {@code meta_length} bytes of metadata come first. */
  TRACE_ATTACHMENT("application/vnd.sentry.trace-attachment"),
  /** Any other value. */
  OTHER(null);

  private final String mime;

  ContentType(String mime) {
    this.mime = mime;
  }

  /** The canonical MIME type; {@code null} for {@link #NONE} and {@link #OTHER}. */
  public String mime() {
    return mime;
  }

  /** Whether items of this content type hold several entries counted by {@code item_count}. */
  public boolean isContainer() {
    return this == LOG_CONTAINER || this == SPAN_V2_CONTAINER || this == TRACE_METRIC_CONTAINER;
  }

  public static ContentType of(String value) {
    if (value == null) {
      return NONE;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    for (ContentType type : values()) {
      if (type.mime != null && type.mime.equals(lower)) {
        return type;
      }
    }
    return switch (lower) {
      case "application/xml" -> XML;
      case "application/vnd.sentry.attachment.v2" -> TRACE_ATTACHMENT;
      default -> OTHER;
    };
  }
}
