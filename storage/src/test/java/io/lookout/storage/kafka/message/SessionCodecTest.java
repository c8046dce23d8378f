package io.lookout.storage.kafka.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionCodecTest {

  /** Relay's {@code serde_json::to_vec(&SessionKafkaMessage)} for one session update. */
  private static final String RELAY_SESSION = "{\"org_id\":1,\"project_id\":42,"
      + "\"session_id\":\"8333339f-5675-4f89-a9a0-1c935255ab58\","
      + "\"distinct_id\":\"367e2499-2b45-586d-814f-778b60144e87\",\"quantity\":1,\"seq\":42,"
      + "\"received\":1714658607.123,\"started\":1714658600.0,\"duration\":1947.49,"
      + "\"status\":\"exited\",\"errors\":0,\"release\":\"sentry-test@1.0.0\","
      + "\"environment\":\"production\",\"sdk\":\"sentry.python/2.0.0\",\"retention_days\":90}";

  private static SessionMessage session() {
    return new SessionMessage(1, 42, UUID.fromString("8333339f-5675-4f89-a9a0-1c935255ab58"),
        UUID.fromString("367e2499-2b45-586d-814f-778b60144e87"), 1, 42, 1_714_658_607.123,
        1_714_658_600.0, 1947.49, "exited", 0, "sentry-test@1.0.0", "production",
        "sentry.python/2.0.0", 90);
  }

  @Test
  void encodesARelaySessionExactly() {
    String encoded = new String(SessionCodec.encode(session()), UTF_8);

    assertThat(new JsonObject(encoded)).isEqualTo(new JsonObject(RELAY_SESSION));
    assertThat(encoded).isEqualTo(RELAY_SESSION);
    assertThat(SessionCodec.decode(RELAY_SESSION.getBytes(UTF_8))).isEqualTo(session());
  }

  @Test
  void aggregateRowWithNilIdsAndNullsRoundTrips() {
    SessionMessage row = new SessionMessage(1, 42, SessionMessage.NIL, SessionMessage.NIL, 17, 0,
        1_714_658_607, 1_714_658_600, null, "crashed", 1, "app@2", null, null, 30);

    String encoded = new String(SessionCodec.encode(row), UTF_8);

    assertThat(encoded).contains("\"session_id\":\"00000000-0000-0000-0000-000000000000\"",
        "\"duration\":null", "\"environment\":null", "\"sdk\":null", "\"received\":1714658607.0");
    assertThat(SessionCodec.decode(encoded.getBytes(UTF_8))).isEqualTo(row);
  }

  @Test
  void invalidSessionsAreRefused() {
    assertThatThrownBy(() -> SessionCodec.decode("[]".getBytes(UTF_8)))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> SessionCodec.decode(RELAY_SESSION.replace("\"release\":", "\"rel\":")
        .getBytes(UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("missing required field 'release'");
    assertThatThrownBy(() -> SessionCodec.decode(RELAY_SESSION.replace("8333339f-", "zz")
        .getBytes(UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("field 'session_id' is not a UUID");
  }
}
