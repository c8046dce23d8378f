package io.lookout.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DsnTest {

  private static final String KEY = "e12d836b15bb49d7bbf99e64295d995b";

  @Test
  void parsesAllParts() {
    Dsn dsn = Dsn.parse("https://" + KEY + ":s3cr3t@Sentry.Example.com:8888/sub/path/42");

    assertThat(dsn.scheme()).isEqualTo("https");
    assertThat(dsn.publicKey()).isEqualTo(KEY);
    assertThat(dsn.secretKey()).isEqualTo("s3cr3t");
    assertThat(dsn.host()).isEqualTo("sentry.example.com");
    assertThat(dsn.port()).isEqualTo(8888);
    assertThat(dsn.effectivePort()).isEqualTo(8888);
    assertThat(dsn.path()).isEqualTo("/sub/path/");
    assertThat(dsn.projectId()).isEqualTo(42);
    assertThat(dsn.apiUrl("envelope")).isEqualTo("https://sentry.example.com:8888/sub/path/api/42/envelope/");
  }

  @Test
  void roundTripsTheFormsSdksAreGiven() {
    for (String text : List.of(
        "https://" + KEY + ":@o1.ingest.sentry.io/42",
        "http://" + KEY + ":@localhost:9000/1",
        "https://" + KEY + ":secret@sentry.example.com/7",
        "http://" + KEY + ":@[::1]:9000/prefix/3",
        "http://" + KEY + ":@127.0.0.1:9000/a/b/12345")) {
      assertThat(Dsn.parse(text).toString()).isEqualTo(text);
      assertThat(Dsn.parse(Dsn.parse(text).toString())).isEqualTo(Dsn.parse(text));
    }
  }

  @Test
  void printsWithTheEmptySecretColonAndWithoutDefaultPorts() {
    assertThat(Dsn.parse("https://" + KEY + "@host.example/42").toString())
        .isEqualTo("https://" + KEY + ":@host.example/42");
    assertThat(Dsn.parse("https://" + KEY + "@host.example:443/42").toString())
        .isEqualTo("https://" + KEY + ":@host.example/42");
    assertThat(Dsn.parse("http://" + KEY + "@host.example:80/42/").toString())
        .isEqualTo("http://" + KEY + ":@host.example/42");
  }

  @Test
  void formatsAProjectKeyDsn() {
    Dsn dsn = Dsn.of("http", KEY, "Lookout.Local", 9000, 5);

    assertThat(dsn.toString()).isEqualTo("http://" + KEY + ":@lookout.local:9000/5");
    assertThat(Dsn.parse(dsn.toString())).isEqualTo(dsn);
    assertThat(Dsn.of("https", KEY, "lookout.example", 443, 5).toString())
        .isEqualTo("https://" + KEY + ":@lookout.example/5");
  }

  @Test
  void ignoresQueryAndFragment() {
    Dsn dsn = Dsn.parse("https://" + KEY + "@host/42?x=1#y");

    assertThat(dsn.projectId()).isEqualTo(42);
  }

  @Test
  void refusesInvalidDsnsWithSentrysTexts() {
    assertInvalid("random string", "no valid url provided");
    assertInvalid("https://" + KEY + ":password@:8888/42", "no valid url provided");
    assertInvalid("https://" + KEY + ":password@domain:8888/", "empty path");
    assertInvalid("https://" + KEY + "@domain", "empty path");
    assertInvalid("https://" + KEY + "@domain/abc", "empty path");
    assertInvalid("https://:password@domain:8888/23", "username is empty");
    assertInvalid("https://domain/23", "username is empty");
    assertInvalid("https://not-a-key@domain/23", "username is empty");
    assertInvalid("ftp://" + KEY + ":password@domain:8888/1", "no valid scheme");
    assertInvalid("https://" + KEY + "@domain:99999/1", "no valid url provided");
  }

  @Test
  void validatesPublicKeys() {
    assertThat(Dsn.isValidPublicKey(KEY)).isTrue();
    assertThat(Dsn.isValidPublicKey(KEY.toUpperCase())).isTrue();
    assertThat(Dsn.isValidPublicKey(null)).isFalse();
    assertThat(Dsn.isValidPublicKey(KEY.substring(1))).isFalse();
    assertThat(Dsn.isValidPublicKey("z" + KEY.substring(1))).isFalse();
  }

  private static void assertInvalid(String text, String message) {
    assertThatThrownBy(() -> Dsn.parse(text)).as(text)
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
