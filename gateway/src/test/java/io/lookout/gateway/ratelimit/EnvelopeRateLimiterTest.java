package io.lookout.gateway.ratelimit;

import io.lookout.gateway.project.Scoping;
import static io.lookout.storage.kafka.message.DataCategory.ATTACHMENT;
import static io.lookout.storage.kafka.message.DataCategory.ATTACHMENT_ITEM;
import static io.lookout.storage.kafka.message.DataCategory.ERROR;
import static io.lookout.storage.kafka.message.DataCategory.FEEDBACK;
import static io.lookout.storage.kafka.message.DataCategory.LOG_BYTE;
import static io.lookout.storage.kafka.message.DataCategory.LOG_ITEM;
import static io.lookout.storage.kafka.message.DataCategory.MONITOR;
import static io.lookout.storage.kafka.message.DataCategory.PROFILE;
import static io.lookout.storage.kafka.message.DataCategory.PROFILE_CHUNK;
import static io.lookout.storage.kafka.message.DataCategory.PROFILE_CHUNK_UI;
import static io.lookout.storage.kafka.message.DataCategory.PROFILE_INDEXED;
import static io.lookout.storage.kafka.message.DataCategory.REPLAY;
import static io.lookout.storage.kafka.message.DataCategory.SESSION;
import static io.lookout.storage.kafka.message.DataCategory.SPAN;
import static io.lookout.storage.kafka.message.DataCategory.SPAN_INDEXED;
import static io.lookout.storage.kafka.message.DataCategory.TRANSACTION;
import static io.lookout.storage.kafka.message.DataCategory.TRANSACTION_INDEXED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemType;
import io.lookout.gateway.ratelimit.EnvelopeLimits.Outcome;
import io.lookout.storage.kafka.message.DataCategory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cases of Relay's {@code test_enforce_*} in relay-server/src/utils/rate_limits.rs, and ours. */
class EnvelopeRateLimiterTest {

  private static final Scoping SCOPING = new Scoping(42, 21, 17L);
  private static final String TEN = "0123456789";

  private static EnvelopeItem item(ItemType type) {
    return EnvelopeItem.create(type, Buffer.buffer(TEN));
  }

  private static EnvelopeItem item(JsonObject header) {
    return EnvelopeItem.create(header, Buffer.buffer(TEN));
  }

  private static EnvelopeItem minidump() {
    return item(new JsonObject().put("type", "attachment").put("attachment_type", "event.minidump"));
  }

  private static EnvelopeItem traceAttachment(boolean ofSpan) {
    JsonObject header = new JsonObject().put("type", "attachment")
        .put("content_type", "application/vnd.sentry.trace-attachment");
    if (ofSpan) {
      header.put("span_id", "b0e6f15b45c36b12");
    }
    return item(header);
  }

  private static Envelope envelope(EnvelopeItem... items) {
    Envelope envelope = Envelope.create(new JsonObject());
    for (EnvelopeItem item : items) {
      envelope.add(item);
    }
    return envelope;
  }

  private static EnvelopeLimits enforce(DenyingRateLimiter limiter, Envelope envelope) throws Exception {
    return new EnvelopeRateLimiter(limiter).enforce(envelope, SCOPING, List.of())
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void emptyEnvelopeIsNotChecked() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ERROR);

    EnvelopeLimits limits = enforce(limiter, envelope());

