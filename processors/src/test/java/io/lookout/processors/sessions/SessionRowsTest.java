package io.lookout.processors.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.kafka.message.InvalidMessageException;
import io.lookout.storage.kafka.message.SessionCodec;
import io.lookout.storage.kafka.message.SessionMessage;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionRowsTest {

  private static final UUID SID = UUID.fromString("8333339f-5675-4f89-a9a0-1c935255ab58");
  private static final UUID DID = UUID.fromString("b3ef3211-58a4-4b36-a9a1-5a55df0d9aaf");

  private static SessionMessage message(UUID did, String status, int errors, Double duration, String environment) {
    return new SessionMessage(1, 42, SID, did, 1, 0, 1714658607.25, 1714658600.5, duration, status, errors, "1.0",
        environment, "sentry.java/8.0", 90);
  }

  @Test
  void anUpdateBecomesASessionsRow() {
    JsonObject row = SessionRows.row(SessionCodec.encode(message(DID, "exited", 0, 6.6, "production")));

    assertThat(row).isEqualTo(new JsonObject().put("session_id", SID.toString()).put("distinct_id", DID.toString())
        .put("seq", 0L).put("org_id", 1L).put("project_id", 42L).put("release", "1.0")
        .put("environment", "production").put("status", "exited").put("errors", 0).put("duration", 7L)
        .put("quantity", 1L).put("started", 1714658600L).put("received", 1714658607L).put("retention_days", 90));
  }

  @Test
  void noUserNoEnvironmentAndNoDurationBecomeSnubasEmptyValues() {
    JsonObject row = SessionRows.row(message(SessionMessage.NIL, "crashed", 0, null, null));

    assertThat(row.getString("distinct_id")).isEmpty();
    assertThat(row.getString("environment")).isEmpty();
    assertThat(row.getLong("duration")).isEqualTo(4294967295L);
    assertThat(row.getInteger("errors")).isEqualTo(1);
  }

  @Test
  void anUnknownStatusIsInvalid() {
    assertThatThrownBy(() -> SessionRows.row(message(DID, "exploded", 0, null, null)))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("exploded");
  }
}
