package io.lookout.gateway.limits;

import io.lookout.gateway.endpoint.Rejection;
import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeItem;
import java.util.Optional;

/**
 * Relay's per-item size checks (relay-server utils/sizes.rs {@code check_envelope_size_limits}): an
 * envelope with any item over its type's limit, attachments over their total or count, or too many
 * sessions is rejected whole with 413 and an invalid outcome {@code too_large:<item>}.
 */
public final class ItemLimits {

  private final LimitsConfig limits;

  public ItemLimits(LimitsConfig limits) {
    this.limits = limits;
  }

  public Optional<Rejection> check(Envelope envelope) {
    long attachmentsSize = 0;
    int attachmentCount = 0;
    long sessionCount = 0;
    for (EnvelopeItem item : envelope.items()) {
      long size = item.payloadLength();
      long max;
      switch (item.type()) {
        case EVENT, TRANSACTION, SECURITY, RAW_SECURITY, NEL, USER_REPORT, FEEDBACK, FORM_DATA, REPLAY_EVENT -> {
          max = limits.maxEventSize();
        }
        case ATTACHMENT, UNREAL_REPORT -> {
          max = limits.maxAttachmentSize();
          attachmentsSize += size;
          attachmentCount++;
        }
        case SESSION -> {
          max = limits.maxEventSize();
          sessionCount += 1;
        }
        case SESSIONS -> {
          max = limits.maxSessionsSize();
          sessionCount += 1;
        }
        case CLIENT_REPORT -> max = limits.maxClientReportsSize();
        case CHECK_IN -> max = limits.maxCheckInSize();
        case SPAN -> max = limits.maxSpanSize() * Math.max(1, item.containerCount());
        case LOG -> max = limits.maxLogSize() * Math.max(1, item.containerCount());
        case TRACE_METRIC -> max = limits.maxTraceMetricSize() * Math.max(1, item.containerCount());
        case PROFILE, PROFILE_CHUNK -> max = limits.maxProfileSize();
        case REPLAY_RECORDING, REPLAY_VIDEO -> max = limits.maxReplayCompressedSize();
        case STATSD, METRIC_BUCKETS -> max = limits.maxStatsdSize();
        default -> max = limits.maxEnvelopeSize();
      }
      if (size > max) {
        return Optional.of(tooLarge(item.typeName(), item.typeName() + " item of " + size
            + " bytes exceeds the limit of " + max));
      }
    }
    if (attachmentsSize > limits.maxAttachmentsSize()) {
      return Optional.of(tooLarge("attachment", "attachments total " + attachmentsSize
          + " bytes, more than the limit of " + limits.maxAttachmentsSize()));
    }
    if (attachmentCount > limits.maxAttachmentCount()) {
      return Optional.of(tooLarge("attachment", attachmentCount + " attachments, more than the limit of "
          + limits.maxAttachmentCount()));
    }
    if (sessionCount > limits.maxSessionCount()) {
      return Optional.of(tooLarge("session", sessionCount + " session items, more than the limit of "
          + limits.maxSessionCount()));
    }
    return Optional.empty();
  }

  private static Rejection tooLarge(String itemType, String cause) {
    return Rejection.tooLarge("too_large:" + itemType, "envelope exceeds size limits", cause);
  }
}