    assertThat(limits).isEqualTo(EnvelopeLimits.NONE);
    assertThat(limiter.requests).isZero();
  }

  @Test
  void itemsThatCountNothingAreNotChecked() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ERROR);

    EnvelopeLimits limits = enforce(limiter, envelope(item(ItemType.CLIENT_REPORT), item(ItemType.NEL)));

    assertThat(limits.rejected()).isFalse();
    assertThat(limiter.requests).isZero();
  }

  @Test
  void limitedErrorEventEmptiesTheEnvelopeSoTheRequestIsRejected() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ERROR);
    Envelope envelope = envelope(item(ItemType.EVENT));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.isEmpty()).isTrue();
    assertThat(limits.rejected()).isTrue();
    assertThat(limits.limits().toHeader()).isEqualTo("60:error:organization:error");
    assertThat(limits.outcomes()).containsExactly(new Outcome(ERROR, 1, "error"));
    assertThat(limiter.calls).containsExactly(entry(ERROR, 1L));
  }

  @Test
  void limitedEventTakesItsAttachmentsWithItsReasonWithoutCheckingThem() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ERROR);
    Envelope envelope = envelope(item(ItemType.EVENT), item(ItemType.ATTACHMENT),
        item(ItemType.USER_REPORT));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.isEmpty()).isTrue();
    assertThat(limits.rejected()).isTrue();
    assertThat(limits.dropped()).hasSize(3);
    assertThat(limits.outcomes()).containsExactly(new Outcome(ERROR, 1, "error"),
        new Outcome(ATTACHMENT, 10, "error"), new Outcome(ATTACHMENT_ITEM, 1, "error"),
        new Outcome(FEEDBACK, 1, "error"));
    assertThat(limiter.calls).containsOnlyKeys(ERROR, FEEDBACK);
  }

  @Test
  void limitedAttachmentsDropOnlyTheAttachmentAndTheEventIsStillAccepted() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ATTACHMENT);
    EnvelopeItem event = item(ItemType.EVENT);
    Envelope envelope = envelope(event, item(ItemType.ATTACHMENT));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.items()).containsExactly(event);
    assertThat(limits.rejected()).isFalse();
    assertThat(limits.limits().toHeader()).isEqualTo("60:attachment:organization:attachment");
    assertThat(limits.outcomes()).containsExactly(new Outcome(ATTACHMENT, 10, "attachment"),
        new Outcome(ATTACHMENT_ITEM, 1, "attachment"));
    assertThat(limiter.calls).containsExactly(entry(ERROR, 1L), entry(ATTACHMENT, 10L));
  }

  @Test
  void attachmentCountIsCheckedWhenBytesPass() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ATTACHMENT_ITEM);
    Envelope envelope = envelope(item(ItemType.EVENT), item(ItemType.ATTACHMENT), item(ItemType.ATTACHMENT));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.size()).isEqualTo(1);
    assertThat(limits.outcomes()).containsExactly(new Outcome(ATTACHMENT, 20, "attachment_item"),
        new Outcome(ATTACHMENT_ITEM, 2, "attachment_item"));
    assertThat(limiter.calls).containsExactly(entry(ERROR, 1L), entry(ATTACHMENT, 20L),
        entry(ATTACHMENT_ITEM, 2L));
  }

  @Test
  void limitedMinidumpEventEmptiesTheEnvelope() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ERROR);
    Envelope envelope = envelope(minidump());

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.isEmpty()).isTrue();
    assertThat(limits.rejected()).isTrue();
    assertThat(limiter.calls).containsExactly(entry(ERROR, 1L));
  }

  @Test
  void crashReportStaysMarkedWhenOnlyAttachmentsAreLimited() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ATTACHMENT);
    EnvelopeItem dump = minidump();
    Envelope envelope = envelope(dump, item(ItemType.ATTACHMENT));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.items()).containsExactly(dump);
    assertThat(limits.rateLimitedAttachments()).containsExactly(dump);
    assertThat(limits.rejected()).isFalse();
    assertThat(limits.limits().isLimited()).isTrue();
    assertThat(limiter.calls).containsExactly(entry(ERROR, 1L), entry(ATTACHMENT, 20L));
    assertThat(limits.outcomes()).containsExactly(new Outcome(ATTACHMENT, 20, "attachment"),
        new Outcome(ATTACHMENT_ITEM, 2, "attachment"));
  }

  @Test
  void limitsOnlyOnCrashReportsAreNotToldToTheClient() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ATTACHMENT);
    Envelope envelope = envelope(minidump());

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.size()).isEqualTo(1);
    assertThat(limits.limits().isLimited()).isFalse();
    assertThat(limits.rateLimitedAttachments()).hasSize(1);
  }

  @Test
  void limitedTransactionDropsItWithItsSpansAndIndexedCategories() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(TRANSACTION);
    EnvelopeItem transaction = item(new JsonObject().put("type", "transaction").put("span_count", 3));
    Envelope envelope = envelope(transaction, item(ItemType.PROFILE));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.isEmpty()).isTrue();
    assertThat(limiter.calls).containsExactly(entry(TRANSACTION, 1L));
    assertThat(limits.outcomes()).containsExactly(new Outcome(TRANSACTION, 1, "transaction"),
        new Outcome(TRANSACTION_INDEXED, 1, "transaction"), new Outcome(SPAN, 4, "transaction"),
        new Outcome(SPAN_INDEXED, 4, "transaction"), new Outcome(PROFILE, 1, "transaction"),
        new Outcome(PROFILE_INDEXED, 1, "transaction"));
  }

  @Test
  void transactionIndexedIsCheckedAfterTransactionAndDropsIt() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(TRANSACTION_INDEXED);
    Envelope envelope = envelope(item(ItemType.TRANSACTION));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.isEmpty()).isTrue();
    assertThat(limits.rejected()).isTrue();
    assertThat(limiter.calls).containsExactly(entry(TRANSACTION, 1L), entry(TRANSACTION_INDEXED, 1L));
  }

  @Test
  void spansAreCheckedWhenTheTransactionPasses() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(SPAN);
    EnvelopeItem transaction = item(new JsonObject().put("type", "transaction").put("span_count", 2));
    Envelope envelope = envelope(transaction, item(ItemType.SPAN));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.items()).containsExactly(transaction);
    assertThat(limiter.calls).containsExactly(entry(TRANSACTION, 1L), entry(TRANSACTION_INDEXED, 1L),
        entry(SPAN, 4L));
    assertThat(limits.outcomes()).containsExactly(new Outcome(SPAN, 1, "span"),
        new Outcome(SPAN_INDEXED, 1, "span"));
  }

  @Test
  void spanAttachmentsFollowTheirSpans() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(SPAN);
    Envelope envelope = envelope(item(ItemType.SPAN), traceAttachment(true));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.isEmpty()).isTrue();
    assertThat(limiter.calls).containsExactly(entry(SPAN, 1L));
    assertThat(limits.limits().toHeader()).isEqualTo("60:span:organization:span");
  }

  @Test
  void traceAttachmentsAreLimitedOnTheirOwnAndNotToldToTheClient() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ATTACHMENT);
    Envelope envelope = envelope(traceAttachment(false));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.isEmpty()).isTrue();
    assertThat(limits.rejected()).isTrue();
    assertThat(limits.limits().isLimited()).isFalse();
    assertThat(limiter.calls).containsExactly(entry(ATTACHMENT, 10L));
  }

  @Test
  void limitedSessionsAreDroppedWithoutOutcomes() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(SESSION);
    EnvelopeItem event = item(ItemType.EVENT);
    Envelope envelope = envelope(event, item(ItemType.SESSION));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.items()).containsExactly(event);
    assertThat(limits.dropped()).hasSize(1);
    assertThat(limits.outcomes()).isEmpty();
    assertThat(limits.limits().toHeader()).isEqualTo("60:session:organization:session");
    assertThat(limits.rejected()).isFalse();
  }

  @Test
  void standaloneProfilesAreLimitedWithTheirIndexedCategory() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(PROFILE);
    Envelope envelope = envelope(item(ItemType.PROFILE), item(ItemType.PROFILE));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.isEmpty()).isTrue();
    assertThat(limiter.calls).containsExactly(entry(PROFILE, 2L));
    assertThat(limits.outcomes()).containsExactly(new Outcome(PROFILE, 2, "profile"),
        new Outcome(PROFILE_INDEXED, 2, "profile"));
  }

  @Test
  void profileWithoutTransactionIsLimitedByTransactionQuotas() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(TRANSACTION);
    Envelope envelope = envelope(item(ItemType.PROFILE));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.isEmpty()).isTrue();
    assertThat(limiter.calls).containsExactly(entry(PROFILE, 1L), entry(TRANSACTION, 0L));
    assertThat(limits.outcomes()).first().isEqualTo(new Outcome(PROFILE, 1, "transaction"));
  }

  @Test
  void profileChunksAreLimitedByTheirPlatform() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(PROFILE_CHUNK_UI);
    EnvelopeItem backend = item(new JsonObject().put("type", "profile_chunk").put("platform", "python"));
    EnvelopeItem ui = item(new JsonObject().put("type", "profile_chunk").put("platform", "javascript"));
    EnvelopeItem unknown = item(ItemType.PROFILE_CHUNK);
    Envelope envelope = envelope(backend, ui, unknown);

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.items()).containsExactly(backend, unknown);
    assertThat(limiter.calls).containsExactly(entry(PROFILE_CHUNK, 1L), entry(PROFILE_CHUNK_UI, 1L));
    assertThat(limits.outcomes()).containsExactly(new Outcome(PROFILE_CHUNK_UI, 1, "profile_chunk_ui"));
  }

  @Test
  void replaysLogsCheckInsAndUserReportsAreLimitedPerCategory() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(REPLAY, LOG_BYTE, MONITOR, FEEDBACK);
    EnvelopeItem metric = item(ItemType.TRACE_METRIC);
    Envelope envelope = envelope(item(ItemType.REPLAY_EVENT), item(ItemType.REPLAY_RECORDING),
        item(ItemType.LOG), item(ItemType.CHECK_IN), item(ItemType.USER_REPORT), metric);

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.items()).containsExactly(metric);
    assertThat(limits.rejected()).isFalse();
    assertThat(limiter.calls).containsOnlyKeys(DataCategory.TRACE_METRIC, LOG_ITEM, LOG_BYTE, REPLAY,
        FEEDBACK, MONITOR);
    assertThat(limits.limits().asList()).hasSize(4);
  }

  @Test
  void itemsNoQuotaCoversKeepTheRequestAccepted() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter(ERROR);
    EnvelopeItem report = item(ItemType.CLIENT_REPORT);
    Envelope envelope = envelope(item(ItemType.EVENT), report);

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.items()).containsExactly(report);
    assertThat(limits.rejected()).isFalse();
    assertThat(limits.limits().isLimited()).isTrue();
  }

  @Test
  void nothingLimitedLeavesTheEnvelopeAlone() throws Exception {
    DenyingRateLimiter limiter = new DenyingRateLimiter();
    Envelope envelope = envelope(item(ItemType.EVENT), item(ItemType.ATTACHMENT), item(ItemType.SESSION));

    EnvelopeLimits limits = enforce(limiter, envelope);

    assertThat(envelope.size()).isEqualTo(3);
    assertThat(limits.items()).isEmpty();
    assertThat(limits.limits().isLimited()).isFalse();
    assertThat(limits.rejected()).isFalse();
    assertThat(limiter.requests).isEqualTo(1);
  }
}
