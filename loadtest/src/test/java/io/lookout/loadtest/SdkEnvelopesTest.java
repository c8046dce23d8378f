package io.lookout.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.loadtest.SdkEnvelopes.Kind;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class SdkEnvelopesTest {

  private static final String KEY = "0123456789abcdef0123456789abcdef";

  private static String gunzip(byte[] gzipped) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void bodiesFollowTheMixAndCarryTheSdksHeaders() throws IOException {
    SdkEnvelopes.Bodies bodies = SdkEnvelopes.build("http://" + KEY + "@127.0.0.1:3000/42", 40, 1L);

    assertThat(bodies.bodies()).hasSize(40);
    assertThat(bodies.count(Kind.ERROR)).isEqualTo(28);
    assertThat(bodies.count(Kind.TRANSACTION)).isEqualTo(8);
    assertThat(bodies.count(Kind.SESSION)).isEqualTo(2);
    assertThat(bodies.count(Kind.ATTACHMENT)).isEqualTo(2);
    assertThat(bodies.path()).isEqualTo("/api/42/envelope/");
    assertThat(bodies.headers().get("X-Sentry-Auth"))
        .isEqualTo("Sentry sentry_version=7,sentry_client=sentry.java/8.63.0,sentry_key=" + KEY);
    assertThat(bodies.headers()).containsEntry("Content-Encoding", "gzip")
        .containsEntry("Content-Type", "application/x-sentry-envelope");

    Set<String> eventIds = new HashSet<>();
    for (SdkEnvelopes.Body body : bodies.bodies()) {
      String envelope = gunzip(body.gzipped());
      assertThat(envelope.getBytes(StandardCharsets.UTF_8)).hasSize(body.rawSize());
      JsonObject header = new JsonObject(envelope.substring(0, envelope.indexOf('\n')));
      assertThat(header.getString("sent_at")).isNotNull();
      switch (body.kind()) {
        case ERROR -> assertThat(body.items("event")).isEqualTo(1);
        case TRANSACTION -> assertThat(body.items("transaction")).isEqualTo(1);
        case SESSION -> assertThat(body.items()).containsOnlyKeys("session");
        case ATTACHMENT -> assertThat(body.items("attachment")).isEqualTo(1);
      }
      if (body.kind() != Kind.SESSION) {
        assertThat(eventIds.add(header.getString("event_id"))).isTrue();
      }
    }
  }

  @Test
  void noBodiesIsAnError() {
    assertThatThrownBy(() -> SdkEnvelopes.build("http://" + KEY + "@127.0.0.1:3000/42", 0, 1L))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
