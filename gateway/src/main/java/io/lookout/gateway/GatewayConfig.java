package io.lookout.gateway;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.notBlank;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.section;
import static io.lookout.storage.config.Conf.string;
import static io.lookout.storage.config.Conf.tcpPort;

import io.lookout.gateway.limits.LimitsConfig;
import io.lookout.gateway.project.CacheConfig;
import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Everything in {@code conf/gateway.json}. Sections and key names follow Relay's config where Relay
 * has the knob ({@code relay.mode}, {@code limits.max_event_size}, {@code cache.envelope_buffer_size}...).
 *
 * @param relay where the gateway listens and how it learns about projects
 * @param http HTTP server behaviour
 * @param metrics the admin port (Prometheus scrape, health)
 */
public record GatewayConfig(
    RelayConfig relay,
    HttpConfig http,
    LimitsConfig limits,
    CacheConfig cache,
    MetricsConfig metrics,
    JsonObject raw) {

  public static final String FILE = "gateway";

  /** How project states are obtained (Relay's {@code relay.mode}). */
  public enum Mode {
    /** from Postgres, cached */
    MANAGED,
    /** from conf/projects/*.json, no database on the ingest path */
    STATIC,
    /** forward every request unchanged to {@code relay.upstream}; no Kafka, no checks */
    PROXY;

    static Mode parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("'relay.mode' must be managed, static or proxy, got '" + value + "'");
      }
    }
  }

  /**
   * @param instances HTTP verticles (event loops serving requests); 0 = one per core
   * @param projectsDir folder of the static mode's project files, relative to the checkout
   */
  public record RelayConfig(Mode mode, String host, int port, int instances, String upstream, Path projectsDir) {

    public RelayConfig {
      notBlank("relay.host", host);
      tcpPort("relay.port", port);
      if (instances < 0) {
        throw new ConfigException("'relay.instances' must be >= 0 (0 = one per core)");
      }
      if (mode == Mode.PROXY && (upstream == null || !upstream.matches("https?://.+"))) {
        throw new ConfigException("'relay.upstream' must be an http(s) URL in proxy mode, got '" + upstream + "'");
      }
    }

    static RelayConfig fromJson(JsonObject json, Path home) {
      return new RelayConfig(
          Mode.parse(string(json, "mode", "managed")),
          string(json, "host", "127.0.0.1"),
          integer(json, "port", 3000),
          integer(json, "instances", 0),
          string(json, "upstream", "http://127.0.0.1:9000"),
          home.resolve(string(json, "projects_dir", "conf/projects")).normalize());
    }

    public int effectiveInstances() {
      return instances == 0 ? Runtime.getRuntime().availableProcessors() : instances;
    }
  }

  /**
   * @param timeout seconds a request may take end to end (reading, Kafka acks); then 503
   * @param idleTimeout seconds a keep-alive connection may sit idle
   * @param shutdownTimeout seconds a graceful stop waits for requests in flight
   * @param maxHeaderSize bytes of request headers
   */
  public record HttpConfig(int timeout, int idleTimeout, int shutdownTimeout, int maxHeaderSize) {

    public HttpConfig {
      positive("http.timeout", timeout);
      positive("http.idle_timeout", idleTimeout);
      positive("http.shutdown_timeout", shutdownTimeout);
      positive("http.max_header_size", maxHeaderSize);
    }

    static HttpConfig fromJson(JsonObject json) {
      return new HttpConfig(
          integer(json, "timeout", 30),
          integer(json, "idle_timeout", 75),
          integer(json, "shutdown_timeout", 10),
          integer(json, "max_header_size", 16 * 1024));
    }
  }

  /** @param port admin HTTP port: {@code /metrics} (Prometheus) and health; 0 = off */
  public record MetricsConfig(String host, int port) {

    public MetricsConfig {
      notBlank("metrics.host", host);
      if (port != 0) {
        tcpPort("metrics.port", port);
      }
    }

    static MetricsConfig fromJson(JsonObject json) {
      return new MetricsConfig(string(json, "host", "127.0.0.1"), integer(json, "port", 3002));
    }
  }

  public static GatewayConfig load(ConfLoader loader) {
    return fromJson(loader.load(FILE), loader.homeDir());
  }

  public static GatewayConfig fromJson(JsonObject json, Path home) {
    return new GatewayConfig(
        RelayConfig.fromJson(section(json, "relay"), home),
        HttpConfig.fromJson(section(json, "http")),
        LimitsConfig.fromJson(section(json, "limits")),
        CacheConfig.fromJson(section(json, "cache")),
        MetricsConfig.fromJson(section(json, "metrics")),
        json);
  }

  /** A section for parts that read their own record from it (producer, outcomes, rate limits). */
  public JsonObject part(String name) {
    return section(raw, name);
  }
}
