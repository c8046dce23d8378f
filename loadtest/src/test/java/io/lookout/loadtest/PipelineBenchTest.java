package io.lookout.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.loadtest.PipelineBench.Options;
import io.lookout.loadtest.PipelineBench.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineBenchTest {

  @Test
  void defaultsRunBothTransportsBatchedThenUnbatchedThenAnalyticsThenTheClickHouseWriter() {
    Options options = Options.parse(new String[0]);
    assertThat(options.events()).isEqualTo(20_000);
    assertThat(options.unbatchedEvents()).isEqualTo(2_000);
    assertThat(options.issues()).isEqualTo(300);
    assertThat(options.instances()).isNull();
    assertThat(options.warmupEvents()).isEqualTo(20_000);
    assertThat(options.scenarios()).extracting(Scenario::name)
        .containsExactly("inline batched", "inline unbatched", "rabbitmq batched", "rabbitmq unbatched",
            "inline analytics");
    assertThat(options.clickhouse()).isTrue();
    assertThat(options.clickhouseRows()).isEqualTo(200_000);
  }

  @Test
  void onlyAnalyticsRunsTheInlineAnalyticsScenarioAlone() {
    Options options = Options.parse(new String[] {"--only", "analytics"});
    assertThat(options.scenarios()).containsExactly(new Scenario("inline", "analytics"));
    assertThat(options.clickhouse()).isFalse();
    Scenario analytics = options.scenarios().get(0);
    assertThat(analytics.batched()).isTrue();
    assertThat(analytics.analytics()).isTrue();
    assertThat(analytics.label()).isEqualTo("inline + analytics (until queryable in ClickHouse)");
    assertThat(options.eventsOf(analytics)).isEqualTo(20_000);
  }

  @Test
  void onlyClickhouseRunsTheWriterFiguresAlone() {
    Options options = Options.parse(new String[] {"--only", "clickhouse", "--clickhouse-rows", "50,000"});
    assertThat(options.scenarios()).isEmpty();
    assertThat(options.clickhouse()).isTrue();
    assertThat(options.clickhouseRows()).isEqualTo(50_000);
    Options both = Options.parse(new String[] {"--only", "inline,batched,analytics,clickhouse"});
    assertThat(both.scenarios()).extracting(Scenario::name).containsExactly("inline batched", "inline analytics");
    assertThat(both.clickhouse()).isTrue();
  }

  @Test
  void unbatchedEventsFollowEventsUnlessGiven() {
    assertThat(Options.parse(new String[] {"--events", "5,000"}).unbatchedEvents()).isEqualTo(500);
    Options options = Options.parse(new String[] {"--events=5000", "--unbatched-events", "123", "--instances", "2"});
    assertThat(options.unbatchedEvents()).isEqualTo(123);
    assertThat(options.instances()).isEqualTo(2);
    assertThat(options.eventsOf(new Scenario("inline", true))).isEqualTo(5_000);
    assertThat(options.eventsOf(new Scenario("inline", false))).isEqualTo(123);
  }

  @Test
  void onlyFiltersByTransportAndByMode() {
    assertThat(Options.parse(new String[] {"--only", "inline"}).scenarios())
        .containsExactly(new Scenario("inline", true), new Scenario("inline", false),
            new Scenario("inline", "analytics"));
    assertThat(Options.parse(new String[] {"--only", "inline"}).clickhouse()).isFalse();
    assertThat(Options.parse(new String[] {"--only", "rabbitmq,batched"}).scenarios())
        .containsExactly(new Scenario("rabbitmq", true));
    assertThat(Options.parse(new String[] {"--only", "unbatched"}).scenarios())
        .containsExactly(new Scenario("inline", false), new Scenario("rabbitmq", false));
    // redis runs only when named; the order stays inline, rabbitmq, redis
    assertThat(Options.parse(new String[] {"--only", "redis,inline"}).scenarios()).extracting(Scenario::name)
        .containsExactly("inline batched", "inline unbatched", "redis batched", "redis unbatched",
            "inline analytics");
  }

  @Test
  void badOptionsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--only", "kafka"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'kafka'");
    // analytics exists for inline only
    assertThatThrownBy(() -> Options.parse(new String[] {"--only", "rabbitmq,analytics"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to run");
    assertThatThrownBy(() -> new Scenario("rabbitmq", "analytics")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Options.parse(new String[] {"--events", "many"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--events takes a number");
    assertThatThrownBy(() -> Options.parse(new String[] {"--speed", "2"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --speed");
    assertThatThrownBy(() -> Options.parse(new String[] {"--events", "0"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Options.parse(new String[] {"--instances"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unexpected argument");
    assertThat(List.of(PipelineBench.USAGE)).allMatch(u -> u.startsWith("pipeline"));
  }

  @Test
  void eachTransportThatIsMeasuredIsWarmedUpOnceInRunOrder() {
    assertThat(PipelineBench.warmups(Options.parse(new String[0]).scenarios()))
        .extracting(Scenario::name).containsExactly("inline analytics", "rabbitmq batched");
    assertThat(PipelineBench.warmups(Options.parse(new String[] {"--only", "rabbitmq,unbatched"}).scenarios()))
        .extracting(Scenario::name).containsExactly("rabbitmq batched");
    assertThat(PipelineBench.warmups(Options.parse(new String[] {"--only", "inline,batched"}).scenarios()))
        .extracting(Scenario::name).containsExactly("inline batched");
    assertThat(PipelineBench.warmups(Options.parse(new String[] {"--only", "analytics"}).scenarios()))
        .extracting(Scenario::name).containsExactly("inline analytics");
  }
}
