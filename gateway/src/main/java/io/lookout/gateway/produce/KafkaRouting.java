package io.lookout.gateway.produce;

import io.lookout.gateway.envelope.ContentType;
import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemType;
import io.lookout.gateway.outcome.ClientReports;
import io.lookout.gateway.outcome.Outcomes;
import io.lookout.gateway.project.Scoping;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.AttachmentChunkMessage;
import io.lookout.storage.kafka.message.AttachmentDescriptor;
import io.lookout.storage.kafka.message.AttachmentMessage;
import io.lookout.storage.kafka.message.CheckInMessage;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.EventIds;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.kafka.message.IngestMessage;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeType;
import io.lookout.storage.kafka.message.ProfileChunkMessage;
import io.lookout.storage.kafka.message.ProfileMessage;
import io.lookout.storage.kafka.message.ReplayRecordingMessage;
import io.lookout.storage.kafka.message.SessionCodec;
import io.lookout.storage.kafka.message.SessionMessage;
import io.lookout.storage.kafka.message.SpanCodec;
import io.lookout.storage.kafka.message.SpanMessage;
import io.lookout.storage.kafka.message.TraceItemMessage;
import io.lookout.storage.kafka.message.UserReportMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Turns an accepted envelope into the Kafka records Relay's store service writes in processing
 * mode ({@code relay-server/src/services/store.rs}). Pure: no I/O, no clock except for the ids it
 * makes (attachment ids, a missing event id, trace item ids), thread-safe.
 *
 * <h2>Routing</h2>
 * <ul>
 *   <li>The event: the first {@code event}, {@code transaction}, {@code security},
 *       {@code raw_security} or {@code nel} item, as an {@code event} message with the
 *       attachments that matter to its processing, sent LAST. A transaction goes to
 *       {@code ingest-transactions}; any other event goes to {@code ingest-attachments} when the
 *       envelope holds an attachment or a user report (so that its chunks are read first, from
 *       the same partition: same key), else to {@code ingest-events}.
 *   <li>{@code attachment}: its content as 1 MiB {@code attachment_chunk}s on
 *       {@code ingest-attachments}, then its descriptor: inside the error event's
 *       {@code attachments}, or, without an event or with a transaction, as a standalone
 *       {@code attachment} message (content inline as {@code data} when it is smaller than one
 *       chunk; an empty attachment has {@code chunks: 0}).
 *   <li>{@code user_report}: a {@code user_report} message on {@code ingest-attachments}.
 *   <li>{@code feedback}: an {@code event} message on {@code ingest-feedback-events}.
 *   <li>{@code check_in}: a {@code check_in} message on {@code ingest-monitors}, keyed by Relay's
 *       routing hint (v5 UUID of {@code project:slug:environment}).
 *   <li>{@code session} / {@code sessions}: JSON {@link SessionMessage}s on
 *       {@code ingest-sessions} (see {@link Sessions}: Relay's last session-producing version).
 *   <li>{@code span}: one JSON {@link SpanMessage} per span on {@code ingest-spans} (a v2
 *       container explodes into its {@code items}), keyed by trace id.
 *   <li>{@code log} / {@code trace_metric}: one {@code TraceItem} protobuf per entry on
 *       {@code snuba-items} with headers {@code item_type}, {@code project_id} (see
 *       {@link TraceItems}).
 *   <li>{@code profile} / {@code profile_chunk}: {@code profile} / {@code profile_chunk} on
 *       {@code profiles}.
 *   <li>{@code replay_recording} (with the envelope's {@code replay_event}, if any) and
 *       {@code replay_video}: {@code replay_recording_not_chunked} on
 *       {@code ingest-replay-recordings}; Relay's snuba publishing of replay events is off, so a
 *       {@code replay_event} alone makes no record.
 *   <li>{@code client_report}: no record; its outcomes ({@link ClientReports}).
 *   <li>Everything else ({@code statsd}, {@code metric_buckets}, {@code form_data},
 *       {@code unreal_report}, unknown types, a second event item) is returned as
 *       {@link DroppedItem}.
 * </ul>
 * Keys are Relay's: the event id's 16 bytes for events and everything attached to them, the
 * check-in routing hint, the trace id for spans, none (producer's choice) for the rest.
 */
public final class KafkaRouting {

  /** Relay's {@code attachment_chunk_size} default: 1 MiB. */
  public static final int DEFAULT_ATTACHMENT_CHUNK_SIZE = 1024 * 1024;

  /** Relay's {@code max_replay_message_size} default: 15 MiB. */
  public static final int DEFAULT_MAX_REPLAY_MESSAGE_SIZE = 15 * 1024 * 1024;

  /** Bytes Relay reserves for the metadata of a replay recording message. */
  private static final int REPLAY_METADATA_OVERHEAD = 2000;

  /** Relay's {@code SLUG_LENGTH} and {@code ENVIRONMENT_LENGTH} for check-ins. */
  private static final int SLUG_LENGTH = 50;
  private static final int ENVIRONMENT_LENGTH = 64;

  private static final UUID CRONS_NAMESPACE =
      Uuids.v5(Uuids.NAMESPACE_URL, "https://sentry.io/crons/#did");

  private static final List<String> ROUTED_TOPICS = List.of(Topics.INGEST_EVENTS,
      Topics.INGEST_TRANSACTIONS, Topics.INGEST_ATTACHMENTS, Topics.INGEST_FEEDBACK_EVENTS,
      Topics.INGEST_MONITORS, Topics.INGEST_SESSIONS, Topics.INGEST_SPANS, Topics.SNUBA_ITEMS,
      Topics.PROFILES, Topics.INGEST_REPLAY_RECORDINGS);

  private final TopicNames topics;
  private final int chunkSize;
  private final int maxReplayMessageSize;

  private KafkaRouting(TopicNames topics, int chunkSize, int maxReplayMessageSize) {
    this.topics = Objects.requireNonNull(topics, "topics");
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("attachment chunk size must be > 0, got " + chunkSize);
    }
    if (maxReplayMessageSize <= REPLAY_METADATA_OVERHEAD) {
      throw new IllegalArgumentException("max replay message size must be > "
          + REPLAY_METADATA_OVERHEAD + ", got " + maxReplayMessageSize);
    }
    this.chunkSize = chunkSize;
    this.maxReplayMessageSize = maxReplayMessageSize;
  }

  /** Routing with Relay's default chunk and replay sizes. */
  public static KafkaRouting create(TopicNames topics) {
    return new KafkaRouting(topics, DEFAULT_ATTACHMENT_CHUNK_SIZE, DEFAULT_MAX_REPLAY_MESSAGE_SIZE);
  }

  /** Routing with the chunk and replay sizes of {@code config}. */
  public static KafkaRouting create(TopicNames topics, ProducerConfig config) {
    return new KafkaRouting(topics, config.attachmentChunkSize(), config.maxReplayMessageSize());
  }

  /** Routing with explicit sizes, in bytes. */
  public static KafkaRouting create(TopicNames topics, int attachmentChunkSize,
      int maxReplayMessageSize) {
    return new KafkaRouting(topics, attachmentChunkSize, maxReplayMessageSize);
  }

  /** The (mapped) names of every topic {@link #route} may write, e.g. to warm up a sender. */
  public List<String> topics() {
    return ROUTED_TOPICS.stream().map(topics::name).toList();
  }

  /** The records, outcomes and dropped items of {@code envelope}; see the class documentation. */
  public RoutedEnvelope route(Envelope envelope, ProduceScope scope) {
    return new Run(envelope, scope).route();
  }

  /** The state of one {@link #route} call. */
  private final class Run {

    private final Envelope envelope;
    private final ProduceScope scope;
    private final Scoping scoping;
    private final long startTime;
    private final String eventId;
    private final List<ProducedRecord> records = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<Outcome> accepted = new ArrayList<>();
    private final List<DroppedItem> dropped = new ArrayList<>();
    private final Outcomes outcomeFactory;

    Run(Envelope envelope, ProduceScope scope) {
      this.envelope = Objects.requireNonNull(envelope, "envelope");
      this.scope = Objects.requireNonNull(scope, "scope");
      this.scoping = scope.scoping();
      this.startTime = scope.receivedSeconds();
      String id = envelope.eventId().orElse(null);
      // Relay gives an envelope that needs an event id a new one when it parses the request
      // (a NEL report becomes an event only later, in processing: here it needs one too).
      boolean needsEvent = envelope.requiresEvent()
          || envelope.items().stream().anyMatch(item -> isEventItem(item.type()));
      this.eventId = id == null && needsEvent ? EventIds.random() : id;
      this.outcomeFactory = Outcomes.of(scoping, scope.receivedAt(), null, null);
    }

    RoutedEnvelope route() {
      EnvelopeItem eventItem = null;
      boolean slow = false;
      for (EnvelopeItem item : envelope.items()) {
        if (eventItem == null && isEventItem(item.type())) {
          eventItem = item;
        }
        slow |= item.type() == ItemType.ATTACHMENT || item.type() == ItemType.USER_REPORT;
      }
      boolean transaction = eventItem != null && eventItem.type() == ItemType.TRANSACTION;
      String eventTopic = transaction ? Topics.INGEST_TRANSACTIONS
          : slow ? Topics.INGEST_ATTACHMENTS : Topics.INGEST_EVENTS;
      boolean standaloneAttachments = eventItem == null || transaction;

      List<AttachmentDescriptor> attachments = new ArrayList<>();
      List<EnvelopeItem> clientReports = new ArrayList<>();
      EnvelopeItem replayEvent = null;
      EnvelopeItem replayRecording = null;
      for (EnvelopeItem item : envelope.items()) {
        if (item == eventItem) {
          continue;
        }
        switch (item.type()) {
          case ATTACHMENT -> {
            AttachmentDescriptor descriptor = attachment(item, standaloneAttachments);
            if (descriptor != null) {
              attachments.add(descriptor);
            }
          }
          case USER_REPORT -> send(Topics.INGEST_ATTACHMENTS, new UserReportMessage(
              scoping.projectId(), startTime, bytes(item.payload()), eventId));
          case FEEDBACK -> send(Topics.INGEST_FEEDBACK_EVENTS, new EventMessage(
              bytes(item.payload()), startTime, eventId, scoping.projectId(),
              scope.remoteAddr(), List.of()));
          case PROFILE -> send(Topics.PROFILES, new ProfileMessage(scoping.organizationId(),
              scoping.projectId(), scoping.keyId(), startTime, scope.retentionDays(),
              bytes(item.payload()), sampled(item)));
          case PROFILE_CHUNK -> send(Topics.PROFILES, new ProfileChunkMessage(scoping.organizationId(),
              scoping.projectId(), startTime, scope.retentionDays(), bytes(item.payload())));
          case REPLAY_EVENT -> replayEvent = item;
          case REPLAY_RECORDING -> replayRecording = item;
          case REPLAY_VIDEO -> replayVideo(item);
          case CHECK_IN -> checkIn(item);
          case SESSION -> sessions(Sessions.fromUpdate(item.payload(), scope));
          case SESSIONS -> sessions(Sessions.fromAggregates(item.payload(), scope));
          case SPAN -> spans(item);
          case LOG -> traceItems(item, true);
          case TRACE_METRIC -> traceItems(item, false);
          case CLIENT_REPORT -> clientReports.add(item);
          case EVENT, TRANSACTION, SECURITY, RAW_SECURITY, NEL ->
              // Relay refuses an envelope with two event items before it gets here.
              dropped.add(new DroppedItem(item, "duplicate_item"));
          case UNREAL_REPORT ->
              // Expanding Unreal crash reports into an event needs processing the gateway lacks.
              dropped.add(new DroppedItem(item, "process_unreal"));
          case FORM_DATA, STATSD, METRIC_BUCKETS, UNKNOWN -> dropped.add(new DroppedItem(item, null));
          default -> throw new IllegalStateException("unhandled item type " + item.type());
        }
      }
      if (replayRecording != null) {
        replayRecording(replayRecording, replayEvent);
      } else if (replayEvent != null) {
        dropped.add(new DroppedItem(replayEvent, null));
      }
      if (eventItem != null) {
        send(eventTopic, new EventMessage(bytes(eventItem.payload()), startTime, eventId,
            scoping.projectId(), scope.remoteAddr(), attachments));
      }
      outcomes.addAll(ClientReports.toOutcomes(clientReports, scoping, scope.receivedAt(),
          envelope.sentAt().orElse(null), scope.retentionDays()));
      return new RoutedEnvelope(eventId, records, outcomes, accepted, dropped);
    }

    /** Chunks (or inlines) one attachment; answers its descriptor when the event carries it. */
    private AttachmentDescriptor attachment(EnvelopeItem item, boolean standalone) {
      String id = UUID.randomUUID().toString();
      Buffer payload = item.payload();
      int size = payload.length();
      String name = item.filename().orElse(null);
      String contentType = contentType(item);
      String attachmentType = item.attachmentTypeName().orElse(AttachmentDescriptor.DEFAULT_TYPE);
      boolean rateLimited = Boolean.TRUE.equals(item.header().getValue("rate_limited"));
      AttachmentDescriptor descriptor;
      if (size == 0) {
        descriptor = AttachmentDescriptor.chunked(id, name, rateLimited, contentType,
            attachmentType, 0, 0);
      } else if (standalone && size < chunkSize) {
        descriptor = AttachmentDescriptor.inline(id, name, rateLimited, contentType,
            attachmentType, bytes(payload));
      } else {
        int chunks = 0;
        for (int offset = 0; offset < size; offset += chunkSize) {
          int end = Math.min(size, offset + chunkSize);
          send(Topics.INGEST_ATTACHMENTS, new AttachmentChunkMessage(payload.getBytes(offset, end),
              eventId, scoping.projectId(), id, chunks++));
        }
        descriptor = AttachmentDescriptor.chunked(id, name, rateLimited, contentType,
            attachmentType, size, chunks);
      }
      if (standalone) {
        send(Topics.INGEST_ATTACHMENTS,
            new AttachmentMessage(eventId, scoping.projectId(), descriptor));
        return null;
      }
      return descriptor;
    }

    private void checkIn(EnvelopeItem item) {
      byte[] key = checkInRoutingHint(item.payload(), scoping.projectId());
      if (key == null) {
        // Relay drops a check-in it cannot read without an outcome ("TODO: Track an outcome").
        dropped.add(new DroppedItem(item, null));
        return;
      }
      CheckInMessage message = new CheckInMessage(bytes(item.payload()), startTime,
          scope.client(), scoping.projectId(), scope.retentionDays());
      records.add(new ProducedRecord(topics.name(Topics.INGEST_MONITORS), key,
          IngestCodec.encode(message), message.kafkaHeaders()));
    }

    private void sessions(List<SessionMessage> messages) {
      for (SessionMessage message : messages) {
        records.add(new ProducedRecord(topics.name(Topics.INGEST_SESSIONS), null,
            SessionCodec.encode(message)));
      }
    }

    private void spans(EnvelopeItem item) {
      List<Object> spans = entries(item);
      if (spans == null) {
        dropped.add(new DroppedItem(item, "invalid_span"));
        return;
      }
      double received = scope.receivedAt().getEpochSecond()
          + (scope.receivedAt().getNano() / 1_000) / 1_000_000d;
      int produced = 0;
      int invalid = 0;
      for (Object entry : spans) {
        if (!(entry instanceof JsonObject span)) {
          invalid++;
          continue;
        }
        SpanMessage message = new SpanMessage(scoping.organizationId(), scoping.projectId(),
            scoping.keyId(), eventId, received, scope.retentionDays(),
            scope.downsampledRetentionDays(), span);
        UUID traceId = span.getValue("trace_id") instanceof String s ? Uuids.parse(s) : null;
        records.add(new ProducedRecord(topics.name(Topics.INGEST_SPANS),
            traceId == null ? null : Uuids.bytes(traceId), SpanCodec.encode(message),
            message.kafkaHeaders()));
        produced++;
      }
      if (invalid > 0) {
        outcomes.add(outcomeFactory.outcome(OutcomeType.INVALID, "invalid_span",
            DataCategory.SPAN, invalid));
        outcomes.add(outcomeFactory.outcome(OutcomeType.INVALID, "invalid_span",
            DataCategory.SPAN_INDEXED, invalid));
      }
      if (produced > 0) {
        // Relay emits these itself for spans: nothing downstream does.
        accepted.add(outcomeFactory.outcome(OutcomeType.ACCEPTED, null,
            DataCategory.SPAN_INDEXED, produced));
      }
    }

    private void traceItems(EnvelopeItem item, boolean logs) {
      List<Object> entries = entries(item);
      String reason = logs ? "invalid_log" : "invalid_trace_metric";
      if (entries == null) {
        dropped.add(new DroppedItem(item, reason));
        return;
      }
      int produced = 0;
      long producedBytes = 0;
      int invalid = 0;
      long invalidBytes = 0;
      for (Object entry : entries) {
        long size = entry instanceof JsonObject o ? o.toBuffer().length() : 1;
        TraceItems.TraceItem traceItem = !(entry instanceof JsonObject o) ? null
            : logs ? TraceItems.fromLog(o, scope, size) : TraceItems.fromMetric(o, scope);
        if (traceItem == null) {
          invalid++;
          invalidBytes += size;
          continue;
        }
        TraceItemMessage message = new TraceItemMessage(scoping.projectId(),
            traceItem.itemType(), TraceItems.encode(traceItem));
        records.add(new ProducedRecord(topics.name(Topics.SNUBA_ITEMS), null, message.payload(),
            message.kafkaHeaders()));
        produced++;
        producedBytes += size;
      }
      // Relay counts logs and their bytes separately, so that quotas on either can apply.
      if (invalid > 0) {
        if (logs) {
          outcomes.add(outcomeFactory.outcome(OutcomeType.INVALID, reason,
              DataCategory.LOG_ITEM, invalid));
          outcomes.add(outcomeFactory.outcome(OutcomeType.INVALID, reason,
              DataCategory.LOG_BYTE, invalidBytes));
        } else {
          outcomes.add(outcomeFactory.outcome(OutcomeType.INVALID, reason,
              DataCategory.TRACE_METRIC, invalid));
        }
      }
      if (produced > 0) {
        if (logs) {
          accepted.add(outcomeFactory.outcome(OutcomeType.ACCEPTED, null,
              DataCategory.LOG_ITEM, produced));
          accepted.add(outcomeFactory.outcome(OutcomeType.ACCEPTED, null,
              DataCategory.LOG_BYTE, producedBytes));
        } else {
          accepted.add(outcomeFactory.outcome(OutcomeType.ACCEPTED, null,
              DataCategory.TRACE_METRIC, produced));
        }
      }
    }

    private void replayRecording(EnvelopeItem recording, EnvelopeItem replayEvent) {
      replay(recording, bytes(recording.payload()),
          replayEvent == null ? null : bytes(replayEvent.payload()), null);
    }

    private void replayVideo(EnvelopeItem item) {
      byte[][] parts = videoParts(item.payload());
      if (parts == null) {
        dropped.add(new DroppedItem(item, "invalid_replay"));
        return;
      }
      replay(item, parts[1], parts[0], parts[2]);
    }

    private void replay(EnvelopeItem item, byte[] recording, byte[] replayEvent, byte[] video) {
      if (eventId == null) {
        // Relay fails the store of such an envelope (no replay id): an internal error.
        dropped.add(new DroppedItem(item, "internal"));
        return;
      }
      long size = REPLAY_METADATA_OVERHEAD + recording.length
          + (replayEvent == null ? 0 : replayEvent.length) + (video == null ? 0 : video.length);
      if (size >= maxReplayMessageSize) {
        dropped.add(new DroppedItem(item, "too_large:replay_recording"));
        return;
      }
      send(Topics.INGEST_REPLAY_RECORDINGS, new ReplayRecordingMessage(eventId,
          scoping.keyId(), scoping.organizationId(), scoping.projectId(), startTime,
          scope.retentionDays(), recording, replayEvent, video, true));
    }

    private void send(String logicalTopic, IngestMessage message) {
      records.add(new ProducedRecord(topics.name(logicalTopic), message.kafkaKey(),
          IngestCodec.encode(message), message.kafkaHeaders()));
    }
  }

  private static boolean isEventItem(ItemType type) {
    return type == ItemType.EVENT || type == ItemType.TRANSACTION || type == ItemType.SECURITY
        || type == ItemType.RAW_SECURITY || type == ItemType.NEL;
  }

  /** The {@code content_type} as Relay writes it: canonical for known types, else as sent. */
  private static String contentType(EnvelopeItem item) {
    ContentType type = item.contentType();
    return type.mime() != null ? type.mime() : item.contentTypeName().orElse(null);
  }

  /** Relay's {@code sampled} item header, true unless the header says false. */
  private static boolean sampled(EnvelopeItem item) {
    return !Boolean.FALSE.equals(item.header().getValue("sampled"));
  }

  /**
   * The entries of a container item ({@code {"items": [...]}}), or the item's one JSON object;
   * null if the payload is neither.
   */
  private static List<Object> entries(EnvelopeItem item) {
    Object json;
    try {
      json = Json.decodeValue(item.payload());
    } catch (DecodeException e) {
      return null;
    }
    if (!(json instanceof JsonObject object)) {
      return null;
    }
    if (object.getValue("items") instanceof JsonArray items
        && (item.isContainer() || item.itemCount().isPresent() || object.size() == 1)) {
      List<Object> entries = new ArrayList<>(items.size());
      // iterating (unlike getList) wraps nested maps and lists as JsonObject / JsonArray
      items.forEach(entries::add);
      return entries;
    }
    return item.isContainer() ? null : List.of(object);
  }

  /**
   * Relay's check-in routing hint: the v5 UUID of {@code "{project_id}:{slug}:{environment}"}
   * (slug cut to 50 characters, environment {@code production} when absent or empty) in the
   * {@code https://sentry.io/crons/#did} namespace; null when Relay would drop the check-in (not
   * JSON, no slug, environment over 64 characters).
   */
  static byte[] checkInRoutingHint(Buffer payload, long projectId) {
    JsonObject checkIn;
    try {
      checkIn = Json.decodeValue(payload) instanceof JsonObject o ? o : null;
    } catch (DecodeException e) {
      return null;
    }
    if (checkIn == null || !(checkIn.getValue("monitor_slug") instanceof String slug)) {
      return null;
    }
    if (slug.codePointCount(0, slug.length()) > SLUG_LENGTH) {
      slug = slug.substring(0, slug.offsetByCodePoints(0, SLUG_LENGTH));
    }
    if (slug.isEmpty()) {
      return null;
    }
    Object env = checkIn.getValue("environment");
    if (env != null && !(env instanceof String)) {
      return null;
    }
    String environment = (String) env;
    if (environment != null
        && environment.codePointCount(0, environment.length()) > ENVIRONMENT_LENGTH) {
      return null;
    }
    if (environment == null || environment.isEmpty()) {
      environment = "production";
    }
    return Uuids.bytes(Uuids.v5(CRONS_NAMESPACE, projectId + ":" + slug + ":" + environment));
  }

  /**
   * The {@code replay_event}, {@code replay_recording} and {@code replay_video} bins of a
   * {@code replay_video} item (a msgpack map); null if it is not one with all three.
   */
  private static byte[][] videoParts(Buffer payload) {
    byte[][] parts = new byte[3][];
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(payload.getBytes())) {
      int entries = unpacker.unpackMapHeader();
      for (int i = 0; i < entries; i++) {
        String key = unpacker.unpackString();
        int index = switch (key) {
          case "replay_event" -> 0;
          case "replay_recording" -> 1;
          case "replay_video" -> 2;
          default -> -1;
        };
        if (index < 0) {
          unpacker.skipValue();
        } else {
          parts[index] = unpacker.readPayload(unpacker.unpackBinaryHeader());
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return parts[0] == null || parts[1] == null || parts[2] == null ? null : parts;
  }

  private static byte[] bytes(Buffer buffer) {
    return buffer.getBytes();
  }
}
