package io.lookout.processors.grouping;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Placeholder with the agreed shape; the grouping branch provides the real one. */
public record GroupingResult(List<String> hashes, String title, String culprit, String type,
    JsonObject metadata, String location) {

  public String primaryHash() {
    return hashes.get(0);
  }
}
