package io.lookout.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sentry.RequestDetailsResolver;
import io.sentry.SentryOptions;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuthExtractorTest {

  private static final String KEY = "e12d836b15bb49d7bbf99e64295d995b";
  private static final String OTHER_KEY = "0123456789abcdef0123456789abcdef";

  private static RequestAuth extract(AuthInputs.Builder inputs) {
    return AuthExtractor.extract(inputs.build());
  }

  private static AuthException rejection(AuthInputs.Builder inputs) {
    return catchThrowableOfType(AuthException.class, () -> AuthExtractor.extract(inputs.build()));
  }

  @Test
  void readsTheJavaSdkHeaderWithoutSpaces() {
    RequestAuth auth = extract(AuthInputs.builder()
        .sentryAuth("Sentry sentry_version=7,sentry_client=sentry.java/8.63.0,sentry_key=" + KEY));

    assertThat(auth.publicKey()).isEqualTo(KEY);
    assertThat(auth.version()).isEqualTo(7);
    assertThat(auth.client()).isEqualTo("sentry.java/8.63.0");
    assertThat(auth.clientName()).isEqualTo("sentry.java");
    assertThat(auth.secretKey()).isNull();
    assertThat(auth.timestamp()).isNull();
    assertThat(auth.source()).isEqualTo(AuthSource.HEADER);
  }

  @Test
  void readsTheHeaderTheRealJavaSdkBuilds() {
    SentryOptions options = new SentryOptions();
    options.setDsn("https://" + KEY + "@lookout.example:9000/42");
    options.setSentryClientName("sentry.java/8.63.0");
    String header = new RequestDetailsResolver(options).resolve().getHeaders().get("X-Sentry-Auth");

    RequestAuth auth = extract(AuthInputs.builder().sentryAuth(header));

    assertThat(auth.publicKey()).isEqualTo(KEY);
    assertThat(auth.version()).isEqualTo(7);
    assertThat(auth.client()).isEqualTo("sentry.java/8.63.0");
  }

  @Test
  void readsTheSentryCliHeaderWithSpacesAndTimestamp() {
    RequestAuth auth = extract(AuthInputs.builder().sentryAuth("Sentry sentry_key=" + KEY
        + ", sentry_version=7, sentry_timestamp=1328055286.5, sentry_client=sentry-cli/3.8.0"));

    assertThat(auth.publicKey()).isEqualTo(KEY);
    assertThat(auth.client()).isEqualTo("sentry-cli/3.8.0");
    assertThat(auth.timestamp()).isEqualTo(Instant.parse("2012-02-01T00:14:46.500Z"));
  }

  @Test
  void acceptsAnyPrefixCaseExtraWhitespaceAndAnyOrder() {
    for (String header : List.of(
        "sentry sentry_key=" + KEY + ",sentry_version=7",
        "SENTRY   sentry_version = 7 ,  sentry_key =  " + KEY + "  ",
        "Sentry sentry_client=raven-python/42,sentry_key=" + KEY + ",,sentry_version=7,bogus,x=y")) {
      RequestAuth auth = extract(AuthInputs.builder().sentryAuth(header));
      assertThat(auth.publicKey()).as(header).isEqualTo(KEY);
      assertThat(auth.version()).as(header).isEqualTo(7);
    }
  }

  @Test
  void keepsTheLegacySecretAndDefaultsTheVersion() {
    RequestAuth auth = extract(AuthInputs.builder()
        .sentryAuth("Sentry sentry_key=" + KEY + ", sentry_secret=s3cr3t"));

    assertThat(auth.secretKey()).isEqualTo("s3cr3t");
    assertThat(auth.version()).isEqualTo(RequestAuth.PROTOCOL_VERSION);
  }

  @Test
  void readsTheMajorPartOfADottedVersion() {
    RequestAuth auth = extract(AuthInputs.builder()
        .sentryAuth("Sentry sentry_key=" + KEY + ", sentry_version=6.1"));

    assertThat(auth.version()).isEqualTo(6);
  }

  @Test
  void doesNotStripQuotesLikeRelay() {
    AuthException e = rejection(AuthInputs.builder().sentryAuth("Sentry sentry_key=\"" + KEY + "\""));

    assertThat(e.kind()).isEqualTo(AuthException.Kind.BAD_PUBLIC_KEY);
    assertThat(e.httpStatus()).isEqualTo(400);
  }

  @Test
  void readsAuthorizationSentryHeader() {
    RequestAuth auth = extract(AuthInputs.builder()
        .authorization("Sentry sentry_key=" + KEY + ", sentry_version=7"));

    assertThat(auth.publicKey()).isEqualTo(KEY);
    assertThat(auth.source()).isEqualTo(AuthSource.AUTHORIZATION);
  }

  @Test
  void readsBasicAuthWithAndWithoutSecret() {
    String withSecret = Base64.getEncoder().encodeToString((KEY + ":pw").getBytes(StandardCharsets.UTF_8));
    String withoutSecret = Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));

    RequestAuth first = extract(AuthInputs.builder().authorization("Basic " + withSecret));
    RequestAuth second = extract(AuthInputs.builder().authorization("basic " + withoutSecret));

    assertThat(first.publicKey()).isEqualTo(KEY);
    assertThat(first.secretKey()).isEqualTo("pw");
    assertThat(first.source()).isEqualTo(AuthSource.BASIC);
    assertThat(second.publicKey()).isEqualTo(KEY);
    assertThat(second.secretKey()).isNull();
  }

  @Test
  void ignoresBasicAuthThatIsNotKeyColonSecret() {
    String noColon = Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8));

    assertThat(rejection(AuthInputs.builder().authorization("Basic " + noColon)).kind())
        .isEqualTo(AuthException.Kind.MISSING_AUTH);
    assertThat(rejection(AuthInputs.builder().authorization("Basic !!!notbase64")).kind())
        .isEqualTo(AuthException.Kind.MISSING_AUTH);
  }

  @Test
  void ignoresOtherAuthorizationSchemes() {
    RequestAuth auth = extract(AuthInputs.builder().authorization("Bearer abc")
        .query("sentry_key=" + KEY + "&sentry_version=7"));

    assertThat(auth.source()).isEqualTo(AuthSource.QUERY);
  }

  @Test
  void readsTheNodeSdkQueryString() {
    RequestAuth auth = extract(AuthInputs.builder()
        .query("sentry_version=7&sentry_key=" + KEY + "&sentry_client=sentry.javascript.node%2F11.0.0"));

    assertThat(auth.publicKey()).isEqualTo(KEY);
    assertThat(auth.client()).isEqualTo("sentry.javascript.node/11.0.0");
    assertThat(auth.source()).isEqualTo(AuthSource.QUERY);
  }

  @Test
  void readsDecodedQueryParameters() {
    MultiMap params = MultiMap.caseInsensitiveMultiMap()
        .add("sentry_key", KEY).add("sentry_client", "a b/1");

    RequestAuth auth = extract(AuthInputs.builder().queryParams(params));

    assertThat(auth.client()).isEqualTo("a b/1");
  }

  @Test
  void queryWithSentryFieldsButNoKeyIsABadHeader() {
    AuthException e = rejection(AuthInputs.builder().query("sentry_version=7"));

    assertThat(e.kind()).isEqualTo(AuthException.Kind.BAD_AUTH);
    assertThat(e.httpStatus()).isEqualTo(401);
    assertThat(e.detail()).isEqualTo("bad x-sentry-auth header");
    assertThat(e.causes()).containsExactly("missing public key in auth header");
  }

  @Test
  void queryWithoutSentryFieldsIsNotAuthentication() {
    RequestAuth auth = extract(AuthInputs.builder().query("foo=bar")
        .sentryAuth("Sentry sentry_key=" + KEY));

    assertThat(auth.source()).isEqualTo(AuthSource.HEADER);
  }

  @Test
  void headerAndQueryWithTheSameKeyAreMultiplePayloads() {
    AuthException e = rejection(AuthInputs.builder()
        .sentryAuth("Sentry sentry_key=" + KEY + ", sentry_version=7")
        .query("sentry_key=" + KEY + "&sentry_version=7"));

    assertThat(e.kind()).isEqualTo(AuthException.Kind.MULTIPLE_AUTH);
    assertThat(e.httpStatus()).isEqualTo(401);
    assertThat(e.detail()).isEqualTo("multiple authorization payloads detected");
    assertThat(e.reason()).isEqualTo("auth_client");
  }

  @Test
  void twoDifferentKeysAreMultiplePayloads() {
    AuthException headers = rejection(AuthInputs.builder()
        .sentryAuth("Sentry sentry_key=" + KEY).authorization("Sentry sentry_key=" + OTHER_KEY));
    AuthException headerAndPath = rejection(AuthInputs.builder()
        .sentryAuth("Sentry sentry_key=" + KEY).pathKey(OTHER_KEY));
    String basic = Base64.getEncoder().encodeToString((OTHER_KEY + ":").getBytes(StandardCharsets.UTF_8));
    AuthException headerAndBasic = rejection(AuthInputs.builder()
        .sentryAuth("Sentry sentry_key=" + KEY).authorization("Basic " + basic));

    assertThat(List.of(headers, headerAndPath, headerAndBasic))
        .allSatisfy(e -> assertThat(e.kind()).isEqualTo(AuthException.Kind.MULTIPLE_AUTH));
  }

  @Test
  void onlyTheFirstHeaderValueCounts() {
    RequestAuth auth = extract(AuthInputs.builder()
        .sentryAuth(List.of("Sentry sentry_key=" + KEY, "Sentry sentry_key=" + OTHER_KEY)));

    assertThat(auth.publicKey()).isEqualTo(KEY);
  }

  @Test
  void readsThePathKey() {
    RequestAuth auth = extract(AuthInputs.builder().pathKey(KEY));

    assertThat(auth.publicKey()).isEqualTo(KEY);
    assertThat(auth.version()).isEqualTo(7);
    assertThat(auth.source()).isEqualTo(AuthSource.PATH);
  }

  @Test
  void missingAuthIs401() {
    AuthException e = rejection(AuthInputs.builder());

    assertThat(e.kind()).isEqualTo(AuthException.Kind.MISSING_AUTH);
    assertThat(e.httpStatus()).isEqualTo(401);
    assertThat(e.detail()).isEqualTo("missing authorization information");
    assertThat(e.causes()).isEmpty();
  }

  @Test
  void aHeaderWithoutKeyIsABadHeader() {
    AuthException e = rejection(AuthInputs.builder().sentryAuth("Sentry sentry_version=7"));

    assertThat(e.kind()).isEqualTo(AuthException.Kind.BAD_AUTH);
    assertThat(e.httpStatus()).isEqualTo(401);
  }

  @Test
  void anUnreadableVersionIsABadHeader() {
    AuthException e = rejection(AuthInputs.builder()
        .sentryAuth("Sentry sentry_key=" + KEY + ", sentry_version=seven"));

    assertThat(e.kind()).isEqualTo(AuthException.Kind.BAD_AUTH);
    assertThat(e.causes()).containsExactly("invalid value for version");
  }

  @Test
  void aNonSentryXSentryAuthIsIgnored() {
    assertThat(rejection(AuthInputs.builder().sentryAuth("Token abc")).kind())
        .isEqualTo(AuthException.Kind.MISSING_AUTH);
  }

  @Test
  void nonAsciiHeaderValuesAreIgnored() {
    assertThat(rejection(AuthInputs.builder().sentryAuth("Sentry sentry_key=" + KEY + "é")).kind())
        .isEqualTo(AuthException.Kind.MISSING_AUTH);
  }

  @Test
  void malformedKeysAre400() {
    for (String key : List.of("abc", KEY + "0", "g12d836b15bb49d7bbf99e64295d995b")) {
      AuthException e = rejection(AuthInputs.builder().sentryAuth("Sentry sentry_key=" + key));
      assertThat(e.kind()).as(key).isEqualTo(AuthException.Kind.BAD_PUBLIC_KEY);
      assertThat(e.httpStatus()).isEqualTo(400);
      assertThat(e.detail()).isEqualTo("bad sentry DSN public key");
      assertThat(e.causes()).containsExactly("invalid project key");
    }
  }

  @Test
  void readsTheNoCacheKeyFlag() {
    RequestAuth auth = extract(AuthInputs.builder().sentryAuth("Sentry sentry_key=" + KEY + ".no-cache"));

    assertThat(auth.publicKey()).isEqualTo(KEY);
    assertThat(auth.noCache()).isTrue();
  }

  @Test
  void version8Is400() {
    AuthException e = rejection(AuthInputs.builder()
        .sentryAuth("Sentry sentry_key=" + KEY + ", sentry_version=8"));

    assertThat(e.kind()).isEqualTo(AuthException.Kind.UNSUPPORTED_VERSION);
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.detail()).isEqualTo("unsupported protocol version (8)");
    assertThat(e.reason()).isEqualTo("auth_version");
  }

  @Test
  void theKeyIsCheckedBeforeTheVersion() {
    AuthException e = rejection(AuthInputs.builder().sentryAuth("Sentry sentry_key=bad, sentry_version=8"));

    assertThat(e.kind()).isEqualTo(AuthException.Kind.BAD_PUBLIC_KEY);
  }

  @Test
  void fallsBackToTheEnvelopeDsnOnlyWhenNothingElseIsGiven() {
    AtomicInteger reads = new AtomicInteger();
    RequestAuth fromHeader = extract(AuthInputs.builder().sentryAuth("Sentry sentry_key=" + KEY)
        .envelopeDsn(() -> {
          reads.incrementAndGet();
          return "https://" + OTHER_KEY + "@o1.ingest.example/42";
        }));
    RequestAuth fromDsn = extract(AuthInputs.builder().pathProjectId(42L)
        .envelopeDsn(() -> "https://" + OTHER_KEY + "@o1.ingest.example/42"));

    assertThat(fromHeader.source()).isEqualTo(AuthSource.HEADER);
    assertThat(reads).hasValue(0);
    assertThat(fromDsn.publicKey()).isEqualTo(OTHER_KEY);
    assertThat(fromDsn.source()).isEqualTo(AuthSource.ENVELOPE_DSN);
    assertThat(fromDsn.dsnProjectId()).isEqualTo(42L);
    assertThat(fromDsn.version()).isEqualTo(7);
  }

  @Test
  void anEnvelopeWithoutUsableDsnIsBadEnvelopeAuth() {
    AuthException missing = rejection(AuthInputs.builder().envelopeDsn(() -> null));
    AuthException invalid = rejection(AuthInputs.builder().envelopeDsn(() -> "not a dsn"));

    assertThat(missing.kind()).isEqualTo(AuthException.Kind.BAD_ENVELOPE_AUTH);
    assertThat(missing.httpStatus()).isEqualTo(401);
    assertThat(missing.detail()).isEqualTo("bad envelope authentication header");
    assertThat(missing.causes()).containsExactly("missing field `dsn`");
    assertThat(invalid.kind()).isEqualTo(AuthException.Kind.BAD_ENVELOPE_AUTH);
    assertThat(invalid.causes()).containsExactly("no valid url provided");
  }

  @Test
  void anEnvelopeDsnForAnotherProjectThanThePathIsRefused() {
    AuthException e = rejection(AuthInputs.builder().pathProjectId(42L)
        .envelopeDsn(() -> "https://" + KEY + "@o1.ingest.example/43"));

    assertThat(e.kind()).isEqualTo(AuthException.Kind.INVALID_ENVELOPE);
    assertThat(e.httpStatus()).isEqualTo(400);
  }

  @Test
  void checksTheEnvelopeDsnAgainstTheRequest() {
    RequestAuth auth = extract(AuthInputs.builder().sentryAuth("Sentry sentry_key=" + KEY));

    AuthExtractor.checkEnvelopeDsn(auth, 42L, null);
    AuthExtractor.checkEnvelopeDsn(auth, 42L, "https://" + KEY + "@o1.ingest.example/42");
    AuthExtractor.checkEnvelopeDsn(auth, 42L, "http://" + KEY + ":@localhost:9000/sub/path/42");

    AuthException project = catchThrowableOfType(AuthException.class,
        () -> AuthExtractor.checkEnvelopeDsn(auth, 42L, "https://" + KEY + "@o1.ingest.example/43"));
    AuthException key = catchThrowableOfType(AuthException.class,
        () -> AuthExtractor.checkEnvelopeDsn(auth, 42L, "https://" + OTHER_KEY + "@o1.ingest.example/42"));
    AuthException legacyStore = catchThrowableOfType(AuthException.class,
        () -> AuthExtractor.checkEnvelopeDsn(auth, null, "https://" + KEY + "@o1.ingest.example/42"));
    AuthException invalid = catchThrowableOfType(AuthException.class,
        () -> AuthExtractor.checkEnvelopeDsn(auth, 42L, "https://@host/42"));

    assertThat(project.httpStatus()).isEqualTo(400);
    assertThat(project.detail()).isEqualTo("invalid event envelope");
    assertThat(project.causes()).containsExactly("project id header mismatch between envelope and request");
    assertThat(project.reason()).isEqualTo("invalid_envelope");
    assertThat(key.causes()).containsExactly("public key header mismatch between envelope and request");
    assertThat(legacyStore.causes()).containsExactly("project id header mismatch between envelope and request");
    assertThat(invalid.causes()).containsExactly("invalid envelope header", "username is empty");
  }

  @Test
  void formDecodingFollowsTheUrlCrate() {
    List<String[]> pairs = AuthExtractor.formPairs("a=b+c&&d&e=%41%zz&f=x=y");

    assertThat(pairs).extracting(p -> p[0] + "|" + p[1])
        .containsExactly("a|b c", "d|", "e|A%zz", "f|x=y");
  }

  @Test
  void rejectsNullInputs() {
    assertThatThrownBy(() -> AuthExtractor.extract(null)).isInstanceOf(NullPointerException.class);
  }
}
