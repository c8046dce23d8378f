package io.lookout.gateway.ratelimit;

import io.lookout.gateway.project.Scoping;
import static io.lookout.storage.kafka.message.DataCategory.ATTACHMENT;
import static io.lookout.storage.kafka.message.DataCategory.DEFAULT;
import static io.lookout.storage.kafka.message.DataCategory.ERROR;
import static io.lookout.storage.kafka.message.DataCategory.SECURITY;
import static io.lookout.storage.kafka.message.DataCategory.TRANSACTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.kafka.message.DataCategory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuotaTest {

  private static final Scoping SCOPING = new Scoping(42, 21, 17L);

  @Test
  void parsesRelaysRejectAllQuota() {
    // relay-quotas/src/quota.rs, test_parse_quota_reject_transactions
    Quota quota = Quota.fromJson(new JsonObject(
        "{\"limit\": 0, \"categories\": [\"transaction\"], \"reasonCode\": \"not_yet\"}")).orElseThrow();

    assertThat(quota).isEqualTo(new Quota(null, Set.of(TRANSACTION), QuotaScope.ORGANIZATION, null,
        0L, null, "not_yet"));
    assertThat(quota.rejectsAll()).isTrue();
    assertThat(quota.isCountable()).isFalse();
  }

  @Test
  void parsesRelaysKeyQuotaAndSentrysSnakeCaseSpelling() {
    Quota camel = Quota.fromJson(new JsonObject("{\"id\": \"k\", \"scope\": \"key\", \"scopeId\": \"1\","
        + " \"limit\": 4711, \"window\": 42, \"reasonCode\": \"not_so_fast\"}")).orElseThrow();
    Quota snake = Quota.fromJson(new JsonObject("{\"id\": \"k\", \"scope\": \"key\", \"scope_id\": 1,"
        + " \"limit\": 4711, \"window\": 42, \"reason_code\": \"not_so_fast\"}")).orElseThrow();

    Quota expected = new Quota("k", Set.of(), QuotaScope.KEY, "1", 4711L, 42L, "not_so_fast");
    assertThat(camel).isEqualTo(expected);
    assertThat(snake).isEqualTo(expected);
  }

  @Test
  void unlimitedQuotaIsCountedButNeverRejects() {
    Quota quota = Quota.fromJson(new JsonObject("{\"id\": \"o\", \"window\": 42}")).orElseThrow();

    assertThat(quota.limit()).isNull();
    assertThat(quota.isCountable()).isTrue();
    assertThat(quota.rejectsAll()).isFalse();
  }

  @Test
  void quotaOfOnlyUnknownCategoriesMatchesNothingSoIsDropped() {
    assertThat(Quota.fromJson(new JsonObject("{\"id\": \"f\", \"categories\": [\"future\"],"
        + " \"limit\": 1, \"window\": 42}"))).isEmpty();
    Quota mixed = Quota.fromJson(new JsonObject("{\"id\": \"f\", \"categories\": [\"future\", \"error\"],"
        + " \"scope\": \"future\", \"limit\": 1, \"window\": 42}")).orElseThrow();
    assertThat(mixed.categories()).containsExactly(ERROR);
    assertThat(mixed.scope()).isEqualTo(QuotaScope.UNKNOWN);
  }

  @Test
  void listDropsNeverMatchingQuotas() {
    JsonArray array = new JsonArray("[{\"limit\": 0}, {\"categories\": [\"future\"], \"limit\": 0},"
        + " {\"id\": \"p\", \"scope\": \"project\", \"limit\": 5, \"window\": 60}]");

    assertThat(Quota.fromJsonArray(array)).extracting(Quota::id).containsExactly(null, "p");
    assertThat(Quota.fromJsonArray(null)).isEmpty();
  }

  @Test
  void badValuesAreRejected() {
    assertThatThrownBy(() -> Quota.fromJson(new JsonObject("{\"limit\": -1}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quota.fromJson(new JsonObject("{\"limit\": \"ten\"}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quota.fromJson(new JsonObject("{\"id\": \"x\", \"window\": 0}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quota.fromJson(new JsonObject("{\"categories\": \"error\"}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quotaWithoutCategoriesAppliesToEveryCategory() {
    Quota all = new Quota("o", Set.of(), QuotaScope.ORGANIZATION, null, 10L, 60L, "o");

    assertThat(Arrays.stream(DataCategory.values())).allMatch(c -> all.matches(SCOPING, c));
  }

  @Test
  void quotaAppliesOnlyToItsCategories() {
    Quota errors = new Quota("p", Set.of(ERROR, DEFAULT), QuotaScope.PROJECT, null, 10L, 60L, "p");

    assertThat(errors.matches(SCOPING, ERROR)).isTrue();
    assertThat(errors.matches(SCOPING, DEFAULT)).isTrue();
    assertThat(errors.matches(SCOPING, TRANSACTION)).isFalse();
    assertThat(errors.matches(SCOPING, ATTACHMENT)).isFalse();
  }

  @Test
  void scopeIdRestrictsTheQuotaToThatInstance() {
    Quota thisKey = new Quota("k", Set.of(), QuotaScope.KEY, "17", 10L, 60L, "k");
    Quota otherKey = new Quota("k", Set.of(), QuotaScope.KEY, "18", 10L, 60L, "k");
    Quota thisProject = new Quota("p", Set.of(), QuotaScope.PROJECT, "21", 10L, 60L, "p");
    Quota notNumeric = new Quota("p", Set.of(), QuotaScope.PROJECT, "abc", 10L, 60L, "p");
    Quota unknownScope = new Quota("u", Set.of(), QuotaScope.UNKNOWN, "17", 10L, 60L, "u");

    assertThat(thisKey.matches(SCOPING, ERROR)).isTrue();
    assertThat(otherKey.matches(SCOPING, ERROR)).isFalse();
    assertThat(thisKey.matches(new Scoping(42, 21, null), ERROR)).isFalse();
    assertThat(thisProject.matches(SCOPING, ERROR)).isTrue();
    assertThat(notNumeric.matches(SCOPING, ERROR)).isFalse();
    assertThat(unknownScope.matches(SCOPING, ERROR)).isFalse();
  }

  @Test
  void keyQuotaIsSentrysKQuotaOnErrorCategories() {
    Quota key = Quota.forKey(17, 100L, 60L).orElseThrow();

    assertThat(key).isEqualTo(new Quota("k", Set.of(DEFAULT, ERROR, SECURITY), QuotaScope.KEY, "17",
        100L, 60L, "key_quota"));
    assertThat(key.matches(SCOPING, ERROR)).isTrue();
    assertThat(key.matches(SCOPING, SECURITY)).isTrue();
    assertThat(key.matches(SCOPING, TRANSACTION)).isFalse();
    assertThat(key.matches(SCOPING, ATTACHMENT)).isFalse();
    assertThat(key.matches(new Scoping(42, 21, 18L), ERROR)).isFalse();
  }

  @Test
  void keyWithoutCountOrWindowHasNoQuota() {
    assertThat(Quota.forKey(17, null, 60L)).isEmpty();
    assertThat(Quota.forKey(17, 0L, 60L)).isEmpty();
    assertThat(Quota.forKey(17, 100L, null)).isEmpty();
    assertThat(Quota.forKey(17, 100L, 0L)).isEmpty();
  }

  @Test
  void scopeNamesAreRelays() {
    assertThat(QuotaScope.fromApiName("organization")).isEqualTo(QuotaScope.ORGANIZATION);
    assertThat(QuotaScope.fromApiName("project")).isEqualTo(QuotaScope.PROJECT);
    assertThat(QuotaScope.fromApiName("key")).isEqualTo(QuotaScope.KEY);
    assertThat(QuotaScope.fromApiName("global")).isEqualTo(QuotaScope.GLOBAL);
    assertThat(QuotaScope.fromApiName("unknown")).isEqualTo(QuotaScope.UNKNOWN);
    assertThat(QuotaScope.fromApiName("galaxy")).isEqualTo(QuotaScope.UNKNOWN);
  }
}
