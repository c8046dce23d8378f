package io.lookout.processors.config;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.notBlank;
import static io.lookout.storage.config.Conf.string;
import static io.lookout.storage.config.Conf.tcpPort;

import io.vertx.core.json.JsonObject;

/** The processors' admin server: Prometheus metrics and health ({@code processors.json: admin}). */
public record AdminConfig(String host, int port) {

  public AdminConfig {
    notBlank("admin.host", host);
    if (port != 0) {
      tcpPort("admin.port", port);
    }
  }

  public static AdminConfig fromJson(JsonObject json) {
    return new AdminConfig(string(json, "host", "127.0.0.1"), integer(json, "port", 3001));
  }
}
