package io.lookout.gateway.ratelimit;

import io.lookout.gateway.project.Scoping;
import io.lookout.storage.kafka.message.DataCategory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A data ingestion quota, as Relay's {@code Quota} ({@code relay-quotas/src/quota.rs}) and
 * Sentry's {@code QuotaConfig} ({@code src/sentry/quotas/base.py}) define it.
 *
 * @param id counts the quota in Redis; null means it cannot be counted, so only a limit of 0
 *     (reject everything) has an effect
 * @param categories the categories it applies to, ordered by code; empty means all
 * @param scope what it is counted per
 * @param scopeId if set, the quota applies only to that instance of {@code scope} (a numeric id;
 *     a non-numeric one matches nothing, as in Relay)
 * @param limit how much a window admits: null for unlimited (counted only), 0 to reject
 *     everything without asking Redis
 * @param window window length in seconds; required to count (null = cannot be counted)
 * @param reasonCode machine-readable reason reported when the quota rejects, or null
 */
public record Quota(
    String id,
    Set<DataCategory> categories,
    QuotaScope scope,
    String scopeId,
    Long limit,
    Long window,
    String reasonCode) {

  /** Categories Sentry's own quotas (key, project, organization) apply to: its error categories. */
  public static final Set<DataCategory> ERROR_CATEGORIES = Collections.unmodifiableSet(
      EnumSet.of(DataCategory.DEFAULT, DataCategory.ERROR, DataCategory.SECURITY));

  public Quota {
    Objects.requireNonNull(scope, "scope");
    categories = categories == null || categories.isEmpty()
        ? Set.of()
        : Collections.unmodifiableSet(EnumSet.copyOf(categories));
    if (limit != null && limit < 0) {
      throw new IllegalArgumentException("quota limit must not be negative: " + limit);
    }
    if (window != null && window <= 0) {
      throw new IllegalArgumentException("quota window must be greater than 0: " + window);
    }
  }

  /**
   * Sentry's per-key rate limit ({@code get_quotas} in {@code src/sentry/quotas/redis.py}): id
   * {@code k}, scope key, the error categories, reason {@code key_quota}. Empty when the key has
   * no rate limit: Sentry treats a count or window of 0 (or none) as "no limit".
   *
   * @param count the key's {@code rate_limit_count}
   * @param windowSeconds the key's {@code rate_limit_window}
   */
  public static Optional<Quota> forKey(long keyId, Long count, Long windowSeconds) {
    if (count == null || count <= 0 || windowSeconds == null || windowSeconds <= 0) {
      return Optional.empty();
    }
    return Optional.of(new Quota("k", ERROR_CATEGORIES, QuotaScope.KEY, Long.toString(keyId),
        count, windowSeconds, "key_quota"));
  }

  /**
   * A quota from Relay's project-config JSON ({@code id}, {@code categories}, {@code scope},
   * {@code scopeId}, {@code limit}, {@code window}, {@code reasonCode}; Sentry's older
   * {@code scope_id} / {@code reason_code} spellings are read too). Unknown keys are ignored.
   * Empty when every listed category is unknown to this build: Relay lets such a quota match
   * nothing (it is meant for data this version does not handle). Unknown names among known
   * ones are dropped; an unknown scope becomes {@link QuotaScope#UNKNOWN}.
   *
   * @throws IllegalArgumentException if a value has the wrong type or is out of range
   */
  public static Optional<Quota> fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    Set<DataCategory> categories = EnumSet.noneOf(DataCategory.class);
    Object rawCategories = json.getValue("categories");
    boolean listed = false;
    if (rawCategories instanceof JsonArray array) {
      for (Object name : array) {
        if (!(name instanceof String s)) {
          throw new IllegalArgumentException("quota categories must be strings: " + array);
        }
        listed = true;
        DataCategory.fromApiName(s).ifPresent(categories::add);
      }
    } else if (rawCategories != null) {
      throw new IllegalArgumentException("quota categories must be a list: " + rawCategories);
    }
    if (listed && categories.isEmpty()) {
      return Optional.empty();
    }
    Object scopeName = json.getValue("scope");
    if (scopeName != null && !(scopeName instanceof String)) {
      throw new IllegalArgumentException("quota scope must be a string: " + scopeName);
    }
    QuotaScope scope = scopeName == null
        ? QuotaScope.ORGANIZATION
        : QuotaScope.fromApiName((String) scopeName);
    Object scopeId = first(json, "scopeId", "scope_id");
    Object reasonCode = first(json, "reasonCode", "reason_code");
    return Optional.of(new Quota(
        string(json, "id"),
        categories,
        scope,
        scopeId == null ? null : scopeId.toString(),
        number(json, "limit"),
        number(json, "window"),
        reasonCode == null ? null : reasonCode.toString()));
  }

  /** The quotas of a JSON list; see {@link #fromJson}. A null list is no quotas. */
  public static List<Quota> fromJsonArray(JsonArray array) {
    if (array == null) {
      return List.of();
    }
    List<Quota> quotas = new ArrayList<>(array.size());
    for (Object value : array) {
      if (!(value instanceof JsonObject object)) {
        throw new IllegalArgumentException("a quota must be an object: " + value);
      }
      fromJson(object).ifPresent(quotas::add);
    }
    return List.copyOf(quotas);
  }

  /** Whether it rejects everything it applies to, without counting (limit 0). */
  public boolean rejectsAll() {
    return limit != null && limit == 0;
  }

  /** Whether Redis can count it: it has an id and a window. */
  public boolean isCountable() {
    return id != null && window != null;
  }

  /** Whether it applies to data of this category (no categories = all). */
  public boolean appliesTo(DataCategory category) {
    return categories.isEmpty() || categories.contains(category);
  }

  /**
   * Whether it applies to this category of data from this sender: Relay's {@code Quota::matches}.
   * Without a {@code scopeId} it applies to every instance of its scope; with one, only when the
   * scoping's id for that scope is that number.
   */
  public boolean matches(Scoping scoping, DataCategory category) {
    return matchesScope(scoping) && appliesTo(category);
  }

  private boolean matchesScope(Scoping scoping) {
    if (scopeId == null) {
      return true;
    }
    long parsed;
    try {
      parsed = Long.parseUnsignedLong(scopeId);
    } catch (NumberFormatException e) {
      return false;
    }
    Long actual = scope.idOf(scoping);
    return actual != null && actual == parsed;
  }

  private static Object first(JsonObject json, String key, String alias) {
    Object value = json.getValue(key);
    return value != null ? value : json.getValue(alias);
  }

  private static String string(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    if (value instanceof Number) {
      return value.toString();
    }
    throw new IllegalArgumentException("quota " + key + " must be a string: " + value);
  }

  private static Long number(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new IllegalArgumentException("quota " + key + " must be a whole number: " + value);
  }
}
