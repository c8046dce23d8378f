package io.lookout.gateway.ratelimit;

import io.lookout.gateway.project.Scoping;
import io.lookout.gateway.envelope.ContentType;
import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemQuantity;
import io.lookout.gateway.envelope.ItemType;
import io.lookout.storage.kafka.message.DataCategory;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies quotas to an envelope: one {@link RateLimiter} call for all of its categories, then the
 * limited items are removed. Relay's {@code EnvelopeLimiter} and {@code Enforcement}
 * ({@code relay-server/src/utils/rate_limits.rs}), with Relay's checks, their order and their
 * dependencies:
 * <ul>
 *   <li>the event (the first item that makes one) is checked with quantity 1, then its indexed
 *       category (transactions) if the event passed; a limited event takes every item that
 *       belongs to it (attachments, user reports, profiles, ...) with it, under its reason;</li>
 *   <li>spans (of transactions and standalone) are checked when the event passed, then indexed
 *       spans; attachments of the event are checked by bytes, then by count if the bytes passed;
 *       an attachment that makes the event (minidump, ...) stays in the envelope although
 *       attachments are limited, marked for forwarding as rate limited;</li>
 *   <li>trace and span attachments, sessions, trace metrics, logs (items and bytes), profiles
 *       (then indexed profiles; without an event, also a 0-quantity transaction check), replays,
 *       user reports, check-ins and profile chunks are each checked on their own.</li>
 * </ul>
 * Unlike Relay, an event whose indexed category is limited is dropped too: Lookout keeps no
 * metrics of a transaction whose payload it does not store.
 *
 * <p>No HTTP here: {@link EnvelopeLimits} says what the endpoint answers.
 */
public final class EnvelopeRateLimiter {

  private final RateLimiter limiter;

