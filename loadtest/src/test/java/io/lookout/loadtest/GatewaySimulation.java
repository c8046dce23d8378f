package io.lookout.loadtest;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays envelopes made by the real Sentry Java SDK ({@link SdkEnvelopes}: errors 70%,
 * transactions 20%, session updates 5%, errors with an attachment 5%) against a running gateway,
 * open model: the arrival rate ramps up, then holds; each virtual user posts one envelope. The
 * requests are named by kind, so the report has a line per kind.
 *
 * <p>Not run by {@code mvn verify}. Against a gateway on port 3100 (see loadtest/README.md):
 * <pre>
 * mvn -B -pl loadtest -am verify -DskipTests -DskipITs -Dgatling.skip=false \
 *     -Ddsn=http://KEY@127.0.0.1:3100/PROJECT_ID -DbaseUrl=http://127.0.0.1:3100
 * </pre>
 * Settings (system property, else environment variable, else default): {@code dsn}
 * ({@code LOOKOUT_DSN}, required), {@code baseUrl} ({@code LOOKOUT_BASE_URL},
 * {@code http://127.0.0.1:3000}), {@code rate} in envelopes/s (500), {@code rampSeconds} (5),
 * {@code holdSeconds} (20), {@code bodies} (400). The HTML report lands under
 * {@code loadtest/target/gatling/}.
 */
public class GatewaySimulation extends Simulation {

  private static final String DSN = setting("dsn", "LOOKOUT_DSN", null);
  private static final String BASE_URL = setting("baseUrl", "LOOKOUT_BASE_URL", "http://127.0.0.1:3000");
  private static final int RATE = Integer.parseInt(setting("rate", "LOOKOUT_RATE", "500"));
  private static final int RAMP_SECONDS = Integer.parseInt(setting("rampSeconds", "LOOKOUT_RAMP_SECONDS", "5"));
  private static final int HOLD_SECONDS = Integer.parseInt(setting("holdSeconds", "LOOKOUT_HOLD_SECONDS", "20"));
  private static final int BODIES = Integer.parseInt(setting("bodies", "LOOKOUT_BODIES", "400"));

  private static String setting(String property, String env, String fallback) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    if (value == null || value.isBlank()) {
      if (fallback == null) {
        throw new IllegalArgumentException("set -D" + property + " (or " + env + "), e.g. -Ddsn="
            + "http://<public key>@127.0.0.1:3000/<project id>");
      }
      value = fallback;
    }
    return value;
  }

  {
    // the SDK only knows the DSN: its host and port are not where this run sends (baseUrl is)
    SdkEnvelopes.Bodies bodies = SdkEnvelopes.build(DSN, BODIES, 20_250_601L);
    List<SdkEnvelopes.Body> list = bodies.bodies();
    AtomicLong next = new AtomicLong();
    Iterator<Map<String, Object>> feeder = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        SdkEnvelopes.Body body = list.get((int) (next.getAndIncrement() % list.size()));
        return Map.of("kind", body.kind().name().toLowerCase(Locale.ROOT), "body", body.gzipped());
      }
    };

    HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
        .headers(bodies.headers())
        // keep-alive connections shared by the virtual users: the Java SDK itself closes its
        // connection after each envelope, which at hundreds per second would exhaust the
        // ephemeral ports of a single load-generating host
        .shareConnections();

    ScenarioBuilder envelopes = scenario("Sentry Java SDK envelopes")
        .feed(feeder)
        .exec(http("#{kind}").post(bodies.path()).body(ByteArrayBody("#{body}")).check(status().is(200)));

    setUp(envelopes.injectOpen(
        rampUsersPerSec(1).to(RATE).during(RAMP_SECONDS),
        constantUsersPerSec(RATE).during(HOLD_SECONDS)))
        .protocols(protocol);
  }
}
