package io.lookout.processors.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.processors.ProcessorsMain;
import io.lookout.processors.ProcessorsMain.Plan;
import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessorsConfigTest {

  private static final Path CONF = Path.of(System.getProperty("user.dir")).getParent().resolve("conf");

  @Test
  void shippedFileSpellsOutTheDefaults() {
    ProcessorsConfig shipped = ProcessorsConfig.load(ConfLoader.of(CONF, Map.of()));
    assertThat(shipped).isEqualTo(ProcessorsConfig.fromJson(new JsonObject()));
  }

  @Test
  void environmentOverridesReachEverySection() {
    ProcessorsConfig config = ProcessorsConfig.load(ConfLoader.of(CONF, Map.of(
        "LOOKOUT_PROCESSORS__PIPELINE__TRANSPORT", "inline",
        "LOOKOUT_PROCESSORS__CONSUMERS__INSTANCES__INGEST_EVENTS", "3",
        "LOOKOUT_PROCESSORS__WORKERS__SAVE_BATCH__MAX_ITEMS", "7",
        "LOOKOUT_PROCESSORS__BROKER__TRANSPORT", "redis")));
    assertThat(config.pipeline().inline()).isTrue();
    assertThat(config.consumers().instancesOf("ingest-events")).isEqualTo(3);
    assertThat(config.workers().saveBatch().maxItems()).isEqualTo(7);
    assertThat(config.broker().transport()).isEqualTo("redis");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> ProcessorsConfig.fromJson(new JsonObject()
        .put("pipeline", new JsonObject().put("transport", "carrier-pigeon"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.transport");
    assertThatThrownBy(() -> ProcessorsConfig.fromJson(new JsonObject()
        .put("workers", new JsonObject().put("concurrency", new JsonObject().put("events.nope", 3)))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("events.nope");
    assertThatThrownBy(() -> ProcessorsConfig.fromJson(new JsonObject()
        .put("consumers", new JsonObject().put("instances", new JsonObject().put("ingest-nope", 1)))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ingest-nope");
    assertThatThrownBy(() -> ProcessorsConfig.fromJson(new JsonObject()
        .put("workers", new JsonObject().put("save_batch", new JsonObject().put("max_itmes", 3)))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("max_itmes");
  }

  @Test
  void commandLinesAsSentryOperatorsWriteThem() {
    ProcessorsConfig config = ProcessorsConfig.fromJson(new JsonObject());
    Plan all = Plan.parse(new String[0], config);
    assertThat(all.consumers()).containsKeys("ingest-events", "ingest-attachments", "ingest-transactions",
        "ingest-feedback-events");
    assertThat(all.queues()).containsExactlyElementsOf(ProcessorsMain.ALL_QUEUES);
    assertThat(all.queues()).contains("post_process_errors");
    assertThat(all.api()).isTrue();
    assertThat(all.roles().keySet()).containsExactlyInAnyOrder(ProcessorsMain.Role.values());

    Plan inline = Plan.parse(new String[0], ProcessorsConfig.fromJson(new JsonObject()
        .put("pipeline", new JsonObject().put("transport", "inline"))));
    assertThat(inline.queues()).isEmpty();

    Plan consumer = Plan.parse(new String[] {"--consumer", "ingest-events", "--instances", "2"}, config);
    assertThat(consumer.consumers()).isEqualTo(Map.of("ingest-events", 2));
    assertThat(consumer.queues()).isEmpty();
    assertThat(consumer.api()).isFalse();

    Plan worker = Plan.parse(new String[] {"worker", "-Q", "events.process_event,events.save_event", "-c", "8"}, config);
    assertThat(worker.queues()).containsExactly("events.process_event", "events.save_event");
    assertThat(worker.concurrency()).isEqualTo(8);

    Plan excluded = Plan.parse(new String[] {"worker", "-X", "events.symbolicate_event"}, config);
    assertThat(excluded.queues()).isEqualTo(List.of("events.process_event", "events.save_event",
        "events.save_event_transaction", "post_process_errors"));

    Plan monitors = Plan.parse(new String[] {"--consumer", "ingest-monitors"}, config);
    assertThat(monitors.roles()).isEqualTo(Map.of(ProcessorsMain.Role.MONITORS, 1));
    Plan outcomes = Plan.parse(new String[] {"--consumer", "outcomes", "--instances", "3"}, config);
    assertThat(outcomes.instances(ProcessorsMain.Role.OUTCOMES)).isEqualTo(3);
    assertThat(outcomes.consumers()).isEmpty();

    assertThatThrownBy(() -> Plan.parse(new String[] {"worker", "-Q", "events.nope"}, config))
        .hasMessageContaining("events.nope");
    assertThatThrownBy(() -> Plan.parse(new String[] {"--consumer", "ingest-nope"}, config))
        .hasMessageContaining("--consumer");
    assertThatThrownBy(() -> Plan.parse(new String[] {"worker", "-c", "0"}, config))
        .hasMessageContaining("-c");
  }
}
