package io.lookout.processors.save;

import io.lookout.processors.grouping.Grouper;
import io.lookout.processors.grouping.GroupingResult;
import io.lookout.processors.ingest.ProcessingStore;
import io.lookout.processors.kafka.BatchProducer;
import io.lookout.processors.process.ProcessedEvent;
import io.lookout.processors.save.SaveItem.AttachmentFile;
import io.lookout.processors.save.SaveItem.Kind;
import io.lookout.processors.save.SaveItem.UserReport;
import io.lookout.storage.kafka.message.AttachmentDescriptor;
import io.lookout.storage.kafka.message.EventStreamCodec;
import io.lookout.storage.kafka.message.EventStreamInsert;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeCodec;
import io.lookout.storage.kafka.message.OutcomeType;
import java.time.Instant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code save_event} for a batch, whatever brought it (a broker task batch or an inline poll
 * batch): reassembles attachments from their chunks, groups the errors, writes everything in one
 * transaction ({@link EventSaver}), then publishes {@code [2, "insert", event, state]} to
 * {@code events} (errors) or {@code transactions}, and finally drops the chunks it used. The future
 * succeeds only after the eventstream messages (and the {@code accepted} outcomes of the new events,
 * on {@code outcomes}) are acknowledged, so the caller's ack or commit comes last.
 */
public final class SavePipeline {

  private static final Logger LOG = LoggerFactory.getLogger(SavePipeline.class);

  private final EventSaver saver;
  private final Grouper grouper;
  private final ProcessingStore store;
  private final BatchProducer producer;
  private final String eventsTopic;
  private final String transactionsTopic;
  private final String outcomesTopic;
  private final int retentionDays;
  private final Counter saved;
  private final Counter replayed;
  private final Counter missingChunks;

  public SavePipeline(EventSaver saver, Grouper grouper, ProcessingStore store, BatchProducer producer,
      String eventsTopic, String transactionsTopic, String outcomesTopic, int retentionDays, MeterRegistry registry) {
    this.saver = saver;
    this.grouper = grouper;
    this.store = store;
    this.producer = producer;
    this.eventsTopic = eventsTopic;
    this.transactionsTopic = transactionsTopic;
    this.outcomesTopic = outcomesTopic;
    this.retentionDays = retentionDays;
    this.saved = Counter.builder("lookout.save.events").description("events saved for the first time")
        .register(registry);
    this.replayed = Counter.builder("lookout.save.replayed")
        .description("events saved again after a replay; they changed no counter").register(registry);
    this.missingChunks = Counter.builder("lookout.save.attachments.missing")
        .description("attachments dropped because their chunks had expired or never arrived").register(registry);
  }

  /** Saves processed events plus any standalone items (user reports, late attachments). */
  public Future<List<SavedEvent>> save(List<ProcessedEvent> events, List<SaveItem> extra) {
    List<String> chunkKeys = new ArrayList<>();
    for (ProcessedEvent event : events) {
      for (AttachmentDescriptor a : event.attachments()) {
        chunkKeys.addAll(chunkKeys(event.projectId(), event.eventId(), a));
      }
    }
    return store.getAll(chunkKeys).compose(chunks -> {
      Map<String, byte[]> byKey = new java.util.HashMap<>(chunks.size() * 2);
      for (int i = 0; i < chunkKeys.size(); i++) {
        byKey.put(chunkKeys.get(i), chunks.get(i));
      }
      List<SaveItem> items = new ArrayList<>(events.size() + extra.size());
      for (ProcessedEvent event : events) {
        addItems(items, event, byKey);
      }
      items.addAll(extra);
      return saver.save(items);
    }).compose(results -> publish(results).map(results))
        .compose(results -> store.deleteAll(chunkKeys).recover(err -> {
          LOG.warn("could not delete {} attachment chunks (they expire): {}", chunkKeys.size(), err.toString());
          return Future.succeededFuture();
        }).map(results));
  }

  /** Which of these node ids ({@code Nodestore.nodeId}) the nodestore holds: events already saved. */
  public Future<Set<String>> savedNodeIds(Collection<String> nodeIds) {
    return saver.savedNodeIds(nodeIds);
  }

  public static List<String> chunkKeys(long projectId, String eventId, AttachmentDescriptor a) {
    List<String> keys = new ArrayList<>();
    if (a.chunks() != null && !a.rateLimited()) {
      for (int i = 0; i < a.chunks(); i++) {
        keys.add(ProcessingStore.chunkKey(projectId, eventId, a.id(), i));
      }
    }
    return keys;
  }

