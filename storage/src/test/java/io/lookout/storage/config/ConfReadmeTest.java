package io.lookout.storage.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every key an operator can set in a shipped conf file is documented in conf/README.md. */
class ConfReadmeTest {

  private static final Path CONF = Path.of(System.getProperty("user.dir")).getParent().resolve("conf");

  @Test
  void everyStorageKeyIsDocumented() throws IOException {
    assertDocumented("storage.json");
  }

  @Test
  void everyGatewayKeyIsDocumented() throws IOException {
    assertDocumented("gateway.json");
  }

  @Test
  void everyProcessorsKeyIsDocumented() throws IOException {
    assertDocumented("processors.json");
  }

  private static void assertDocumented(String file) throws IOException {
    String readme = Files.readString(CONF.resolve("README.md"));
    JsonObject json = new JsonObject(Files.readString(CONF.resolve(file)));
    List<String> keys = new ArrayList<>();
    flatten("", json, keys);
    assertThat(keys).isNotEmpty();
    List<String> missing = keys.stream().filter(k -> !readme.contains("`" + k + "`")).toList();
    assertThat(missing).as("keys of " + file + " missing from conf/README.md").isEmpty();
  }

  private static void flatten(String prefix, JsonObject json, List<String> out) {
    for (String key : json.fieldNames()) {
      // topic names are data, documented once as kafka.topics.<name>.*
      String name = prefix.equals("kafka.topics.") || prefix.equals("consumers.instances.")
          || prefix.equals("analytics.instances.") ? "<name>"
          : prefix.equals("workers.concurrency.") ? "<queue>" : key;
      Object value = json.getValue(key);
      if (value instanceof JsonObject child) {
        flatten(prefix + name + ".", child, out);
      } else if (!out.contains(prefix + name)) {
        out.add(prefix + name);
      }
    }
  }
}
