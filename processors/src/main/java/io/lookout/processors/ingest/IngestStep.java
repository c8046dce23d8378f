package io.lookout.processors.ingest;

import io.lookout.processors.kafka.BatchProducer;
import io.lookout.processors.process.InvalidEventException;
import io.lookout.processors.project.ProjectInfo;
import io.lookout.processors.project.ProjectRegistry;
import io.lookout.processors.save.SaveItem;
import io.lookout.processors.save.SaveItem.AttachmentFile;
import io.lookout.processors.save.SaveItem.Kind;
import io.lookout.processors.save.SaveItem.UserReport;
import io.lookout.storage.kafka.message.AttachmentChunkMessage;
import io.lookout.storage.kafka.message.AttachmentMessage;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.kafka.message.IngestMessage;
import io.lookout.storage.kafka.message.UserReportMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an ingest consumer does with one poll batch, as Sentry's ingest consumers do it: decode
 * Relay's msgpack messages, dead-letter what cannot be decoded or belongs to no project, keep
 * attachment chunks for their event, drop duplicate events (one Redis pipeline), save user reports
 * and standalone attachments, and hand the events on to {@link EventHandoff} (the broker's
 * {@code process_event} queue, or process and save inline). The future succeeds once all of it is
 * durable; only then does the consumer commit the batch's offsets.
 */
public final class IngestStep {

  /** The next stage for the events of a batch. */
  @FunctionalInterface
  public interface EventHandoff {
    /**
     * Succeeds once the events are durably handed on; {@code extra} items are saved with them. The
     * result lists the events that can never be processed, for the dead-letter topic.
     */
    Future<List<Rejected>> handOff(List<IngestedEvent> events, List<SaveItem> extra);
  }

  /** An event message that passed dedup, with its project and where it came from. */
  public record IngestedEvent(EventMessage message, ProjectInfo project, ConsumerRecord<byte[], byte[]> record) {
  }