  /** The attachment's content, or null when it cannot be had (chunks expired, objectstore reference). */
  public static byte[] content(long projectId, String eventId, AttachmentDescriptor a, Map<String, byte[]> chunks) {
    if (a.data() != null) {
      return a.data();
    }
    if (a.chunks() == null) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.size() == null ? 1024 : (int) Math.min(a.size(), 1 << 26));
    for (String key : chunkKeys(projectId, eventId, a)) {
      byte[] chunk = chunks.get(key);
      if (chunk == null) {
        return null;
      }
      out.writeBytes(chunk);
    }
    return out.toByteArray();
  }

  private void addItems(List<SaveItem> items, ProcessedEvent event, Map<String, byte[]> chunks) {
    List<AttachmentFile> files = new ArrayList<>();
    for (AttachmentDescriptor a : event.attachments()) {
      if (a.rateLimited()) {
        continue;
      }
      byte[] data = content(event.projectId(), event.eventId(), a, chunks);
      if (data == null) {
        missingChunks.increment();
        continue;
      }
      files.add(new AttachmentFile(a.name(), a.contentType(), a.attachmentType(), data));
    }
    GroupingResult grouping = event.kind() == Kind.ERROR ? grouper.group(event.event()) : null;
    items.add(new SaveItem(event.kind(), event.projectId(), event.organizationId(), event.eventId(),
        event.timestamp(), event.event(), grouping, files, null));
    if (event.kind() == Kind.FEEDBACK) {
      JsonObject feedback = event.event().getJsonObject("contexts", new JsonObject())
          .getJsonObject("feedback", new JsonObject());
      String associated = feedback.getString("associated_event_id");
      String target = associated != null && associated.replace("-", "").length() == 32
          ? associated.replace("-", "").toLowerCase(java.util.Locale.ROOT) : event.eventId();
      items.add(new SaveItem(Kind.USER_REPORT, event.projectId(), event.organizationId(), target,
          event.timestamp(), null, null, List.of(), new UserReport(feedback.getString("name"),
          feedback.getString("contact_email"), feedback.getString("message", ""))));
    }
  }

  private static double received(SaveItem item) {
    Object received = item.event().getValue("received");
    return received instanceof Number n ? n.doubleValue() : item.timestamp().toEpochMilli() / 1000.0;
  }

  /**
   * Sentry's {@code accepted} outcomes of a saved event (Relay leaves errors and transactions to the
   * save step): one for the event, one per attachment counting its bytes. Only first saves: a replay
   * accepted nothing new.
   */
  private void acceptedOutcomes(SavedEvent result, List<ProducerRecord<byte[], byte[]>> records) {
    SaveItem item = result.item();
    if (!result.isNew() || !item.hasEvent()) {
      return;
    }
    DataCategory category = switch (item.kind()) {
      case TRANSACTION -> DataCategory.TRANSACTION;
      case FEEDBACK -> DataCategory.FEEDBACK;
      default -> "default".equals(item.grouping() == null ? null : item.grouping().type()) ? DataCategory.DEFAULT
          : DataCategory.ERROR;
    };
    Instant now = Instant.now();
    records.add(outcome(new Outcome(now, item.organizationId(), item.projectId(), null, OutcomeType.ACCEPTED.code(),
        null, item.eventId(), null, null, category.code(), 1L)));
    for (AttachmentFile file : item.attachments()) {
      records.add(outcome(new Outcome(now, item.organizationId(), item.projectId(), null,
          OutcomeType.ACCEPTED.code(), null, item.eventId(), null, null, DataCategory.ATTACHMENT.code(),
          (long) file.data().length)));
    }
  }

  private ProducerRecord<byte[], byte[]> outcome(Outcome outcome) {
    return new ProducerRecord<>(outcomesTopic, null, OutcomeCodec.key(outcome), OutcomeCodec.encode(outcome));
  }

  private Future<Void> publish(List<SavedEvent> results) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (SavedEvent result : results) {
      acceptedOutcomes(result, records);
      SaveItem item = result.item();
      if (item.kind() != Kind.ERROR && item.kind() != Kind.TRANSACTION) {
        continue;
      }
      (result.isNew() ? saved : replayed).increment();
      boolean error = item.kind() == Kind.ERROR;
      EventStreamInsert.Event event = new EventStreamInsert.Event(item.eventId(), item.projectId(),
          item.organizationId(), result.groupId(), result.groupId() == null ? List.of() : List.of(result.groupId()),
          EventSaver.searchMessage(item), item.event().getString("platform"), item.timestamp(), item.event(),
          error ? item.grouping().primaryHash() : null, retentionDays, null, null);
      EventStreamInsert.State state = new EventStreamInsert.State(result.isNewGroup(), result.isRegression(),
          false, error ? EventStreamInsert.QUEUE_POST_PROCESS_ERRORS
              : EventStreamInsert.QUEUE_POST_PROCESS_TRANSACTIONS, false, null);
      EventStreamInsert insert = new EventStreamInsert(event, state);
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(error ? eventsTopic : transactionsTopic,
          null, EventStreamCodec.key(item.projectId()),
          result.json() != null ? EventStreamCodec.encode(insert, result.json()) : EventStreamCodec.encode(insert));
      for (Map.Entry<String, String> h : EventStreamCodec.headers(insert, received(item)).entrySet()) {
        record.headers().add(new RecordHeader(h.getKey(), h.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      records.add(record);
    }
    return producer.send(records);
  }
}
