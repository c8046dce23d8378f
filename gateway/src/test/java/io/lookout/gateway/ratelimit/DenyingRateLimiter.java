package io.lookout.gateway.ratelimit;

import io.lookout.gateway.project.Scoping;
import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.kafka.message.DataCategory;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A limiter that rejects the categories it is told to (reason = the category's name) and records
 * each check it makes, as Relay's {@code MockLimiter} in its rate limit tests; it honours the
 * dependencies between checks as the real one does.
 */
final class DenyingRateLimiter implements RateLimiter {

  private final Set<DataCategory> denied;
  /** Category -> quantity of every check made (not skipped). */
  final Map<DataCategory, Long> calls = new LinkedHashMap<>();
  int requests;

  DenyingRateLimiter(DataCategory... denied) {
    this.denied = denied.length == 0 ? Set.of() : EnumSet.of(denied[0], denied);
  }

  @Override
  public Future<QuotaResult> check(Scoping scoping, List<Quota> quotas, QuotaRequest request) {
    requests++;
    List<QuotaResult.Verdict> verdicts = new ArrayList<>();
    for (QuotaRequest.Check check : request.checks()) {
      if (check.requires() >= 0
          && verdicts.get(check.requires()).status() != QuotaResult.Status.ACCEPTED) {
        verdicts.add(QuotaResult.Verdict.SKIPPED);
        continue;
      }
      Long previous = calls.put(check.category(), check.quantity());
      assertThat(previous).as("checked twice: " + check.category()).isNull();
      if (denied.contains(check.category())) {
        verdicts.add(QuotaResult.Verdict.rejected(RateLimits.of(new RateLimit(
            Set.of(check.category()), QuotaScope.ORGANIZATION, scoping.organizationId(),
            check.category().apiName(), 60))));
      } else {
        verdicts.add(QuotaResult.Verdict.ACCEPTED);
      }
    }
    return Future.succeededFuture(new QuotaResult(verdicts));
  }
}