  /** An event the next stage refused for good. */
  public record Rejected(IngestedEvent event, String reason) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);

  private final String topic;
  private final String deadLetterTopic;
  private final Dedup dedup;
  private final ProcessingStore store;
  private final ProjectRegistry projects;
  private final BatchProducer producer;
  private final EventHandoff handoff;
  private final Counter deadLettered;
  private final Counter duplicates;

  public IngestStep(String topic, String deadLetterTopic, Dedup dedup, ProcessingStore store,
      ProjectRegistry projects, BatchProducer producer, EventHandoff handoff, MeterRegistry registry) {
    this.topic = topic;
    this.deadLetterTopic = deadLetterTopic;
    this.dedup = dedup;
    this.store = store;
    this.projects = projects;
    this.producer = producer;
    this.handoff = handoff;
    Tags tags = Tags.of("topic", topic);
    this.deadLettered = Counter.builder("lookout.ingest.dead_lettered").tags(tags)
        .description("messages sent to the dead-letter topic").register(registry);
    this.duplicates = Counter.builder("lookout.ingest.duplicates").tags(tags)
        .description("events dropped as duplicates of an event already ingested").register(registry);
  }

  private record Decoded(ConsumerRecord<byte[], byte[]> record, IngestMessage message) {
  }

  public Future<Void> handle(List<ConsumerRecord<byte[], byte[]>> records) {
    List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
    List<Decoded> decoded = new ArrayList<>(records.size());
    Set<Long> projectIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        IngestMessage message = IngestCodec.decode(record.value() == null ? new byte[0] : record.value());
        decoded.add(new Decoded(record, message));
        projectIds.add(projectOf(message));
      } catch (RuntimeException e) { // InvalidMessageException, and whatever a corrupt msgpack throws
        dead.add(deadLetter(record, "invalid message: " + e.getMessage()));
      }
    }
    return projects.getAll(projectIds).compose(found -> {
      Map<String, byte[]> chunks = new LinkedHashMap<>();
      List<EventMessage> events = new ArrayList<>();
      List<ConsumerRecord<byte[], byte[]>> eventRecords = new ArrayList<>();
      List<SaveItem> extra = new ArrayList<>();
      for (Decoded d : decoded) {
        IngestMessage message = d.message();
        if (!(message instanceof EventMessage || message instanceof AttachmentChunkMessage
            || message instanceof AttachmentMessage || message instanceof UserReportMessage)) {
          dead.add(deadLetter(d.record(), "unexpected message type '" + message.type() + "' on " + topic));
          continue;
        }
        Optional<ProjectInfo> project = found.get(projectOf(message));
        if (project.isEmpty()) {
          dead.add(deadLetter(d.record(), "project " + projectOf(message) + " does not exist"));
          continue;
        }
        try {
          if (message instanceof AttachmentChunkMessage c) {
            chunks.put(ProcessingStore.chunkKey(c.projectId(), c.eventId(), c.id(), c.chunkIndex()), c.payload());
          } else if (message instanceof EventMessage e) {
            events.add(e);
            eventRecords.add(d.record());
          } else if (message instanceof UserReportMessage r) {
            extra.add(userReport(r, project.get()));
          }
          // standalone attachments are collected below, once their chunks are stored
        } catch (InvalidEventException e) {
          dead.add(deadLetter(d.record(), e.getMessage()));
        }
      }
      List<AttachmentMessage> attachments = new ArrayList<>();
      for (Decoded d : decoded) {
        if (d.message() instanceof AttachmentMessage a && found.get(a.projectId()).isPresent()) {
          attachments.add(a);
        }
      }
      // chunks first: an event later in this batch, or in the next one, reads them
      return store.putAll(chunks)
          .compose(v -> attachmentItems(attachments, found))
          .compose(items -> {
            extra.addAll(items);
            return claim(events, eventRecords, found);
          })
          .compose(owned -> handoff.handOff(owned, extra))
          .compose(rejected -> {
            for (Rejected r : rejected) {
              dead.add(deadLetter(r.event().record(), r.reason()));
            }
            return sendDead(dead);
          });
    });
  }

  private Future<List<IngestedEvent>> claim(List<EventMessage> events, List<ConsumerRecord<byte[], byte[]>> records,
      Map<Long, Optional<ProjectInfo>> projects) {
    List<Dedup.Claim> claims = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      ConsumerRecord<byte[], byte[]> r = records.get(i);
      claims.add(new Dedup.Claim(events.get(i).projectId(), events.get(i).eventId(),
          r.topic() + ":" + r.partition() + ":" + r.offset()));
    }
    return dedup.claim(claims).map(owned -> {
      List<IngestedEvent> kept = new ArrayList<>(events.size());
      for (int i = 0; i < events.size(); i++) {
        if (owned[i]) {
          kept.add(new IngestedEvent(events.get(i), projects.get(events.get(i).projectId()).get(), records.get(i)));
        } else {
          duplicates.increment();
        }
      }
      return kept;
    });
  }

  /** Attachments sent after their event (Relay's standalone {@code attachment} messages). */
  private Future<List<SaveItem>> attachmentItems(List<AttachmentMessage> messages,
      Map<Long, Optional<ProjectInfo>> projects) {
    if (messages.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> keys = new ArrayList<>();
    for (AttachmentMessage m : messages) {
      keys.addAll(io.lookout.processors.save.SavePipeline.chunkKeys(m.projectId(), m.eventId(), m.attachment()));
    }
    return store.getAll(keys).map(values -> {
      Map<String, byte[]> byKey = new java.util.HashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        byKey.put(keys.get(i), values.get(i));
      }
      List<SaveItem> items = new ArrayList<>();
      for (AttachmentMessage m : messages) {
        if (m.attachment().rateLimited()) {
          continue;
        }
        byte[] data = io.lookout.processors.save.SavePipeline.content(m.projectId(), m.eventId(), m.attachment(), byKey);
        if (data == null) {
          LOG.warn("attachment {} of event {} dropped: its content is gone", m.attachment().id(), m.eventId());
          continue;
        }
        ProjectInfo project = projects.get(m.projectId()).get();
        items.add(new SaveItem(Kind.ATTACHMENT, m.projectId(), project.organizationId(), m.eventId(), Instant.now(),
            null, null, List.of(new AttachmentFile(m.attachment().name(), m.attachment().contentType(),
            m.attachment().attachmentType(), data)), null));
      }
      return items;
    });
  }

  /** Sentry's legacy user report: {@code {event_id, name, email, comments}}. */
  private static SaveItem userReport(UserReportMessage message, ProjectInfo project) {
    JsonObject report;
    try {
      report = new JsonObject(Buffer.buffer(message.payload()));
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidEventException("user report: payload is not a JSON object");
    }
    String eventId = message.eventId() != null ? message.eventId() : report.getString("event_id", "");
    eventId = eventId.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    if (!eventId.matches("[0-9a-f]{32}")) {
      throw new InvalidEventException("user report: event_id is not a UUID");
    }
    return new SaveItem(Kind.USER_REPORT, project.id(), project.organizationId(), eventId,
        Instant.ofEpochSecond(message.startTime()), null, null, List.of(),
        new UserReport(report.getString("name"), report.getString("email"), report.getString("comments", "")));
  }

  private Future<Void> sendDead(List<ProducerRecord<byte[], byte[]>> dead) {
    if (dead.isEmpty()) {
      return Future.succeededFuture();
    }
    deadLettered.increment(dead.size());
    return producer.send(dead);
  }

  private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
    LOG.warn("{}[{}]@{} dead-lettered: {}", record.topic(), record.partition(), record.offset(), reason);
    ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value());
    out.headers().add(new RecordHeader("error", reason.getBytes(StandardCharsets.UTF_8)));
    out.headers().add(new RecordHeader("original_topic", record.topic().getBytes(StandardCharsets.UTF_8)));
    out.headers().add(new RecordHeader("original_partition",
        Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8)));
    out.headers().add(new RecordHeader("original_offset",
        Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static long projectOf(IngestMessage message) {
    if (message instanceof EventMessage e) {
      return e.projectId();
    }
    if (message instanceof AttachmentChunkMessage c) {
      return c.projectId();
    }
    if (message instanceof AttachmentMessage a) {
      return a.projectId();
    }
    if (message instanceof UserReportMessage r) {
      return r.projectId();
    }
    return -1L;
  }
}
