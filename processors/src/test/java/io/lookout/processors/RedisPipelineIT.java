package io.lookout.processors;

import io.vertx.core.json.JsonObject;

/** The pipeline with the broker on Redis lists (the alternative transport). */
class RedisPipelineIT extends PipelineItBase {

  @Override
  JsonObject pipelineOverrides() {
    return new JsonObject().put("pipeline", new JsonObject().put("transport", "broker"))
        .put("broker", new JsonObject().put("transport", "redis").put("queue_prefix", "it-" + eventId().substring(0, 8) + ".")
            .put("max_attempts", 2).put("retry_delay_ms", 100));
  }
}