  public EnvelopeRateLimiter(RateLimiter limiter) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
  }

  /**
   * Checks the envelope's quantities against {@code quotas} (one round trip), removes the limited
   * items from {@code envelope} and says what was limited. Fails when the check fails (Redis
   * unreachable or too slow); the envelope is then unchanged.
   */
  public Future<EnvelopeLimits> enforce(Envelope envelope, Scoping scoping, List<Quota> quotas) {
    Plan plan = Plan.of(envelope);
    if (plan.request().isEmpty()) {
      return Future.succeededFuture(EnvelopeLimits.NONE);
    }
    return limiter.check(scoping, quotas, plan.request())
        .map(result -> plan.apply(envelope, result));
  }

  /** Which parent an attachment counts under (Relay's {@code AttachmentParentType}). */
  private enum AttachmentParent { EVENT, TRACE, SPAN }

  /** The checks for one envelope, and how their verdicts map back onto its items. */
  static final class Plan {

    /** Checks whose limits are reported to the client. */
    private final Set<Integer> reported = new TreeSet<>();
    private QuotaRequest request;
    private int event = -1;
    private int eventIndexed = -1;
    private int span = -1;
    private int spanIndexed = -1;
    private int spanAttachments = -1;
    private int spanAttachmentItems = -1;
    private int attachments = -1;
    private int attachmentItems = -1;
    private int traceAttachments = -1;
    private int traceAttachmentItems = -1;
    private int sessions = -1;
    private int traceMetrics = -1;
    private int logItems = -1;
    private int logBytes = -1;
    private int profiles = -1;
    private int profileTransactions = -1;
    private int profilesIndexed = -1;
    private int replays = -1;
    private int userReports = -1;
    private int checkIns = -1;
    private int profileChunks = -1;
    private int profileChunksUi = -1;

    private Plan() {
    }

    QuotaRequest request() {
      return request;
    }

    /** The summary of the envelope (Relay's {@code EnvelopeSummary}) as quota checks. */
    static Plan of(Envelope envelope) {
      DataCategory eventCategory = null;
      boolean plainAttachments = false;
      long[] attachmentBytes = new long[AttachmentParent.values().length];
      long[] attachmentCount = new long[AttachmentParent.values().length];
      long sessionQty = 0;
      long profileQty = 0;
      long replayQty = 0;
      long userReportQty = 0;
      long checkInQty = 0;
      long spanQty = 0;
      long traceMetricQty = 0;
      long logItemQty = 0;
      long logByteQty = 0;
      long chunkQty = 0;
      long chunkUiQty = 0;
      for (EnvelopeItem item : envelope.items()) {
        if (item.isEventLike()) {
          if (eventCategory == null) {
            eventCategory = eventCategory(item);
          }
        } else if (item.type() == ItemType.ATTACHMENT) {
          plainAttachments = true;
        }
        if (item.type() == ItemType.USER_REPORT) {
          userReportQty++;
        }
        for (ItemQuantity q : item.quantities()) {
          long n = q.quantity();
          switch (q.category()) {
            case ATTACHMENT -> attachmentBytes[parent(item).ordinal()] += n;
            case ATTACHMENT_ITEM -> attachmentCount[parent(item).ordinal()] += n;
            case SESSION -> sessionQty += n;
            case PROFILE -> profileQty += n;
            case REPLAY -> replayQty += n;
            case MONITOR -> checkInQty += n;
            case SPAN -> spanQty += n;
            case TRACE_METRIC -> traceMetricQty += n;
            case LOG_ITEM -> logItemQty += n;
            case LOG_BYTE -> logByteQty += n;
            case PROFILE_CHUNK -> chunkQty += n;
            case PROFILE_CHUNK_UI -> chunkUiQty += n;
            default -> {
              // Counted through the event, or not limited per item.
            }
          }
        }
      }

      QuotaRequest.Builder b = QuotaRequest.builder();
      Plan plan = new Plan();
      int gate = -1;
      if (eventCategory != null) {
        plan.event = plan.report(b.check(eventCategory, 1));
        gate = plan.event;
        DataCategory indexed = indexedCategory(eventCategory);
        if (indexed != null) {
          plan.eventIndexed = plan.report(b.checkIfAccepted(plan.event, indexed, 1));
          gate = plan.eventIndexed;
        }
      }
      int span = AttachmentParent.SPAN.ordinal();
      boolean spanAttachments = attachmentBytes[span] > 0 || attachmentCount[span] > 0;
      if (spanQty > 0 || spanAttachments) {
        plan.span = plan.report(b.checkIfAccepted(gate, DataCategory.SPAN, spanQty));
        plan.spanIndexed = plan.report(
            b.checkIfAccepted(plan.span, DataCategory.SPAN_INDEXED, spanQty));
      }
      if (spanAttachments) {
        plan.spanAttachments = b.checkIfAccepted(plan.spanIndexed, DataCategory.ATTACHMENT,
            attachmentBytes[span]);
        if (attachmentCount[span] > 0) {
          plan.spanAttachmentItems = b.checkIfAccepted(plan.spanAttachments,
              DataCategory.ATTACHMENT_ITEM, attachmentCount[span]);
        }
      }
      int ev = AttachmentParent.EVENT.ordinal();
      if (attachmentBytes[ev] > 0) {
        plan.attachments = b.checkIfAccepted(gate, DataCategory.ATTACHMENT, attachmentBytes[ev]);
      }
      if (attachmentCount[ev] > 0) {
        plan.attachmentItems = b.checkIfAccepted(plan.attachments >= 0 ? plan.attachments : gate,
            DataCategory.ATTACHMENT_ITEM, attachmentCount[ev]);
      }
      if (plainAttachments) {
        // Attachments that make the event may be sent although limited: only plain ones report.
        plan.report(plan.attachments);
        plan.report(plan.attachmentItems);
      }
      int trace = AttachmentParent.TRACE.ordinal();
      if (attachmentBytes[trace] > 0 || attachmentCount[trace] > 0) {
        plan.traceAttachments = b.check(DataCategory.ATTACHMENT, attachmentBytes[trace]);
        if (attachmentCount[trace] > 0) {
          plan.traceAttachmentItems = b.checkIfAccepted(plan.traceAttachments,
              DataCategory.ATTACHMENT_ITEM, attachmentCount[trace]);
        }
      }
      if (sessionQty > 0) {
        plan.sessions = plan.report(b.check(DataCategory.SESSION, sessionQty));
      }
      if (traceMetricQty > 0) {
        plan.traceMetrics = plan.report(b.check(DataCategory.TRACE_METRIC, traceMetricQty));
      }
      if (logItemQty > 0) {
        plan.logItems = plan.report(b.check(DataCategory.LOG_ITEM, logItemQty));
      }
      if (logByteQty > 0) {
        plan.logBytes = plan.report(b.check(DataCategory.LOG_BYTE, logByteQty));
      }
      if (profileQty > 0) {
        plan.profiles = plan.report(b.checkIfAccepted(gate, DataCategory.PROFILE, profileQty));
        int last = plan.profiles;
        if (eventCategory == null) {
          // A profile whose transaction was sampled away is still limited by transaction quotas.
          plan.profileTransactions = plan.report(
              b.checkIfAccepted(plan.profiles, DataCategory.TRANSACTION, 0));
          last = plan.profileTransactions;
        }
        plan.profilesIndexed = plan.report(
            b.checkIfAccepted(last, DataCategory.PROFILE_INDEXED, profileQty));
      }
      if (replayQty > 0) {
        plan.replays = plan.report(b.check(DataCategory.REPLAY, replayQty));
      }
      if (userReportQty > 0) {
        plan.userReports = plan.report(b.check(DataCategory.FEEDBACK, userReportQty));
      }
      if (checkInQty > 0) {
        plan.checkIns = plan.report(b.check(DataCategory.MONITOR, checkInQty));
      }
      if (chunkQty > 0) {
        plan.profileChunks = plan.report(b.check(DataCategory.PROFILE_CHUNK, chunkQty));
      }
      if (chunkUiQty > 0) {
        plan.profileChunksUi = plan.report(b.check(DataCategory.PROFILE_CHUNK_UI, chunkUiQty));
      }
      plan.request = b.build();
      return plan;
    }

    private int report(int check) {
      if (check >= 0) {
        reported.add(check);
      }
      return check;
    }

    /** Removes the limited items from {@code envelope} and says what was limited. */
    EnvelopeLimits apply(Envelope envelope, QuotaResult result) {
      if (result.size() != request.size()) {
        throw new IllegalArgumentException("the result answers " + result.size() + " of "
            + request.size() + " checks");
      }
      RateLimits limits = RateLimits.none();
      for (int check : reported) {
        limits = limits.merge(result.get(check).limits());
      }
      boolean anyLimited = false;
      for (QuotaResult.Verdict verdict : result.verdicts()) {
        anyLimited |= verdict.status() != QuotaResult.Status.ACCEPTED;
      }
      if (!anyLimited) {
        return new EnvelopeLimits(limits, List.of(), false);
      }

      Enforcement enforcement = new Enforcement(request, result);
      boolean hadItems = !envelope.isEmpty();
      Map<EnvelopeItem, LimitedItem> limited = new IdentityHashMap<>();
      List<LimitedItem> inOrder = new ArrayList<>();
      for (EnvelopeItem item : envelope.items()) {
        LimitedItem decision = decide(item, enforcement);
        if (decision != null) {
          limited.put(item, decision);
          inOrder.add(decision);
        }
      }
      envelope.retain(item -> {
        LimitedItem decision = limited.get(item);
        return decision == null || decision.kept();
      });
      return new EnvelopeLimits(limits, inOrder, hadItems && envelope.isEmpty());
    }

    /** What the verdicts mean for one item: null if it is not limited. */
    private LimitedItem decide(EnvelopeItem item, Enforcement e) {
      RateLimit eventLimit = first(e.limit(event), e.limit(eventIndexed));
      if (eventLimit != null && item.requiresEvent()) {
        return dropped(item, eventLimit);
      }
      RateLimit limit = switch (item.type()) {
        case ATTACHMENT -> switch (parent(item)) {
          case SPAN -> first(e.limit(spanAttachmentItems), e.limit(spanAttachments));
          case TRACE -> first(e.limit(traceAttachmentItems), e.limit(traceAttachments));
          case EVENT -> first(e.limit(attachmentItems), e.limit(attachments));
        };
        case SESSION -> e.limit(sessions);
        case PROFILE -> e.limit(profilesIndexed);
        case REPLAY_EVENT, REPLAY_RECORDING, REPLAY_VIDEO -> e.limit(replays);
        case USER_REPORT -> e.limit(userReports);
        case CHECK_IN -> e.limit(checkIns);
        case LOG -> first(e.limit(logItems), e.limit(logBytes));
        case SPAN -> e.limit(spanIndexed);
        case TRACE_METRIC -> e.limit(traceMetrics);
        case PROFILE_CHUNK -> {
          List<ItemQuantity> q = item.quantities();
          if (q.isEmpty()) {
            // No platform, no profile type: Relay cannot tell which quota applies and keeps it.
            yield null;
          }
          yield q.get(0).category() == DataCategory.PROFILE_CHUNK_UI
              ? e.limit(profileChunksUi)
              : e.limit(profileChunks);
        }
        default -> null;
      };
      if (limit == null) {
        return null;
      }
      if (item.type() == ItemType.ATTACHMENT && item.attachmentType().createsEvent()) {
        return new LimitedItem(item, true, limit.reasonCode(), item.quantities());
      }
      return dropped(item, limit);
    }

    private static LimitedItem dropped(EnvelopeItem item, RateLimit limit) {
      boolean session = item.type() == ItemType.SESSION || item.type() == ItemType.SESSIONS;
      return new LimitedItem(item, false, limit.reasonCode(),
          session ? List.of() : item.quantities());
    }

    private static RateLimit first(RateLimit a, RateLimit b) {
      return a != null ? a : b;
    }
  }

  /** The limit behind each check's verdict; a skipped check takes the limit of what it required. */
  private record Enforcement(QuotaRequest request, QuotaResult result) {

    /** Null when the check was accepted or is absent (-1). */
    RateLimit limit(int check) {
      int current = check;
      while (current >= 0) {
        QuotaResult.Verdict verdict = result.get(current);
        switch (verdict.status()) {
          case ACCEPTED -> {
            return null;
          }
          case REJECTED -> {
            return verdict.limits().longest().orElseThrow();
          }
          case SKIPPED -> current = request.get(current).requires();
          default -> throw new IllegalStateException(verdict.status().name());
        }
      }
      return null;
    }
  }

  /** Relay's {@code infer_event_category}. */
  private static DataCategory eventCategory(EnvelopeItem item) {
    return switch (item.type()) {
      case TRANSACTION -> DataCategory.TRANSACTION;
      case SECURITY, RAW_SECURITY -> DataCategory.SECURITY;
      case FEEDBACK -> DataCategory.FEEDBACK;
      default -> DataCategory.ERROR;
    };
  }

  /** Relay's {@code DataCategory::index_category}. */
  private static DataCategory indexedCategory(DataCategory category) {
    return switch (category) {
      case TRANSACTION -> DataCategory.TRANSACTION_INDEXED;
      case SPAN -> DataCategory.SPAN_INDEXED;
      case PROFILE -> DataCategory.PROFILE_INDEXED;
      default -> null;
    };
  }

  /** Relay's {@code Item::attachment_parent_type}. */
  private static AttachmentParent parent(EnvelopeItem item) {
    if (item.contentType() != ContentType.TRACE_ATTACHMENT) {
      return AttachmentParent.EVENT;
    }
    return item.header().containsKey("span_id") ? AttachmentParent.SPAN : AttachmentParent.TRACE;
  }
}
